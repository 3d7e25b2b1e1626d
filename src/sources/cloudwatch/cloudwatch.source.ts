/**
 * Amazon CloudWatch alarms, delivered by an Amazon SNS HTTPS subscription, as a source. SNS posts its JSON as
 * `text/plain; charset=UTF-8`; `application/json` is taken too (hand-made test requests). SNS signs with a
 * certificate, not a shared secret, so there is no `signature` here: the route verifies with sns.signature.ts.
 */
import { defineSource } from '../source';
import { parseCloudWatchWebhook } from './cloudwatch.adapter';

export const cloudwatchSource = defineSource({
  name: 'cloudwatch',
  bodyFormats: ['text-json', 'json'],
  parse: parseCloudWatchWebhook,
});
