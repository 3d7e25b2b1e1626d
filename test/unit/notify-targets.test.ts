import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../config';
import { loadNotifyTargets, parseTargetUrls, parseTargetsJson } from '../../config/targets';

const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX';
const base = { WEBHOOK_TOKEN: 'w'.repeat(20), API_TOKEN: 'a'.repeat(20) };

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-targets-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeTargets(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('NOTIFY_WEBHOOK_URLS', () => {
  it('when a URL is on hooks.slack.com, then it is a Slack target, any other a generic webhook', () => {
    const { targets, problems } = parseTargetUrls(` ${SLACK_URL} , https://ops.example.com/hook,`);
    expect(problems).toEqual([]);
    expect(targets).toEqual([
      {
        id: 'slack-1',
        type: 'slack',
        url: SLACK_URL,
        events: ['postmortem.drafted', 'action_items.overdue'],
        headers: {},
      },
      {
        id: 'webhook-2',
        type: 'webhook',
        url: 'https://ops.example.com/hook',
        events: ['postmortem.drafted', 'action_items.overdue'],
        headers: {},
      },
    ]);
  });

  it('when a URL is not http(s) or carries credentials, then the error names its position, not the URL', () => {
    const problems = problemsOf({
      NOTIFY_WEBHOOK_URLS: `${SLACK_URL},ftp://files.example.com/secret-path,https://user:pw@example.com/x`,
      NOTIFY_TARGETS_FILE: writeTargets('none.json', []),
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^NOTIFY_WEBHOOK_URLS \(target webhook-2, URL 2\): must be an http/);
    expect(problems[1]).toMatch(
      /^NOTIFY_WEBHOOK_URLS \(target webhook-3, URL 3\): must not carry credentials/,
    );
    expect(problems.join('\n')).not.toMatch(/secret|pw@/);
  });
});

describe('NOTIFY_TARGETS_FILE', () => {
  it('when the file lists targets, then events default and headers are kept', () => {
    const file = writeTargets('good.json', [
      { id: 'ops-slack', type: 'slack', url: SLACK_URL },
      {
        id: 'pager_bridge',
        type: 'webhook',
        url: 'http://10.0.0.5:8080/in',
        events: ['incident.opened', 'incident.resolved', 'incident.opened'],
        headers: { 'X-Extra': 'yes', Authorization: 'Bearer abc' },
      },
    ]);
    const config = loadConfig({
      ...base,
      NOTIFY_TARGETS_FILE: file,
      NOTIFY_WEBHOOK_URLS: 'https://a.example/h',
    });
    expect(config.notifyTargets.map((t) => [t.id, t.type, t.events])).toEqual([
      ['webhook-1', 'webhook', ['postmortem.drafted', 'action_items.overdue']],
      ['ops-slack', 'slack', ['postmortem.drafted', 'action_items.overdue']],
      ['pager_bridge', 'webhook', ['incident.opened', 'incident.resolved']],
    ]);
    expect(config.notifyTargets[2]!.headers).toEqual({ 'X-Extra': 'yes', Authorization: 'Bearer abc' });
    expect(config).toMatchObject({ notifyTimeoutMs: 10_000, notifyAttempts: 10, notifyBackoffMs: 2_000 });
    expect(Object.isFrozen(config.notifyTargets[0])).toBe(true);
  });

  it('when ids repeat, URLs are bad or events unknown, then each problem names its target', () => {
    const { problems } = loadNotifyTargets({
      NOTIFY_WEBHOOK_URLS: 'https://a.example/h',
      NOTIFY_TARGETS_FILE: writeTargets('bad.json', [
        { id: 'ops', type: 'slack', url: SLACK_URL },
        { id: 'ops', type: 'webhook', url: 'https://b.example/h' },
        { id: 'webhook-1', type: 'webhook', url: 'https://c.example/h' },
        { id: 'bad-url', type: 'webhook', url: 'javascript:alert(1)//very-secret' },
        {
          id: 'bad-events',
          type: 'slack',
          url: SLACK_URL,
          events: ['postmortem.drafted', 'incident.exploded'],
        },
        { id: 'Bad Id', type: 'teams', url: SLACK_URL, event: ['incident.opened'] },
        {
          id: 'hdr',
          type: 'webhook',
          url: 'https://d.example/',
          headers: { 'Content-Type': 'x', 'X-A': 'a\nb' },
        },
      ]),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'NOTIFY_TARGETS_FILE[bad-url].url: must be an http:// or https:// URL',
        expect.stringMatching(
          /^NOTIFY_TARGETS_FILE\[bad-events\]\.events\.1: unknown event "incident\.exploded"/,
        ),
        expect.stringMatching(/^NOTIFY_TARGETS_FILE\[5\]\.id: /),
        expect.stringMatching(/^NOTIFY_TARGETS_FILE\[5\]\.type: must be "slack" or "webhook"/),
        expect.stringMatching(/^NOTIFY_TARGETS_FILE\[5\]: Unrecognized key: "event"/),
        expect.stringMatching(/^NOTIFY_TARGETS_FILE\[hdr\]\.headers\.Content-Type: is set by Hindsight/),
        expect.stringMatching(
          /^NOTIFY_TARGETS_FILE\[hdr\]\.headers\.X-A: must be printable text on one line/,
        ),
        'notify target ops: id is used by more than one target',
        'notify target webhook-1: id is used by more than one target',
      ]),
    );
    expect(problems.join('\n')).not.toMatch(/very-secret|XXXXsecret|hooks\.slack\.com/);
  });

  it('when the file is not a JSON array, then it says so without quoting the file', () => {
    expect(parseTargetsJson(`[{"url": "${SLACK_URL}"`, 'F').problems).toEqual(['F: is not valid JSON']);
    expect(parseTargetsJson('{"id": "x"}', 'F').problems).toEqual(['F: must be a JSON array of targets']);
  });

  it('when a configured file does not exist, then it is an error; the default file may be absent', () => {
    expect(problemsOf({ NOTIFY_TARGETS_FILE: path.join(dir, 'missing.json') })).toEqual([
      expect.stringMatching(/^NOTIFY_TARGETS_FILE: cannot read .*missing\.json \(ENOENT\)$/),
    ]);
    expect(loadNotifyTargets({}, dir)).toEqual({ targets: [], problems: [] });
  });

  it('when the default config/targets.json exists, then it is read', () => {
    fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'config', 'targets.json'),
      JSON.stringify([{ id: 'x', type: 'webhook', url: 'https://x.example/' }]),
    );
    expect(loadNotifyTargets({}, dir).targets.map((t) => t.id)).toEqual(['x']);
  });

  it('when other variables are bad too, then target problems are in the same error', () => {
    const named = problemsOf({ PORT: 'eighty', NOTIFY_WEBHOOK_URLS: 'nope', NOTIFY_ATTEMPTS: '0' }).map(
      (p) => p.split(':')[0],
    );
    expect(named).toEqual(
      expect.arrayContaining(['PORT', 'NOTIFY_ATTEMPTS', 'NOTIFY_WEBHOOK_URLS (target webhook-1, URL 1)']),
    );
  });

  it('when the shipped example is loaded, then it is valid', () => {
    const example = path.resolve(__dirname, '..', '..', 'config', 'targets.example.json');
    const { targets, problems } = parseTargetsJson(fs.readFileSync(example, 'utf8'), 'example');
    expect(problems).toEqual([]);
    expect(targets.length).toBeGreaterThan(0);
  });
});
