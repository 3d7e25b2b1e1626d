import { UnrecoverableError, type Job } from 'bullmq';
import { Writable } from 'node:stream';
import type { HandshakeOutcome } from '../../src/clients/handshake-visitor';
import { createLogger } from '../../src/logger';
import { SOURCES } from '../../src/sources';
import { sourceHandshakeProcessor } from '../../workers/source-handshake.processor';

const SUBSCRIBE_URL =
  'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:1:t&Token=tok-secret-42';

function processorWith(outcomes: HandshakeOutcome[]) {
  const visited: string[] = [];
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const process = sourceHandshakeProcessor(
    {
      sources: SOURCES,
      visit: async (url) => {
        visited.push(url);
        return outcomes.shift() ?? { ok: true, permanent: false, detail: 'HTTP 200' };
      },
    },
    createLogger('info', sink),
  );
  return { process, visited, lines };
}

/** What the processor reads of a BullMQ job. */
const jobOf = (data: unknown, attemptsMade = 0) =>
  ({ id: 'job-1', data, attemptsMade, opts: { attempts: 3 } }) as unknown as Job;

const confirmation = {
  source: 'cloudwatch',
  url: SUBSCRIBE_URL,
  what: 'SNS subscription to arn:aws:sns:us-east-1:1:t',
};

describe('sourceHandshakeProcessor', () => {
  test('when the URL answers 2xx, then it is confirmed once, and the log names the topic but never the URL or token', async () => {
    const { process, visited, lines } = processorWith([]);
    expect(await process(jobOf(confirmation))).toBe('confirmed');
    expect(visited).toEqual([SUBSCRIBE_URL]);
    const log = lines.join('');
    expect(log).toContain('arn:aws:sns:us-east-1:1:t');
    expect(log).not.toContain('tok-secret-42');
  });

  test.each([
    ['a source with no handshake', { ...confirmation, source: 'datadog' }],
    ['an unknown source', { ...confirmation, source: 'nope' }],
    [
      "a URL that is not the source's own",
      { ...confirmation, url: 'https://evil.example/?Action=ConfirmSubscription' },
    ],
    ['a malformed job', { source: 'cloudwatch' }],
  ])('when the job has %s, then nothing is fetched and it is not retried', async (_what, data) => {
    const { process, visited } = processorWith([]);
    await expect(process(jobOf(data))).rejects.toBeInstanceOf(UnrecoverableError);
    expect(visited).toEqual([]);
  });

  test('when the URL refuses for good, then it is not retried; when it fails for now, it is', async () => {
    const refused = processorWith([{ ok: false, permanent: true, detail: 'HTTP 403' }]);
    await expect(refused.process(jobOf(confirmation))).rejects.toBeInstanceOf(UnrecoverableError);
    const busy = processorWith([{ ok: false, permanent: false, detail: 'HTTP 503' }]);
    const error = await busy.process(jobOf(confirmation)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toBe('HTTP 503');
  });

  test('when the last attempt fails, then the log says it gives up', async () => {
    const { process, lines } = processorWith([{ ok: false, permanent: false, detail: 'HTTP 503' }]);
    await expect(process(jobOf(confirmation, 2))).rejects.toThrow('HTTP 503');
    expect(lines.join('')).toContain('giving up');
  });
});
