import type { Alert } from '../../src/domain/alert';
import {
  alarmConsoleUrl,
  parseCloudWatchWebhook,
  subscriptionToConfirm,
} from '../../src/sources/cloudwatch/cloudwatch.adapter';
import { readCloudWatchAlarm } from '../../src/sources/cloudwatch/cloudwatch.alarm';
import { cloudwatchSource } from '../../src/sources/cloudwatch/cloudwatch.source';
import { fixtureNamed, rawBodyOf, settingsFor } from '../helpers/source-fixtures';
import { sourceContext, validationFieldOf } from '../helpers/source-tests';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:hindsight-alarms';

/** The context of a request with these headers (the body's text is not read here). */
const contextOf = (headers: Record<string, string> = {}) => sourceContext('', {}, headers);

function envelope(message: unknown, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: 'm-1',
    TopicArn: TOPIC,
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2026-06-14T10:00:01.000Z',
    ...fields,
  };
}

const alarm = (fields: Record<string, unknown>) =>
  readCloudWatchAlarm(JSON.stringify({ AlarmName: 'a', NewStateValue: 'ALARM', ...fields }));

const metricStat = (namespace: string, name: string, dimensions: unknown[] = []) => ({
  MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: dimensions }, Stat: 'Sum' },
});

describe('readCloudWatchAlarm query', () => {
  test('when the trigger names one metric, then the query is Namespace/MetricName, or the name alone', () => {
    expect(alarm({ Trigger: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' } }).query).toBe(
      'AWS/EC2/CPUUtilization',
    );
    expect(alarm({ Trigger: { MetricName: 'CPUUtilization' } }).query).toBe('CPUUtilization');
    expect(alarm({ Trigger: { Namespace: 'AWS/EC2' } }).query).toBeNull();
  });

  test('when a metric-math trigger returns an expression or a metric, then that returned one is the query', () => {
    const expression = { Id: 'e1', Expression: 'm1*2', ReturnData: true };
    const m1 = { Id: 'm1', ...metricStat('AWS/SQS', 'NumberOfMessagesSent'), ReturnData: false };
    expect(alarm({ Trigger: { Metrics: [m1, expression] } }).query).toBe('m1*2');
    expect(alarm({ Trigger: { Metrics: [{ ...m1, ReturnData: true }] } }).query).toBe(
      'AWS/SQS/NumberOfMessagesSent',
    );
    expect(alarm({ Trigger: { Metrics: [{ ...expression, ReturnData: 'true' }, m1] } }).query).toBeNull();
    expect(alarm({ Trigger: { Metrics: [{ Id: 'x', ReturnData: true }, expression] } }).query).toBe('m1*2');
  });

  test('when two metrics say they return data, then the first is the query', () => {
    const first = { Expression: 'm1+m2', ReturnData: true };
    const second = { Expression: 'm1-m2', ReturnData: true };
    expect(alarm({ Trigger: { Metrics: [first, second] } }).query).toBe('m1+m2');
  });

  test('when a composite alarm has no trigger but a rule, then the rule is the query; a trigger metric wins over it', () => {
    const rule = 'ALARM("api-cpu-high") AND ALARM("api-5xx")';
    expect(alarm({ AlarmRule: rule }).query).toBe(rule);
    expect(alarm({ AlarmRule: rule, Trigger: {} }).query).toBe(rule);
    expect(alarm({ AlarmRule: rule, Trigger: { MetricName: 'Errors' } }).query).toBe('Errors');
    expect(alarm({}).query).toBeNull();
  });

  test("when metrics carry dimensions, then all of them, with the trigger's, are read once each", () => {
    const lb = { name: 'LoadBalancer', value: 'app/x' };
    const read = alarm({
      Trigger: {
        Dimensions: [{ name: 'Env', value: 'prod' }],
        Metrics: [
          { Id: 'e1', Expression: 'm1/m2' },
          { Id: 'm1', ...metricStat('AWS/ApplicationELB', 'A', [lb]) },
          {
            Id: 'm2',
            ...metricStat('AWS/ApplicationELB', 'B', [lb, { name: 'TargetGroup', value: 'tg/y' }]),
          },
          { Id: 'm3', MetricStat: {} },
        ],
      },
    });
    expect(read.dimensions).toEqual([
      { key: 'Env', value: 'prod' },
      { key: 'LoadBalancer', value: 'app/x' },
      { key: 'TargetGroup', value: 'tg/y' },
    ]);
  });
});

describe('readCloudWatchAlarm refusals', () => {
  test.each([
    ['not JSON', 'CPU is high'],
    ['a JSON list', '[1,2]'],
    ['JSON null', 'null'],
    ['an alarm without NewStateValue', JSON.stringify({ AlarmName: 'a' })],
    ['an alarm without AlarmName', JSON.stringify({ NewStateValue: 'ALARM' })],
    ['an alarm hidden in __proto__', '{"__proto__": {"AlarmName": "a", "NewStateValue": "ALARM"}}'],
    ['nested a hundred thousand deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
  ])('when Message is %s, then a ValidationError on Message', (_what, message) => {
    expect(validationFieldOf(() => readCloudWatchAlarm(message))).toBe('Message');
  });

  test.each([
    ['Message.AlarmName', { AlarmName: { en: 'a' } }],
    ['Message.AlarmName', { AlarmName: '  ' }],
    ['Message.NewStateValue', { NewStateValue: '' }],
    ['Message.NewStateValue', { NewStateValue: ['ALARM'] }],
    ['Message.AlarmArn', { AlarmArn: { arn: 'x' } }],
    ['Message.AlarmDescription', { AlarmDescription: ['x'] }],
    ['Message.Region', { Region: {} }],
    ['Message.AWSAccountId', { AWSAccountId: [] }],
    ['Message.NewStateReason', { NewStateReason: {} }],
    ['Message.AlarmRule', { AlarmRule: {} }],
    ['Message.Trigger', { Trigger: 'CPUUtilization' }],
    ['Message.Trigger.MetricName', { Trigger: { MetricName: {} } }],
    ['Message.Trigger.Namespace', { Trigger: { MetricName: 'm', Namespace: [] } }],
    ['Message.Trigger.Dimensions', { Trigger: { Dimensions: 'InstanceId=i-1' } }],
    ['Message.Trigger.Metrics', { Trigger: { Metrics: {} } }],
    ['Message.Trigger.Metrics[1]', { Trigger: { Metrics: [{}, 'm1'] } }],
    ['Message.Trigger.Metrics[0].Expression', { Trigger: { Metrics: [{ Expression: {} }] } }],
    ['Message.Trigger.Metrics[0].MetricStat', { Trigger: { Metrics: [{ MetricStat: 'x' }] } }],
    [
      'Message.Trigger.Metrics[0].MetricStat.Metric',
      { Trigger: { Metrics: [{ MetricStat: { Metric: 1 } }] } },
    ],
    [
      'Message.Trigger.Metrics[0].MetricStat.Metric.Dimensions',
      { Trigger: { Metrics: [{ MetricStat: { Metric: { Dimensions: {} } } }] } },
    ],
    [
      'Message.Trigger.Metrics[0].MetricStat.Metric.MetricName',
      { Trigger: { Metrics: [{ MetricStat: { Metric: { MetricName: {} } } }] } },
    ],
  ])('when the alarm has a wrong %s, then a ValidationError naming it', (path, fields) => {
    expect(validationFieldOf(() => alarm(fields))).toBe(path);
  });

  test('when a trigger has more than 30 dimensions or more than 100 metrics, then it is refused, not cut', () => {
    const dimensions = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `d${i}`, value: 'v' }));
    expect(alarm({ Trigger: { Dimensions: dimensions(30) } }).dimensions).toHaveLength(30);
    expect(validationFieldOf(() => alarm({ Trigger: { Dimensions: dimensions(31) } }))).toBe(
      'Message.Trigger.Dimensions',
    );
    const metrics = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `m${i}` }));
    expect(alarm({ Trigger: { Metrics: metrics(100) } }).query).toBeNull();
    expect(validationFieldOf(() => alarm({ Trigger: { Metrics: metrics(101) } }))).toBe(
      'Message.Trigger.Metrics',
    );
  });

  test('when dimensions have hostile or odd entries, then only name/value string pairs become labels, as own keys', () => {
    const read = alarm({
      Trigger: {
        Dimensions: [
          { name: '__proto__', value: 'x' },
          { name: 'constructor', value: 'y' },
          'z',
          { value: 'no-name' },
        ],
      },
    });
    expect(read.dimensions).toEqual([
      { key: '__proto__', value: 'x' },
      { key: 'constructor', value: 'y' },
    ]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test('when the envelope hides its fields under __proto__, then they are not read', () => {
    const body = JSON.parse(
      `{"__proto__": ${JSON.stringify(envelope({ AlarmName: 'a', NewStateValue: 'OK' }))}}`,
    ) as unknown;
    expect(validationFieldOf(() => parseCloudWatchWebhook(body, contextOf()))).toBe('Type');
  });
});

describe('alarmConsoleUrl', () => {
  const url = (AlarmArn: string | null, Region: string | null, AlarmName = 'cpu') =>
    alarmConsoleUrl({ AlarmArn, Region, AlarmName });

  test('when the AlarmArn names the partition and region, then the console of that partition and region', () => {
    expect(url('arn:aws:cloudwatch:eu-west-3:1:alarm:cpu', 'EU (Paris)')).toBe(
      'https://eu-west-3.console.aws.amazon.com/cloudwatch/home?region=eu-west-3#alarmsV2:alarm/cpu',
    );
    expect(url('arn:aws-cn:cloudwatch:cn-northwest-1:1:alarm:cpu', null)).toBe(
      'https://console.amazonaws.cn/cloudwatch/home?region=cn-northwest-1#alarmsV2:alarm/cpu',
    );
    expect(url('arn:aws-us-gov:cloudwatch:us-gov-west-1:1:alarm:cpu', null)).toBe(
      'https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#alarmsV2:alarm/cpu',
    );
  });

  test('when there is no usable AlarmArn, then a Region that is a code gives the link, with its partition', () => {
    expect(url(null, 'us-east-1')).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/cpu',
    );
    expect(url('arn:aws:sns:us-east-1:1:topic', 'cn-north-1')).toBe(
      'https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#alarmsV2:alarm/cpu',
    );
    expect(url('not-an-arn', 'us-gov-east-1')).toBe(
      'https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-east-1#alarmsV2:alarm/cpu',
    );
  });

  test('when neither names a region code, then no link', () => {
    expect(url(null, 'US East (N. Virginia)')).toBeNull();
    expect(url(null, null)).toBeNull();
    expect(url('arn:aws:cloudwatch:EXAMPLE:1:alarm:cpu', 'EXAMPLE')).toBeNull();
    expect(url(null, 'xus-east-1')).toBeNull();
    expect(url(null, 'us-east-1x')).toBeNull();
  });

  test('when the alarm name has URL characters, then it is percent-encoded in the fragment', () => {
    expect(url(null, 'us-east-1', 'a b/c#d&e?')).toMatch(/#alarmsV2:alarm\/a%20b%2Fc%23d%26e%3F$/);
  });
});

describe('SNS message type', () => {
  const ok = () => envelope({ AlarmName: 'a', NewStateValue: 'OK' });

  test('when the x-amz-sns-message-type header agrees with the body, or is absent, then the alert is read', () => {
    const sent: Record<string, string>[] = [
      {},
      { 'x-amz-sns-message-type': 'Notification' },
      { 'x-amz-sns-message-type': ' Notification ' },
    ];
    for (const headers of sent)
      expect(parseCloudWatchWebhook(ok(), contextOf(headers)).alerts).toHaveLength(1);
  });

  test('when the header disagrees, even by case, then a ValidationError on the header', () => {
    const lower = contextOf({ 'x-amz-sns-message-type': 'notification' });
    expect(validationFieldOf(() => parseCloudWatchWebhook(ok(), lower))).toBe('x-amz-sns-message-type');
  });

  test("when a confirmation's SubscribeURL is not Amazon SNS's, then it is ignored as not confirmed", () => {
    const fixture = fixtureNamed('cloudwatch', 'subscription-confirmation');
    const body = {
      ...(fixture.body as Record<string, unknown>),
      SubscribeURL: 'https://evil.example/confirm',
    };
    expect(parseCloudWatchWebhook(body, contextOf()).ignored).toBe(
      'subscription confirmation whose SubscribeURL is not an Amazon SNS URL: not confirmed',
    );
    expect(subscriptionToConfirm(body)).toBeNull();
  });
});

describe('subscriptionToConfirm', () => {
  test('when the body is the SubscriptionConfirmation fixture, then its SubscribeURL and TopicArn', () => {
    const fixture = fixtureNamed('cloudwatch', 'subscription-confirmation');
    const body = JSON.parse(rawBodyOf(fixture)) as { SubscribeURL: string };
    expect(subscriptionToConfirm(body)).toEqual({ subscribeUrl: body.SubscribeURL, topicArn: TOPIC });
    expect(body.SubscribeURL).toMatch(
      /^https:\/\/sns\.us-east-1\.amazonaws\.com\/\?Action=ConfirmSubscription&/,
    );
  });

  test.each(['unsubscribe-confirmation', 'alarm-triggered-api-cpu'])(
    'when the body is the %s fixture, then nothing to confirm',
    (name) => {
      expect(subscriptionToConfirm(fixtureNamed('cloudwatch', name).body)).toBeNull();
    },
  );

  test('when the body is malformed, then null and no throw', () => {
    const fixture = fixtureNamed('cloudwatch', 'subscription-confirmation');
    const { Token: _token, ...withoutToken } = fixture.body as Record<string, unknown>;
    for (const body of [null, 'x', [], {}, withoutToken]) expect(subscriptionToConfirm(body)).toBeNull();
  });

  test('when the source parses the confirmation, then the ignored reason names its topic', () => {
    const fixture = fixtureNamed('cloudwatch', 'subscription-confirmation');
    const settings = settingsFor(cloudwatchSource);
    expect(cloudwatchSource.parse(fixture.body, { ...contextOf(), settings }).ignored).toBe(
      `subscription confirmation for ${TOPIC}`,
    );
  });
});

describe('severity from the alarm', () => {
  const severityOf = (fields: Record<string, unknown>): Alert['severity'] =>
    parseCloudWatchWebhook(envelope({ AlarmName: 'api', NewStateValue: 'ALARM', ...fields }), contextOf())
      .alerts[0]!.severity;

  test('when the name leads with a priority, then it wins over the description; else the description speaks', () => {
    expect(severityOf({ AlarmName: 'P1-api', AlarmDescription: 'severity:low' })).toBe('P1');
    expect(severityOf({ AlarmDescription: 'severity:low' })).toBe('P4');
    expect(severityOf({ AlarmDescription: 'P3 api down' })).toBe('P3');
    expect(severityOf({ AlarmDescription: null })).toBeNull();
  });

  test('when a long description ends with its marker, then the marker is still read (descriptions keep 4000 characters)', () => {
    expect(severityOf({ AlarmDescription: `${'d'.repeat(1500)} severity:high` })).toBe('P2');
    expect(severityOf({ AlarmDescription: `${'d'.repeat(4000)} severity:high` })).toBeNull();
  });
});
