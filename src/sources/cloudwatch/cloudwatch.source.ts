/**
 * Amazon CloudWatch alarms, delivered by an Amazon SNS HTTPS subscription, as a source. SNS posts its JSON as
 * `text/plain; charset=UTF-8`; `application/json` is taken too (hand-made test requests). SNS signs with a
 * certificate it publishes, not with a shared secret: every message is verified against it unless
 * SNS_VERIFY_SIGNATURES=false, and a SubscriptionConfirmation is confirmed by a worker visiting its
 * SubscribeURL. Only Amazon SNS's own URLs are ever fetched (sns.signature.ts).
 */
import { z } from 'zod';
import { defineSource } from '../source';
import { parseCloudWatchWebhook, subscriptionToConfirm } from './cloudwatch.adapter';
import { readSnsMessage, type SnsMessage } from './sns.message';
import { isAwsSnsUrl, isSigningCertUrl, verifySnsSignature } from './sns.signature';

export interface CloudWatchSettings {
  /** SNS_VERIFY_SIGNATURES: off only for test setups that post unsigned messages. */
  verifySignatures: boolean;
}

export const cloudwatchSettingsSchema: z.ZodType<CloudWatchSettings> = z
  .object({
    SNS_VERIFY_SIGNATURES: z.enum(['true', 'false'], { message: 'must be true or false' }).default('true'),
  })
  .transform((env) => ({ verifySignatures: env.SNS_VERIFY_SIGNATURES === 'true' }));

/** The body as an SNS message; null when it is none (the parse step names what is wrong). */
function snsMessageOf(body: unknown): SnsMessage | null {
  try {
    return readSnsMessage(body);
  } catch {
    return null;
  }
}

export const cloudwatchSource = defineSource<CloudWatchSettings>({
  name: 'cloudwatch',
  bodyFormats: ['text-json', 'json'],
  settings: cloudwatchSettingsSchema,
  certificateSignature: {
    name: 'the SNS message signature (SigningCertURL, Signature)',
    required: (settings) => settings.verifySignatures,
    certificateUrl(body) {
      const url = snsMessageOf(body)?.SigningCertURL ?? null;
      return url !== null && isSigningCertUrl(url) ? url : null;
    },
    verify(body, certificatePem) {
      const message = snsMessageOf(body);
      return message !== null && verifySnsSignature(message, certificatePem);
    },
  },
  handshake: {
    requested(body) {
      const subscription = subscriptionToConfirm(body);
      return subscription === null
        ? null
        : { url: subscription.subscribeUrl, what: `SNS subscription to ${subscription.topicArn}` };
    },
    allows: isAwsSnsUrl,
  },
  parse: parseCloudWatchWebhook,
});
