import type { Alert } from '../../src/domain/alert';
import type { SourceContext } from '../../src/sources/source';
import { parseCloudWatchWebhook } from '../../src/sources/cloudwatch/cloudwatch.adapter';
import { cloudwatchSource } from '../../src/sources/cloudwatch/cloudwatch.source';
import { onlyAlert, onlyFixtureAlert, sourceContext, validationFieldOf } from '../helpers/source-tests';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:hindsight-alarms';
const ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-cpu-high';

/** The context of a request (the body's text is not read here). */
const contextOf = (overrides: Partial<SourceContext> = {}) => sourceContext('', overrides);

function envelope(alarm: unknown, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: 'd1c2b3a4-0000-5000-8000-000000000001',
    TopicArn: TOPIC,
    Message: typeof alarm === 'string' ? alarm : JSON.stringify(alarm),
    Timestamp: '2026-06-14T10:00:01.000Z',
    ...fields,
  };
}

function alertOf(alarm: Record<string, unknown>, ctx: SourceContext = contextOf()): Alert {
  const body = envelope({ AlarmName: 'api-cpu-high', NewStateValue: 'ALARM', AlarmArn: ARN, ...alarm });
  return onlyAlert(parseCloudWatchWebhook(body, ctx).alerts);
}

function fieldOf(body: unknown, ctx: SourceContext = contextOf()): string {
  return validationFieldOf(() => parseCloudWatchWebhook(body, ctx));
}

describe('cloudwatchSource', () => {
  test('when the source is defined, then it is named cloudwatch and reads text/plain JSON first, then JSON', () => {
    expect(cloudwatchSource.name).toBe('cloudwatch');
    expect(cloudwatchSource.bodyFormats).toEqual(['text-json', 'json']);
    expect(cloudwatchSource.signature).toBeUndefined();
  });
});

describe('parseCloudWatchWebhook identity', () => {
  test('when the alarm triggers and recovers, then both alerts share groupKey and alertKey, with distinct eventIds, the recovery later', () => {
    const trigger = onlyFixtureAlert(cloudwatchSource, 'cloudwatch', 'alarm-triggered-api-cpu');
    const recovery = onlyFixtureAlert(cloudwatchSource, 'cloudwatch', 'alarm-recovered-api-cpu');
    expect(recovery.groupKey).toBe(trigger.groupKey);
    expect(recovery.alertKey).toBe(trigger.alertKey);
    expect(recovery.eventId).not.toBe(trigger.eventId);
    expect(Date.parse(recovery.at)).toBeGreaterThan(Date.parse(trigger.at));
    expect([trigger.transition, recovery.transition]).toEqual(['triggered', 'recovered']);
  });

  test('when SNS retries a delivery (same MessageId, new Timestamp and signature), then the eventId is the same', () => {
    const first = parseCloudWatchWebhook(
      envelope({ AlarmName: 'a', NewStateValue: 'ALARM' }, { Signature: 'AAAA' }),
      contextOf(),
    );
    const retry = parseCloudWatchWebhook(
      envelope(
        { AlarmName: 'a', NewStateValue: 'ALARM' },
        { Signature: 'BBBB', Timestamp: '2026-06-14T10:00:21.000Z' },
      ),
      contextOf(),
    );
    expect(retry.alerts[0]!.eventId).toBe(first.alerts[0]!.eventId);
    expect(first.alerts[0]!.eventId).toBe('cloudwatch:d1c2b3a4-0000-5000-8000-000000000001');
  });

  test('when the AlarmArn is missing, then the key is account, region and name, each "?" when absent', () => {
    expect(alertOf({ AlarmArn: null, AWSAccountId: '1', Region: 'EU (Paris)' }).groupKey).toBe(
      'cloudwatch:alarm-name:1:EU (Paris):api-cpu-high',
    );
    const bare = alertOf({ AlarmArn: undefined });
    expect(bare.groupKey).toBe('cloudwatch:alarm-name:?:?:api-cpu-high');
    expect(bare.alertKey).toBe('cloudwatch:alarm-name:?:?:api-cpu-high|*');
    expect(bare.monitor.id).toBeNull();
  });

  test('when each alarm state arrives, then ALARM triggers, OK recovers and INSUFFICIENT_DATA is no_data, the word kept as sent', () => {
    expect(alertOf({ NewStateValue: 'ALARM' })).toMatchObject({
      transition: 'triggered',
      rawTransition: 'ALARM',
    });
    expect(alertOf({ NewStateValue: 'OK' })).toMatchObject({ transition: 'recovered', rawTransition: 'OK' });
    expect(alertOf({ NewStateValue: 'INSUFFICIENT_DATA' })).toMatchObject({
      transition: 'no_data',
      rawTransition: 'INSUFFICIENT_DATA',
    });
    expect(fieldOf(envelope({ AlarmName: 'a', NewStateValue: 'RECOVERED' }))).toBe('Message.NewStateValue');
  });
});

describe('parseCloudWatchWebhook fields', () => {
  test('when dimensions name hosts and services, then InstanceId and the host keys are hosts, the service keys services, deduplicated', () => {
    const dimensions = [
      { name: 'InstanceId', value: 'i-1' },
      { name: 'host', value: 'web-1' },
      { name: 'ServiceName', value: 'checkout' },
      { name: 'ClusterName', value: 'prod' },
      { name: 'InstanceId', value: 'i-1' },
    ];
    const alert = alertOf(
      { Trigger: { Dimensions: dimensions } },
      contextOf({ serviceTagKeys: ['ServiceName'], hostTagKeys: ['host'] }),
    );
    expect(alert.hosts).toEqual(['i-1', 'web-1']);
    expect(alert.services).toEqual(['checkout']);
    expect(alert.tags).toEqual([
      { key: 'InstanceId', value: 'i-1' },
      { key: 'host', value: 'web-1' },
      { key: 'ServiceName', value: 'checkout' },
      { key: 'ClusterName', value: 'prod' },
    ]);
  });

  test('when the message carries Region and AWSAccountId, then both are tags after the dimensions', () => {
    const alert = alertOf({
      Region: 'EU (Paris)',
      AWSAccountId: '123',
      Trigger: { Dimensions: [{ name: 'k', value: 'v' }] },
    });
    expect(alert.tags).toEqual([
      { key: 'k', value: 'v' },
      { key: 'Region', value: 'EU (Paris)' },
      { key: 'AWSAccountId', value: '123' },
    ]);
  });

  test('when the reason is missing or too long, then the message is empty or capped at 4000 characters', () => {
    expect(alertOf({}).message).toBe('');
    expect(alertOf({ NewStateReason: 'x'.repeat(5000) }).message).toHaveLength(4000);
  });

  test('when the alarm name is too long, then the title is capped at 500 characters', () => {
    expect(alertOf({ AlarmName: 'n'.repeat(600) }).title).toHaveLength(500);
  });

  test('when the state change time has the +0000 form, then it is read as UTC with its milliseconds', () => {
    expect(alertOf({ StateChangeTime: '2026-06-14T09:59:59.999+0000' })).toMatchObject({
      at: '2026-06-14T09:59:59.999Z',
      atOrigin: 'source',
    });
    expect(alertOf({ StateChangeTime: '2026-06-14T11:59:59.999+0200' }).at).toBe('2026-06-14T09:59:59.999Z');
  });

  test('when the state change time is no time, then a ValidationError on Message.StateChangeTime', () => {
    expect(fieldOf(envelope({ AlarmName: 'a', NewStateValue: 'OK', StateChangeTime: 'yesterday' }))).toBe(
      'Message.StateChangeTime',
    );
  });

  test('when neither time is usable, then the receipt time, saying so', () => {
    const body = envelope({ AlarmName: 'a', NewStateValue: 'OK' }, { Timestamp: '1999-12-31T23:59:59Z' });
    expect(parseCloudWatchWebhook(body, contextOf()).alerts[0]).toMatchObject({
      at: '2026-06-14T10:02:30.000Z',
      atOrigin: 'received',
    });
  });

  test('when any notification arrives, then it is no test, has no scope and no cycle key', () => {
    expect(alertOf({})).toMatchObject({ isTest: false, scope: null, cycleKey: null, source: 'cloudwatch' });
  });
});
