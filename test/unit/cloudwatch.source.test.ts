import { generateKeyPairSync } from 'node:crypto';
import { cloudwatchSettingsSchema, cloudwatchSource } from '../../src/sources/cloudwatch/cloudwatch.source';
import { fixtureNamed, sourceContext } from '../helpers/source-fixtures';
import { validationFieldOf } from '../helpers/source-tests';
import { TEST_CERT_URL, TEST_SNS_CERTIFICATE, signSns } from '../helpers/sns';

const signature = cloudwatchSource.certificateSignature!;
const handshake = cloudwatchSource.handshake!;
const notification = () => ({ ...(fixtureNamed('cloudwatch', 'alarm-triggered-api-cpu').body as object) });
const confirmation = () => ({ ...(fixtureNamed('cloudwatch', 'subscription-confirmation').body as object) });

describe('cloudwatch settings', () => {
  test.each([
    [{}, true],
    [{ SNS_VERIFY_SIGNATURES: 'true' }, true],
    [{ SNS_VERIFY_SIGNATURES: 'false' }, false],
  ])('when the environment is %j, then signatures are verified: %s', (env, verified) => {
    const settings = cloudwatchSettingsSchema.parse(env);
    expect(settings).toEqual({ verifySignatures: verified, topicArns: null });
    expect(signature.required(settings)).toBe(verified);
  });

  test('when SNS_VERIFY_SIGNATURES is neither true nor false, then it is refused by name', () => {
    const parsed = cloudwatchSettingsSchema.safeParse({ SNS_VERIFY_SIGNATURES: 'no' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['SNS_VERIFY_SIGNATURES'],
      message: 'must be true or false',
    });
  });
});

describe('cloudwatch topics (SNS_TOPIC_ARNS)', () => {
  const ALARMS = 'arn:aws:sns:us-east-1:123456789012:hindsight-alarms';
  const parseWith = (env: Record<string, string>, body: object) =>
    cloudwatchSource.parse(body, {
      ...sourceContext(JSON.stringify(body)),
      settings: cloudwatchSettingsSchema.parse(env),
    });

  test('when topics are listed, then they are read from the comma-separated list, spaces and empties dropped', () => {
    const settings = cloudwatchSettingsSchema.parse({
      SNS_TOPIC_ARNS: ` ${ALARMS} ,, arn:aws-cn:sns:cn-north-1:123456789012:other `,
    });
    expect(settings.topicArns).toEqual([ALARMS, 'arn:aws-cn:sns:cn-north-1:123456789012:other']);
    expect(cloudwatchSettingsSchema.parse({ SNS_TOPIC_ARNS: ' , ' }).topicArns).toBeNull();
  });

  test('when a listed topic is not an SNS topic ARN, then SNS_TOPIC_ARNS is refused by name', () => {
    const parsed = cloudwatchSettingsSchema.safeParse({
      SNS_TOPIC_ARNS: `${ALARMS},arn:aws:sqs:us-east-1:123456789012:q`,
    });
    expect(parsed.error?.issues[0]?.path).toEqual(['SNS_TOPIC_ARNS', 1]);
  });

  test('when a message is of a listed topic, then it is read; of another, refused naming TopicArn, a confirmation too', () => {
    expect(parseWith({ SNS_TOPIC_ARNS: ALARMS }, notification()).alerts).toHaveLength(1);
    const other = `${ALARMS}-staging`;
    for (const body of [
      { ...notification(), TopicArn: other },
      { ...confirmation(), TopicArn: other },
    ]) {
      expect(validationFieldOf(() => parseWith({ SNS_TOPIC_ARNS: ALARMS }, body))).toBe('TopicArn');
    }
    expect(parseWith({}, { ...notification(), TopicArn: other }).alerts).toHaveLength(1);
  });
});

describe('cloudwatch certificate signature', () => {
  test('when a message names an Amazon SNS .pem URL, then that is the certificate to fetch', () => {
    expect(signature.certificateUrl(signSns(notification()))).toBe(TEST_CERT_URL);
  });

  test.each([
    ['not an SNS message', { hello: 'world' }],
    ['without a SigningCertURL', { ...notification(), SigningCertURL: undefined }],
    ['a certificate on another host', signSns(notification(), { certUrl: 'https://evil.example/c.pem' })],
    [
      'a certificate URL without .pem',
      signSns(notification(), { certUrl: 'https://sns.us-east-1.amazonaws.com/c' }),
    ],
    [
      'a certificate over http',
      signSns(notification(), { certUrl: 'http://sns.us-east-1.amazonaws.com/c.pem' }),
    ],
  ])('when the body is %s, then no certificate is fetched for it', (_what, body) => {
    expect(signature.certificateUrl(body)).toBeNull();
  });

  test.each(['1', '2'] as const)(
    'when a message is signed (version %s) by the certificate, then it verifies',
    (version) => {
      expect(signature.verify(signSns(notification(), { version }), TEST_SNS_CERTIFICATE)).toBe(true);
      expect(signature.verify(signSns(confirmation(), { version }), TEST_SNS_CERTIFICATE)).toBe(true);
    },
  );

  test('when a signed message is changed, or signed by another key, or is no message, then it does not verify', () => {
    const changed = { ...signSns(notification()), Message: '{"AlarmName":"other"}' };
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(signature.verify(changed, TEST_SNS_CERTIFICATE)).toBe(false);
    expect(signature.verify(signSns(notification(), { key: other.toString() }), TEST_SNS_CERTIFICATE)).toBe(
      false,
    );
    expect(signature.verify({ Type: 'Notification' }, TEST_SNS_CERTIFICATE)).toBe(false);
  });
});

describe('cloudwatch handshake', () => {
  test('when a SubscriptionConfirmation comes, then its SubscribeURL is the URL to visit, named by its topic', () => {
    const body = confirmation() as { SubscribeURL: string; TopicArn: string };
    expect(handshake.requested(body)).toEqual({
      url: body.SubscribeURL,
      what: `SNS subscription to ${body.TopicArn}`,
    });
    expect(handshake.allows(body.SubscribeURL)).toBe(true);
  });

  test.each([
    ['a notification', notification()],
    ['an unsubscribe confirmation', { ...confirmation(), Type: 'UnsubscribeConfirmation' }],
    [
      'a confirmation whose SubscribeURL is not Amazon SNS',
      { ...confirmation(), SubscribeURL: 'https://evil.example/?Action=ConfirmSubscription' },
    ],
    ['garbage', [1, 2, 3]],
  ])('when the body is %s, then nothing is visited', (_what, body) => {
    expect(handshake.requested(body)).toBeNull();
  });

  test.each([
    'https://evil.example/?Action=ConfirmSubscription',
    'http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
    'https://sns.us-east-1.amazonaws.com.evil.example/',
  ])('when a worker is asked to visit %s, then the source does not allow it', (url) => {
    expect(handshake.allows(url)).toBe(false);
  });
});
