/**
 * CloudWatch through Amazon SNS, with signatures verified (the default), against a local stand-in for
 * sns.<region>.amazonaws.com (test/helpers/sns.ts): the subscription is confirmed by a worker, signed alarms
 * open and resolve an incident, the certificate is fetched once, and everything unsigned, wrongly signed or
 * signed by a certificate elsewhere is refused with nothing queued and nothing fetched but Amazon's URLs.
 */
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { WEBHOOK_TOKEN, queuedAlerts, startPipeline, type Pipeline } from '../helpers/pipeline';
import { fixtureNamed, lifecycleOf } from '../helpers/source-fixtures';
import { TEST_CERT_URL, signSns, startSnsStandIn, type SnsStandIn } from '../helpers/sns';
import { storedIncidents } from '../helpers/stored-incidents';

let standIn: SnsStandIn;
let pipeline: Pipeline;
beforeAll(async () => {
  standIn = await startSnsStandIn();
  pipeline = await startPipeline({ fetch: standIn.fetch });
});
afterAll(async () => {
  await pipeline.close();
  await standIn.close();
});

function post(body: Record<string, unknown> | string, type = 'Notification'): request.Test {
  return request(pipeline.app)
    .post(`/webhooks/cloudwatch?token=${WEBHOOK_TOKEN}`)
    .set('Content-Type', 'text/plain; charset=UTF-8')
    .set('x-amz-sns-message-type', type)
    .send(typeof body === 'string' ? body : JSON.stringify(body));
}

/** A lifecycle fixture's body without its (made-up) signature fields. */
function unsignedBody(which: 'trigger' | 'recovery'): Record<string, unknown> {
  const body = { ...(lifecycleOf('cloudwatch')[which].body as Record<string, unknown>) };
  for (const key of ['Signature', 'SignatureVersion', 'SigningCertURL']) delete body[key];
  return body;
}

const incidents = () => storedIncidents(pipeline.mongo, { source: 'cloudwatch' });

describe('cloudwatch through SNS, signatures verified', () => {
  test('when SNS asks to confirm the subscription (twice, as it retries), then a worker visits its SubscribeURL once and nothing opens', async () => {
    const body = signSns({ ...(fixtureNamed('cloudwatch', 'subscription-confirmation').body as object) });
    for (let i = 0; i < 2; i += 1) {
      const res = await post(body, 'SubscriptionConfirmation');
      expect([res.status, res.body]).toEqual([
        202,
        {
          accepted: [],
          ignored: 'subscription confirmation for arn:aws:sns:us-east-1:123456789012:hindsight-alarms',
        },
      ]);
    }
    await pipeline.drain();
    expect(standIn.confirmations.map((q) => [q.get('TopicArn'), q.get('Token')])).toEqual([
      ['arn:aws:sns:us-east-1:123456789012:hindsight-alarms', body.Token],
    ]);
    expect(await incidents()).toEqual([]);
    // The log names the topic, never the SubscribeURL or its token.
    const log = pipeline.logLines.join('');
    expect(log).toContain('handshake confirmed');
    expect(log).not.toContain(String(body.Token));
  });

  test('when signed alarms trigger (version 1) and recover (version 2), with SNS retrying one, then one incident opens and resolves, on one certificate fetch', async () => {
    const trigger = signSns(unsignedBody('trigger'), { version: '1' });
    const recovery = signSns(unsignedBody('recovery'), { version: '2' });
    expect((await post(trigger)).status).toBe(202);
    // SNS retries with the same MessageId: no further effect.
    expect((await post(trigger)).status).toBe(202);
    await pipeline.drain();
    expect((await incidents()).map((i) => i.status)).toEqual(['open']);
    expect((await post(recovery)).status).toBe(202);
    await pipeline.drain();
    const [incident, ...others] = await incidents();
    expect(others).toEqual([]);
    expect(incident).toMatchObject({
      status: 'resolved',
      detectedAt: new Date(String(JSON.parse(String(trigger.Message)).StateChangeTime).replace('+0000', 'Z')),
    });
    expect(incident!.events).toHaveLength(2);
    expect(standIn.certificateRequests).toEqual([new URL(TEST_CERT_URL).pathname]);
  });

  test.each([
    ['unsigned', () => unsignedBody('trigger')],
    ['changed after it was signed', () => ({ ...signSns(unsignedBody('trigger')), Subject: 'ALARM: other' })],
    [
      'signed by another key',
      () => {
        const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
        return signSns(unsignedBody('trigger'), {
          key: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
        });
      },
    ],
    [
      'signed with a certificate on another host',
      () =>
        signSns(unsignedBody('trigger'), {
          certUrl: 'https://sns.us-east-1.amazonaws.com.evil.example/c.pem',
        }),
    ],
    [
      'of an unknown SignatureVersion',
      () => ({ ...signSns(unsignedBody('trigger')), SignatureVersion: '3' }),
    ],
  ])(
    'when a notification comes %s, then 401 names the SNS signature, nothing is queued and only Amazon is asked',
    async (_what, bodyOf) => {
      const before = queuedAlerts(pipeline);
      const res = await post(bodyOf());
      expect([res.status, res.body.error?.message]).toEqual([
        401,
        expect.stringContaining('SNS message signature'),
      ]);
      expect(queuedAlerts(pipeline)).toBe(before);
      expect(standIn.refused).toEqual([]);
    },
  );

  test('when the certificate cannot be fetched, then 503 (SNS retries) and nothing is queued; once it can, the same message is accepted', async () => {
    const otherCert = 'https://sns.eu-west-3.amazonaws.com/SimpleNotificationService-other.pem';
    const body = signSns(
      { ...unsignedBody('trigger'), MessageId: 'c0ffee00-0000-4000-8000-000000000503' },
      { certUrl: otherCert },
    );
    standIn.answer.certificateStatus = 500;
    const before = queuedAlerts(pipeline);
    const refused = await post(body);
    expect([refused.status, refused.body.error?.code]).toEqual([503, 'unavailable']);
    expect(queuedAlerts(pipeline)).toBe(before);
    standIn.answer.certificateStatus = 200;
    expect((await post(body)).status).toBe(202);
    expect(standIn.certificateRequests.filter((p) => p.endsWith('-other.pem'))).toHaveLength(2);
  });

  test('when a confirmation names a SubscribeURL that is not Amazon SNS, then it is answered but nothing is visited', async () => {
    const body = signSns({
      ...(fixtureNamed('cloudwatch', 'subscription-confirmation').body as object),
      MessageId: 'c0ffee00-0000-4000-8000-0000000000ee',
      SubscribeURL: 'https://evil.example/?Action=ConfirmSubscription&Token=x',
    });
    const res = await post(body, 'SubscriptionConfirmation');
    expect([res.status, res.body.ignored]).toEqual([202, expect.stringContaining('not confirmed')]);
    await pipeline.drain();
    expect(standIn.confirmations).toHaveLength(1);
    expect(standIn.refused).toEqual([]);
  });
});
