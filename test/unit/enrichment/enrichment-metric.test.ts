/** A metric monitor's query read into what to ask Datadog for, and the window to ask over. */
import { metricQueryOf, metricWindow, type MetricQuery } from '../../../src/domain/enrichment-metric';

function read(query: unknown, type: unknown = 'metric alert'): MetricQuery | null {
  return metricQueryOf({ type, query });
}

describe('metricQueryOf', () => {
  it.each([
    [
      'avg(last_5m):sum:trace.http.request.errors{service:web} by {resource_name} > 5',
      'sum:trace.http.request.errors{service:web} by {resource_name}',
      '>',
      5,
      300,
    ],
    [
      'avg(last_5m):sum:system.net.bytes_rcvd{host:host0} > 100',
      'sum:system.net.bytes_rcvd{host:host0}',
      '>',
      100,
      300,
    ],
    [
      'max(last_5m):avg:system.disk.in_use{*} by {host,device} >= 0.9',
      'avg:system.disk.in_use{*} by {host,device}',
      '>=',
      0.9,
      300,
    ],
    [
      'min(last_15m):avg:aws.elb.healthy_host_count{env:prod} < 2',
      'avg:aws.elb.healthy_host_count{env:prod}',
      '<',
      2,
      900,
    ],
    [
      'avg(last_10m):avg:system.mem.pct_usable{*} by {host} <= 0.1',
      'avg:system.mem.pct_usable{*} by {host}',
      '<=',
      0.1,
      600,
    ],
    [
      'sum(last_1h):sum:trace.http.request.errors{service:web,env:prod}.as_count() > 50',
      'sum:trace.http.request.errors{service:web,env:prod}.as_count()',
      '>',
      50,
      3600,
    ],
    [
      'avg(last_5m):sum:trace.http.request.errors{service:web}.as_count() / sum:trace.http.request.hits{service:web}.as_count() * 100 > 5',
      'sum:trace.http.request.errors{service:web}.as_count() / sum:trace.http.request.hits{service:web}.as_count() * 100',
      '>',
      5,
      300,
    ],
    [
      'avg(last_5m):avg:system.cpu.user{host:a}.rollup(max, 60) + avg:system.cpu.system{host:a} > 1e2',
      'avg:system.cpu.user{host:a}.rollup(max, 60) + avg:system.cpu.system{host:a}',
      '>',
      100,
      300,
    ],
    [
      'avg(last_1d):avg:aws.rds.free_storage_space{dbinstanceidentifier:main} < 10737418240',
      'avg:aws.rds.free_storage_space{dbinstanceidentifier:main}',
      '<',
      10737418240,
      86400,
    ],
    [
      '  AVG(last_4h) :  avg:system.load.1{!env:staging}   >   -0.5  ',
      'avg:system.load.1{!env:staging}',
      '>',
      -0.5,
      14400,
    ],
    ['avg(last_1w):avg:system.load.1{*}\n> 3', 'avg:system.load.1{*}', '>', 3, 7 * 86400],
  ])(
    'when the query is %s, then it queries %s, compared %s %s over %s s',
    (query, expression, comparator, threshold, window) => {
      expect(read(query)).toEqual({
        query: expression,
        comparator,
        threshold,
        timeAggregation: expect.any(String),
        evaluationWindowSeconds: window,
      });
    },
  );

  it('when the monitor is a query alert, then its query is read too, with its time aggregation', () => {
    expect(read('sum(last_5m):avg:trace.web.request.duration{service:web} > 2', 'query alert')).toMatchObject(
      {
        query: 'avg:trace.web.request.duration{service:web}',
        timeAggregation: 'sum',
      },
    );
  });

  it.each([
    [
      'an anomaly monitor',
      "avg(last_4h):anomalies(avg:system.cpu.system{name:cassandra}, 'basic', 2, direction='above') >= 1",
    ],
    ['an outlier monitor', "avg(last_1h):outliers(avg:system.cpu.user{*} by {host}, 'DBSCAN', 3) > 0"],
    ['a forecast monitor', "max(next_1w):forecast(avg:system.disk.in_use{*} by {host}, 'linear', 1) >= 0.95"],
    ['a change monitor', 'change(avg(last_5m),last_5m):avg:system.load.1{*} > 2'],
    ['a percent change monitor', 'pct_change(avg(last_5m),last_1h):avg:system.load.1{*} > 50'],
    ['no comparison', 'avg(last_5m):avg:system.load.1{*}'],
    ['an equality', 'avg(last_5m):avg:system.load.1{*} == 1'],
    ['two comparisons', 'avg(last_5m):avg:system.load.1{*} > 5 > 3'],
    ['no expression', 'avg(last_5m): > 5'],
    ['no time aggregation', 'avg:system.load.1{*} > 5'],
    ['an unknown time aggregation', 'p99(last_5m):avg:system.load.1{*} > 5'],
    ['a zero window', 'avg(last_0m):avg:system.load.1{*} > 5'],
    ['a window past a month', 'avg(last_9999d):avg:system.load.1{*} > 5'],
    ['an unclosed scope', 'avg(last_5m):avg:system.load.1{env:prod > 5'],
    ['an unopened bracket', 'avg(last_5m):avg:system.load.1{*}) > 5'],
    ['an unclosed quote', "avg(last_5m):avg:system.load.1{*}.fill('zero) > 5"],
    ['bare variables (no metric)', 'avg(last_5m):a / b * 100 > 5'],
    ['a threshold that is not a number', 'avg(last_5m):avg:system.load.1{*} > five'],
    ['a control character', 'avg(last_5m):avg:system.load.1{*}\u0000 > 5'],
  ])('when the query has %s, then it is not read', (_what, query) => {
    expect(read(query)).toBeNull();
  });

  it.each([
    ['service check', '"http.can_connect".over("*").by("host").last(2).count_by_status()'],
    ['log alert', 'logs("status:error").index("*").rollup("count").last("5m") > 10'],
    ['composite', '123 && 456'],
  ])('when the monitor is a %s, then it has no metric to query', (type, query) => {
    expect(read(query, type)).toBeNull();
  });

  it('when the type or query is not a string, or the query is too long, then nothing is read', () => {
    expect(read(42)).toBeNull();
    expect(read({ toString: () => 'avg(last_5m):avg:x{*} > 1' })).toBeNull();
    expect(read('avg(last_5m):avg:x{*} > 1', ['metric alert'])).toBeNull();
    expect(read(`avg(last_5m):avg:x{${'a,'.repeat(1200)}} > 1`)).toBeNull();
  });
});

describe('metricWindow', () => {
  let detectedAt: Date;

  beforeEach(() => {
    detectedAt = new Date('2019-06-28T17:26:00Z');
  });

  it('when the incident is short, then the margin is 30 min either side', () => {
    const resolvedAt = new Date('2019-06-28T17:36:00Z');
    expect(metricWindow(detectedAt, resolvedAt)).toEqual({
      fromSeconds: Date.UTC(2019, 5, 28, 16, 56) / 1000,
      toSeconds: Date.UTC(2019, 5, 28, 18, 6) / 1000,
      marginSeconds: 1800,
    });
  });

  it('when the incident lasts 1 h 32 min, then the margin is half of it', () => {
    const resolvedAt = new Date('2019-06-28T18:58:00Z');
    const window = metricWindow(detectedAt, resolvedAt);
    expect(window.marginSeconds).toBe(46 * 60);
    expect(window.fromSeconds).toBe(detectedAt.getTime() / 1000 - 46 * 60);
    expect(window.toSeconds).toBe(resolvedAt.getTime() / 1000 + 46 * 60);
  });

  it('when the incident lasts two days, then the margin stops at 3 h', () => {
    const resolvedAt = new Date(detectedAt.getTime() + 2 * 86400_000);
    expect(metricWindow(detectedAt, resolvedAt).marginSeconds).toBe(3 * 3600);
  });

  it('when now is given, then the window does not end after it, nor before the resolution', () => {
    const resolvedAt = new Date('2019-06-28T17:36:00Z');
    const seconds = (d: Date) => d.getTime() / 1000;
    expect(metricWindow(detectedAt, resolvedAt, { now: new Date('2019-06-28T17:40:00Z') }).toSeconds).toBe(
      seconds(new Date('2019-06-28T17:40:00Z')),
    );
    expect(metricWindow(detectedAt, resolvedAt, { now: new Date('2019-06-28T17:00:00Z') }).toSeconds).toBe(
      seconds(resolvedAt),
    );
  });

  it('when rules are given, then they set the margin', () => {
    const resolvedAt = new Date('2019-06-28T17:36:00Z');
    expect(
      metricWindow(detectedAt, resolvedAt, { minMarginSeconds: 60, durationFraction: 1 }).marginSeconds,
    ).toBe(600);
  });

  it('when the times or rules make no window, then it throws a RangeError', () => {
    expect(() => metricWindow(detectedAt, new Date(detectedAt.getTime() - 1))).toThrow(RangeError);
    expect(() => metricWindow(new Date(NaN), detectedAt)).toThrow(RangeError);
    expect(() => metricWindow(detectedAt, detectedAt, { minMarginSeconds: 10, maxMarginSeconds: 5 })).toThrow(
      RangeError,
    );
    expect(() => metricWindow(detectedAt, detectedAt, { maxMarginSeconds: Infinity })).toThrow(RangeError);
  });
});
