/**
 * An Amazon SNS HTTP(S) delivery: the JSON envelope SNS POSTs (as text/plain) for a notification, a subscription
 * confirmation or an unsubscribe confirmation, and the canonical string SNS signs over it.
 *
 * The fields are kept exactly as sent (never trimmed or cut): the signature is over these bytes, so a value too
 * long to keep is refused, naming its field, rather than shortened.
 */
import { ValidationError } from '../../errors';
import { LIMITS, field, requireRecord, type JsonRecord } from '../../payloads/values';

export const SNS_MESSAGE_TYPES = [
  'Notification',
  'SubscriptionConfirmation',
  'UnsubscribeConfirmation',
] as const;
export type SnsMessageType = (typeof SNS_MESSAGE_TYPES)[number];

/** SNS's own field names, so the string to sign reads straight from them; null is "not sent". */
export interface SnsMessage {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn: string;
  /** The published text: for CloudWatch, the alarm as a JSON string. */
  Message: string;
  /** When SNS published it (ISO-8601 UTC). */
  Timestamp: string;
  /** Notifications only, and only when the publisher set one. */
  Subject: string | null;
  /** Confirmations only. */
  Token: string | null;
  /** Confirmations only: the URL that confirms (or re-confirms) the subscription. */
  SubscribeURL: string | null;
  /** Notifications only. */
  UnsubscribeURL: string | null;
  /** '1' (SHA1withRSA) or '2' (SHA256withRSA). */
  SignatureVersion: string | null;
  /** Base64. */
  Signature: string | null;
  SigningCertURL: string | null;
}

/** SNS refuses to publish a message over 256 KiB. */
export const MAX_SNS_MESSAGE = 262_144;
/** URLs and signatures (a 4096-bit RSA signature is 684 base64 characters). */
const MAX_URL = 4096;

/** A string kept as sent: absent (undefined/null) gives null; anything else not a string, or too long, is refused. */
function exactText(record: JsonRecord, key: string, max: number): string | null {
  const value = field(record, key);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ValidationError(key, 'must be a string');
  if (value.length > max) throw new ValidationError(key, `is longer than ${max} characters`);
  return value;
}

function requireExactText(record: JsonRecord, key: string, max: number): string {
  const text = exactText(record, key, max);
  if (text === null || text === '') throw new ValidationError(key, 'is required');
  return text;
}

function readType(record: JsonRecord): SnsMessageType {
  const type = requireExactText(record, 'Type', LIMITS.text);
  const known = SNS_MESSAGE_TYPES.find((candidate) => candidate === type);
  if (known === undefined)
    throw new ValidationError('Type', `unknown SNS message type ${JSON.stringify(type.slice(0, 64))}`);
  return known;
}

/**
 * The envelope of one SNS delivery. Type, MessageId, TopicArn, Message and Timestamp are required; a confirmation
 * also needs Token and SubscribeURL. The signature fields are read but not required: checking them is the route's.
 */
export function readSnsMessage(body: unknown): SnsMessage {
  const record = requireRecord('body', body);
  const type = readType(record);
  const isConfirmation = type !== 'Notification';
  const confirmationText = (key: string, max: number) =>
    isConfirmation ? requireExactText(record, key, max) : exactText(record, key, max);
  return {
    Type: type,
    MessageId: requireExactText(record, 'MessageId', LIMITS.text),
    TopicArn: requireExactText(record, 'TopicArn', LIMITS.text),
    Message: requireExactText(record, 'Message', MAX_SNS_MESSAGE),
    Timestamp: requireExactText(record, 'Timestamp', LIMITS.text),
    Subject: exactText(record, 'Subject', LIMITS.text),
    Token: confirmationText('Token', MAX_URL),
    SubscribeURL: confirmationText('SubscribeURL', MAX_URL),
    UnsubscribeURL: exactText(record, 'UnsubscribeURL', MAX_URL),
    SignatureVersion: exactText(record, 'SignatureVersion', LIMITS.text),
    Signature: exactText(record, 'Signature', MAX_URL),
    SigningCertURL: exactText(record, 'SigningCertURL', MAX_URL),
  };
}

/** The fields SNS signs, per message type, in byte order of their names. */
const SIGNED_FIELDS: Readonly<Record<SnsMessageType, readonly (keyof SnsMessage)[]>> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: [
    'Message',
    'MessageId',
    'SubscribeURL',
    'Timestamp',
    'Token',
    'TopicArn',
    'Type',
  ],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/**
 * The canonical string AWS signs: `Name\nvalue\n` for each signed field of the message's type, in order; a field
 * not sent (a Notification's Subject, say) is left out altogether.
 */
export function snsStringToSign(message: SnsMessage): string {
  return SIGNED_FIELDS[message.Type]
    .map((name) => {
      const value = message[name];
      return value === null ? '' : `${name}\n${value}\n`;
    })
    .join('');
}
