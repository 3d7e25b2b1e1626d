/**
 * Amazon CloudWatch alarms through an Amazon SNS HTTPS subscription -> Alert. Pure: the same body and context
 * always give the same result. A Notification carries one alarm state change (its Message is the alarm as a
 * JSON string); a subscription or unsubscribe confirmation carries none and is ignored (the route confirms the
 * subscription through `subscriptionToConfirm`). Signatures are not checked here: that needs the signing
 * certificate, which the route fetches (sns.signature.ts).
 */
import type { Alert, Label } from '../../domain/alert';
import { ValidationError } from '../../errors';
import type { SourceContext, SourceResult } from '../source';
import { dedupeLabels, valuesForKeys } from '../../payloads/labels';
import { decideEventTime } from '../../payloads/times';
import { readingPayload } from '../../payloads/values';
import { readCloudWatchAlarm, type CloudWatchAlarm } from './cloudwatch.alarm';
import { severityFromMarkers, transitionFromState } from './cloudwatch.mappings';
import { readSnsMessage, type SnsMessage } from './sns.message';
import { AWS_REGION, isAwsSnsUrl } from './sns.signature';

const SOURCE = 'cloudwatch';
/** The header SNS names the message type in; when sent it must agree with the body's Type. */
export const SNS_MESSAGE_TYPE_HEADER = 'x-amz-sns-message-type';
/** CloudWatch's native host dimension (EC2); ctx.hostTagKeys add to it. */
const HOST_DIMENSIONS = ['InstanceId'];

const ALARM_ARN = new RegExp(`^arn:(aws|aws-cn|aws-us-gov):cloudwatch:(${AWS_REGION}):`);
const REGION_CODE = new RegExp(`^${AWS_REGION}$`);

/** The console's address per AWS partition. */
const CONSOLE_HOSTS: ReadonlyMap<string, (region: string) => string> = new Map([
  ['aws', (region: string) => `${region}.console.aws.amazon.com`],
  ['aws-cn', () => 'console.amazonaws.cn'],
  ['aws-us-gov', () => 'console.amazonaws-us-gov.com'],
]);

function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  return region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/**
 * The alarm's page in the CloudWatch console. The region code comes from the AlarmArn (the alarm's `Region` is a
 * display name such as `US East (N. Virginia)`), else from `Region` when that is a code; null when neither is.
 */
export function alarmConsoleUrl(
  alarm: Pick<CloudWatchAlarm, 'AlarmArn' | 'Region' | 'AlarmName'>,
): string | null {
  const fromArn = alarm.AlarmArn === null ? null : ALARM_ARN.exec(alarm.AlarmArn);
  const region =
    fromArn?.[2] ?? (alarm.Region !== null && REGION_CODE.test(alarm.Region) ? alarm.Region : null);
  if (region === null) return null;
  const host = CONSOLE_HOSTS.get(fromArn?.[1] ?? partitionOfRegion(region))!(region);
  return `https://${host}/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarm.AlarmName)}`;
}

/** The incident key: the alarm's ARN, else its account, region and name (unique within a region). */
function groupKeyOf(alarm: CloudWatchAlarm): string {
  if (alarm.AlarmArn !== null) return `${SOURCE}:alarm:${alarm.AlarmArn}`;
  return `${SOURCE}:alarm-name:${alarm.AWSAccountId ?? '?'}:${alarm.Region ?? '?'}:${alarm.AlarmName}`;
}

function labelOf(key: string, value: string | null): Label | null {
  return value === null ? null : { key, value };
}

function toAlert(message: SnsMessage, alarm: CloudWatchAlarm, ctx: SourceContext): Alert {
  const transition = transitionFromState(alarm.NewStateValue);
  if (transition === null)
    throw new ValidationError(
      'Message.NewStateValue',
      `unknown alarm state ${JSON.stringify(alarm.NewStateValue.slice(0, 64))}`,
    );
  const groupKey = groupKeyOf(alarm);
  return {
    source: SOURCE,
    // SNS keeps a message's MessageId across its delivery retries.
    eventId: `${SOURCE}:${message.MessageId}`,
    groupKey,
    alertKey: `${groupKey}|*`,
    scope: null,
    transition,
    rawTransition: alarm.NewStateValue,
    isTest: false,
    ...decideEventTime(
      [
        ['Message.StateChangeTime', alarm.StateChangeTime],
        ['Timestamp', message.Timestamp],
      ],
      ctx.receivedAt,
    ),
    title: alarm.AlarmName,
    message: alarm.NewStateReason ?? '',
    severity: severityFromMarkers([alarm.AlarmName, alarm.AlarmDescription]),
    monitor: { id: alarm.AlarmArn, name: alarm.AlarmName, url: alarmConsoleUrl(alarm), query: alarm.query },
    cycleKey: null,
    services: valuesForKeys(alarm.dimensions, ctx.serviceTagKeys),
    hosts: valuesForKeys(alarm.dimensions, [...HOST_DIMENSIONS, ...ctx.hostTagKeys]),
    tags: dedupeLabels([
      ...alarm.dimensions,
      labelOf('Region', alarm.Region),
      labelOf('AWSAccountId', alarm.AWSAccountId),
    ]),
  };
}

function checkTypeHeader(message: SnsMessage, ctx: SourceContext): void {
  const header = ctx.header(SNS_MESSAGE_TYPE_HEADER);
  if (header !== undefined && header.trim() !== message.Type)
    throw new ValidationError(
      SNS_MESSAGE_TYPE_HEADER,
      `says ${JSON.stringify(header.slice(0, 64))} but the body's Type is ${message.Type}`,
    );
}

/** One SNS delivery -> its alert (a Notification) or why it carries none (a confirmation). */
export function parseCloudWatchWebhook(body: unknown, ctx: SourceContext): SourceResult {
  return readingPayload(() => {
    const message = readSnsMessage(body);
    checkTypeHeader(message, ctx);
    switch (message.Type) {
      case 'Notification':
        return { alerts: [toAlert(message, readCloudWatchAlarm(message.Message), ctx)] };
      case 'SubscriptionConfirmation':
        return {
          alerts: [],
          ignored: isAwsSnsUrl(message.SubscribeURL ?? '')
            ? `subscription confirmation for ${message.TopicArn}`
            : 'subscription confirmation whose SubscribeURL is not an Amazon SNS URL: not confirmed',
        };
      case 'UnsubscribeConfirmation':
        return { alerts: [], ignored: `unsubscribe confirmation for ${message.TopicArn}` };
    }
  });
}

/**
 * The subscription the route should confirm (by fetching `subscribeUrl`): only for a well-formed
 * SubscriptionConfirmation whose SubscribeURL is Amazon SNS's own; null for anything else. Never throws.
 * The caller checks the message's signature first.
 */
export function subscriptionToConfirm(body: unknown): { subscribeUrl: string; topicArn: string } | null {
  let message: SnsMessage;
  try {
    message = readSnsMessage(body);
  } catch {
    return null;
  }
  if (message.Type !== 'SubscriptionConfirmation' || message.SubscribeURL === null) return null;
  return isAwsSnsUrl(message.SubscribeURL)
    ? { subscribeUrl: message.SubscribeURL, topicArn: message.TopicArn }
    : null;
}
