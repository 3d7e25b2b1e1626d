/**
 * Amazon CloudWatch alarms, delivered by an Amazon SNS HTTPS subscription, as a source. SNS posts its JSON as
 * `text/plain; charset=UTF-8`; `application/json` is taken too (hand-made test requests). SNS signs with a
 * certificate it publishes, not with a shared secret: every message is verified against it unless
 * SNS_VERIFY_SIGNATURES=false, and a SubscriptionConfirmation is confirmed by a worker visiting its
 * SubscribeURL. Only Amazon SNS's own URLs are ever fetched (sns.signature.ts).
 */
import { z } from 'zod';
import { ValidationError } from '../../errors';
import { defineSource } from '../source';
import { parseCloudWatchWebhook, subscriptionToConfirm } from './cloudwatch.adapter';
import { readSnsMessage, type SnsMessage } from './sns.message';
import { isAwsSnsUrl, isSigningCertUrl, verifySnsSignature } from './sns.signature';

export interface CloudWatchSettings {
  /** SNS_VERIFY_SIGNATURES: off only for test setups that post unsigned messages. */
  verifySignatures: boolean;
  /** SNS_TOPIC_ARNS: the topics taken (AWS's advice to HTTPS endpoints); null takes any topic. */
  topicArns: readonly string[] | null;
}

/** `arn:aws:sns:us-east-1:123456789012:alarms` (and the China and GovCloud partitions). */
const TOPIC_ARN = /^arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

export const cloudwatchSettingsSchema: z.ZodType<CloudWatchSettings> = z
  .object({
    SNS_VERIFY_SIGNATURES: z.enum(['true', 'false'], { message: 'must be true or false' }).default('true'),
    SNS_TOPIC_ARNS: z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((arn) => arn.trim())
          .filter((arn) => arn !== ''),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(
              TOPIC_ARN,
              'each must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alarms',
            ),
        ),
      )
      .optional(),
  })
  .transform((env) => ({
    verifySignatures: env.SNS_VERIFY_SIGNATURES === 'true',
    topicArns:
      env.SNS_TOPIC_ARNS === undefined || env.SNS_TOPIC_ARNS.length === 0 ? null : env.SNS_TOPIC_ARNS,
  }));

/** Refuses a message of a topic SNS_TOPIC_ARNS does not name (its subscription is then not confirmed either). */
function refuseOtherTopics(body: unknown, topicArns: readonly string[] | null): void {
  if (topicArns === null) return;
  const topic = readSnsMessage(body).TopicArn;
  if (!topicArns.includes(topic))
    throw new ValidationError(
      'TopicArn',
      `${JSON.stringify(topic.slice(0, 300))} is not one of SNS_TOPIC_ARNS`,
    );
}

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
  parse(body, ctx) {
    const result = parseCloudWatchWebhook(body, ctx);
    refuseOtherTopics(body, ctx.settings.topicArns);
    return result;
  },
});
