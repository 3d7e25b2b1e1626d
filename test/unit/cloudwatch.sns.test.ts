import { X509Certificate, createSign, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSnsMessage, snsStringToSign, type SnsMessage } from '../../src/sources/cloudwatch/sns.message';
import {
  isAwsSnsUrl,
  isSigningCertUrl,
  verifySnsSignature,
} from '../../src/sources/cloudwatch/sns.signature';
import { fixtureNamed } from '../helpers/source-fixtures';
import { validationFieldOf } from '../helpers/source-tests';

const KEYS = join(__dirname, '..', 'fixtures', 'cloudwatch-keys');
const TOPIC = 'arn:aws:sns:us-east-2:123456789012:MyTopic';

function notification(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: '4d4dc071-ddbf-465d-bba8-08f81c89da64',
    TopicArn: TOPIC,
    Subject: 'My subject',
    Message: 'My Test Message',
    Timestamp: '2019-01-31T04:37:04.321Z',
    ...fields,
  };
}

function confirmation(type: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: type,
    MessageId: '3d891288-136d-417f-bc05-901c108273ee',
    Token: '233abc',
    TopicArn: TOPIC,
    Message: 'My Test Message',
    SubscribeURL: `https://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=233abc`,
    Timestamp: '2019-01-31T19:25:13.719Z',
    ...fields,
  };
}

describe('readSnsMessage', () => {
  test('when a notification is read, then its fields are kept exactly, spaces and newlines included', () => {
    const message = readSnsMessage(notification({ Message: '  two\nlines  ', Subject: '' }));
    expect(message).toEqual({
      Type: 'Notification',
      MessageId: '4d4dc071-ddbf-465d-bba8-08f81c89da64',
      TopicArn: TOPIC,
      Message: '  two\nlines  ',
      Timestamp: '2019-01-31T04:37:04.321Z',
      Subject: '',
      Token: null,
      SubscribeURL: null,
      UnsubscribeURL: null,
      SignatureVersion: null,
      Signature: null,
      SigningCertURL: null,
    });
  });

  test('when the signature fields are sent, then they are read as sent', () => {
    const message = readSnsMessage(
      notification({
        SignatureVersion: '2',
        Signature: 'c2ln',
        SigningCertURL: 'https://x/c.pem',
        UnsubscribeURL: 'https://x/u',
      }),
    );
    expect([
      message.SignatureVersion,
      message.Signature,
      message.SigningCertURL,
      message.UnsubscribeURL,
    ]).toEqual(['2', 'c2ln', 'https://x/c.pem', 'https://x/u']);
  });

  test.each([
    ['body', null],
    ['body', ['Notification']],
    ['body', 'Notification'],
    ['Type', notification({ Type: undefined })],
    ['Type', notification({ Type: '' })],
    ['Type', notification({ Type: 7 })],
    ['Type', notification({ Type: 'notification' })],
    ['Type', notification({ Type: 'Ping' })],
    ['MessageId', notification({ MessageId: undefined })],
    ['MessageId', notification({ MessageId: 12 })],
    ['MessageId', notification({ MessageId: 'm'.repeat(1001) })],
    ['TopicArn', notification({ TopicArn: null })],
    ['Message', notification({ Message: '' })],
    ['Message', notification({ Message: { AlarmName: 'a' } })],
    ['Message', notification({ Message: 'x'.repeat(262_145) })],
    ['Timestamp', notification({ Timestamp: undefined })],
    ['Subject', notification({ Subject: 1 })],
    ['Subject', notification({ Subject: 's'.repeat(1001) })],
    ['Signature', notification({ Signature: 'A'.repeat(4097) })],
    ['SigningCertURL', notification({ SigningCertURL: ['https://x'] })],
    ['SignatureVersion', notification({ SignatureVersion: 2 })],
    ['UnsubscribeURL', notification({ UnsubscribeURL: {} })],
    ['Token', confirmation('SubscriptionConfirmation', { Token: undefined })],
    ['SubscribeURL', confirmation('SubscriptionConfirmation', { SubscribeURL: '' })],
    ['Token', confirmation('UnsubscribeConfirmation', { Token: null })],
    ['SubscribeURL', confirmation('UnsubscribeConfirmation', { SubscribeURL: 'u'.repeat(4097) })],
  ])('when the envelope has a wrong %s, then a ValidationError naming it', (path, body) => {
    expect(validationFieldOf(() => readSnsMessage(body))).toBe(path);
  });

  test('when a Message is exactly 256 KiB, then it is read', () => {
    expect(readSnsMessage(notification({ Message: 'x'.repeat(262_144) })).Message).toHaveLength(262_144);
  });
});

describe('snsStringToSign', () => {
  test('when a notification has a Subject, then the AWS example string: Message, MessageId, Subject, Timestamp, TopicArn, Type', () => {
    expect(snsStringToSign(readSnsMessage(notification({ Token: 'ignored', SubscribeURL: 'ignored' })))).toBe(
      'Message\nMy Test Message\nMessageId\n4d4dc071-ddbf-465d-bba8-08f81c89da64\nSubject\nMy subject\n' +
        `Timestamp\n2019-01-31T04:37:04.321Z\nTopicArn\n${TOPIC}\nType\nNotification\n`,
    );
  });

  test('when a notification has no Subject, then the Subject pair is left out altogether', () => {
    expect(snsStringToSign(readSnsMessage(notification({ Subject: undefined })))).toBe(
      'Message\nMy Test Message\nMessageId\n4d4dc071-ddbf-465d-bba8-08f81c89da64\n' +
        `Timestamp\n2019-01-31T04:37:04.321Z\nTopicArn\n${TOPIC}\nType\nNotification\n`,
    );
  });

  test.each(['SubscriptionConfirmation', 'UnsubscribeConfirmation'])(
    'when a %s is signed, then Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type, and no Subject',
    (type) => {
      const body = confirmation(type, { Subject: 'not signed' });
      expect(snsStringToSign(readSnsMessage(body))).toBe(
        'Message\nMy Test Message\nMessageId\n3d891288-136d-417f-bc05-901c108273ee\n' +
          `SubscribeURL\n${String(body.SubscribeURL)}\nTimestamp\n2019-01-31T19:25:13.719Z\nToken\n233abc\n` +
          `TopicArn\n${TOPIC}\nType\n${type}\n`,
      );
    },
  );
});

describe('isAwsSnsUrl', () => {
  test.each([
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.eu-west-3.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-3:1:t&Token=x',
    'https://sns.us-gov-west-1.amazonaws.com/',
    'https://sns.ap-southeast-2.amazonaws.com',
    'https://sns.cn-north-1.amazonaws.com.cn/x.pem',
    'https://sns.cn-northwest-1.amazonaws.com.cn/x.pem',
    'https://sns.us-east-1.amazonaws.com:443/x.pem',
    'HTTPS://SNS.US-EAST-1.AMAZONAWS.COM/x.pem',
  ])('when the URL is %s, then it is Amazon SNS', (url) => {
    expect(isAwsSnsUrl(url)).toBe(true);
  });

  test.each([
    'http://sns.us-east-1.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com.evil.example/x.pem',
    'https://evil.example/sns.us-east-1.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com@evil.example/x.pem',
    'https://user@sns.us-east-1.amazonaws.com/x.pem',
    'https://user:pass@sns.us-east-1.amazonaws.com/x.pem',
    'https://:pass@sns.us-east-1.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com:8443/x.pem',
    'https://sns.us-east-1.amazonaws.com./x.pem',
    'https://sqs.us-east-1.amazonaws.com/x.pem',
    'https://xsns.us-east-1.amazonaws.com/x.pem',
    'https://a.sns.us-east-1.amazonaws.com/x.pem',
    'https://sns.amazonaws.com/x.pem',
    'https://sns.us-east.amazonaws.com/x.pem',
    'https://sns.u-east-1.amazonaws.com/x.pem',
    'https://sns.useast-1.amazonaws.com/x.pem',
    'https://sns.us-east-100.amazonaws.com/x.pem',
    'https://sns.cn-north-1.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com.cn/x.pem',
    'https://sns.us-east-1.amazonaws.org/x.pem',
    'https://sns.us-east-1.amazonaws.com\\@evil.example/x.pem',
    ' https://sns.us-east-1.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com/x .pem',
    'https://sns.us-east-1.amazonaws.com/\u00e9.pem',
    'sns.us-east-1.amazonaws.com/x.pem',
    'https://',
    '',
  ])('when the URL is %j, then it is not', (url) => {
    expect(isAwsSnsUrl(url)).toBe(false);
  });
});

describe('isSigningCertUrl', () => {
  test('when the URL is Amazon SNS and its path ends in .pem, then it is a signing certificate URL', () => {
    expect(isSigningCertUrl('https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem')).toBe(
      true,
    );
    expect(isSigningCertUrl('https://sns.cn-north-1.amazonaws.com.cn/a.pem?x=1')).toBe(true);
  });

  test.each([
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem.txt',
    'https://sns.us-east-1.amazonaws.com/?file=a.pem',
    'https://sns.us-east-1.amazonaws.com/#a.pem',
    'https://sns.us-east-1.amazonaws.com/',
    'https://evil.example/a.pem',
    'http://sns.us-east-1.amazonaws.com/a.pem',
    'not a url.pem',
  ])('when the URL is %j, then it is not', (url) => {
    expect(isSigningCertUrl(url)).toBe(false);
  });
});

describe('verifySnsSignature', () => {
  let key: string;
  let certificate: string;

  beforeEach(() => {
    key = readFileSync(join(KEYS, 'k.pem'), 'utf8');
    certificate = readFileSync(join(KEYS, 'c.pem'), 'utf8');
  });

  function signed(body: Record<string, unknown>, version: string, signingKey = key): SnsMessage {
    const unsigned = readSnsMessage(body);
    const signer = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
    signer.update(snsStringToSign(unsigned), 'utf8');
    return { ...unsigned, SignatureVersion: version, Signature: signer.sign(signingKey, 'base64') };
  }

  test.each(['1', '2'])('when a notification is signed with version %s, then it verifies', (version) => {
    expect(verifySnsSignature(signed(notification(), version), certificate)).toBe(true);
  });

  test.each(['SubscriptionConfirmation', 'UnsubscribeConfirmation'])(
    'when a %s is signed, then it verifies',
    (type) => {
      expect(verifySnsSignature(signed(confirmation(type), '2'), certificate)).toBe(true);
    },
  );

  test('when a notification without Subject is signed, then it verifies, and adding a Subject breaks it', () => {
    const message = signed(notification({ Subject: undefined }), '2');
    expect(verifySnsSignature(message, certificate)).toBe(true);
    expect(verifySnsSignature({ ...message, Subject: '' }, certificate)).toBe(false);
  });

  test.each([
    ['Message', { Message: 'My Test Message!' }],
    ['MessageId', { MessageId: 'other' }],
    ['Subject', { Subject: null }],
    ['Timestamp', { Timestamp: '2019-01-31T04:37:04.322Z' }],
    ['TopicArn', { TopicArn: 'arn:aws:sns:us-east-2:123456789012:Other' }],
  ])("when the signed notification's %s is changed, then it no longer verifies", (_field, change) => {
    const message = signed(notification(), '2');
    expect(verifySnsSignature({ ...message, ...change }, certificate)).toBe(false);
  });

  test("when a confirmation's SubscribeURL or Token is changed, then it no longer verifies", () => {
    const message = signed(confirmation('SubscriptionConfirmation'), '1');
    expect(
      verifySnsSignature({ ...message, SubscribeURL: 'https://sns.us-east-2.amazonaws.com/?x' }, certificate),
    ).toBe(false);
    expect(verifySnsSignature({ ...message, Token: '234abc' }, certificate)).toBe(false);
  });

  test('when the signature is over the other hash than its version says, then it does not verify', () => {
    expect(verifySnsSignature({ ...signed(notification(), '1'), SignatureVersion: '2' }, certificate)).toBe(
      false,
    );
    expect(verifySnsSignature({ ...signed(notification(), '2'), SignatureVersion: '1' }, certificate)).toBe(
      false,
    );
  });

  test('when another key signed it, then the certificate does not verify it', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(verifySnsSignature(signed(notification(), '2', other.toString()), certificate)).toBe(false);
  });

  test.each([
    ['an unknown version', { SignatureVersion: '3' }],
    ['no version', { SignatureVersion: null }],
    ['no signature', { Signature: null }],
    ['an empty signature', { Signature: '' }],
    ['a signature that is not base64', { Signature: '!!!not base64!!!' }],
    ['a signature with bad padding', { Signature: 'QUJD=' }],
  ])('when the message has %s, then false', (_what, change) => {
    expect(verifySnsSignature({ ...signed(notification(), '2'), ...change }, certificate)).toBe(false);
  });

  test('when the signature is damaged by one character, then false', () => {
    const message = signed(notification(), '2');
    const signature = message.Signature!;
    const damaged = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    expect(verifySnsSignature({ ...message, Signature: damaged }, certificate)).toBe(false);
  });

  test('when a valid signature has a character base64 lacks, or a line break, inserted, then false (no lenient decoding)', () => {
    const message = signed(notification(), '2');
    const signature = message.Signature!;
    expect(verifySnsSignature(message, certificate)).toBe(true);
    for (const inserted of ['!', '\n', ' ', '-'])
      expect(
        verifySnsSignature(
          { ...message, Signature: signature.slice(0, 8) + inserted + signature.slice(8) },
          certificate,
        ),
      ).toBe(false);
  });

  test("when the certificate's own public key is given bare instead of the certificate, then false", () => {
    const message = signed(notification(), '2');
    const bare = new X509Certificate(certificate).publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString();
    expect(verifySnsSignature(message, bare)).toBe(false);
  });

  test('when the certificate is no certificate (garbage, a bare public key, the private key), then false and no throw', () => {
    const message = signed(notification(), '2');
    const publicKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    for (const pem of ['', 'not a certificate', publicKey.toString(), key])
      expect(verifySnsSignature(message, pem)).toBe(false);
  });

  test('when the signed fixtures are read, then they verify with the throwaway certificate', () => {
    for (const name of ['alarm-triggered-api-cpu', 'alarm-recovered-api-cpu', 'subscription-confirmation']) {
      const message = readSnsMessage(fixtureNamed('cloudwatch', name).body);
      expect([name, verifySnsSignature(message, certificate)]).toEqual([name, true]);
    }
    expect(
      readSnsMessage(fixtureNamed('cloudwatch', 'subscription-confirmation').body).SignatureVersion,
    ).toBe('1');
  });
});
