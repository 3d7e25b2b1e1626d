/** A queryMetrics answer read as untrusted input: bounded series, finite values, a refusal for garbage. */
import {
  downsample,
  readMetricSeries,
  type MetricPoint,
  type MetricSeriesRead,
} from '../../../src/domain/enrichment-metric-series';

const START = Date.UTC(2019, 5, 28, 16, 56);

/** A MetricsQueryMetadata as the client deserializes it, one point a minute from START. */
function seriesModel(values: unknown[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    aggr: 'sum',
    expression: 'sum:trace.http.request.errors{service:web,resource_name:get_/}',
    scope: 'resource_name:get_/,service:web',
    metric: 'trace.http.request.errors',
    interval: 60,
    length: values.length,
    pointlist: values.map((v, i) => [START + i * 60_000, v]),
    unit: [
      { family: 'network', name: 'request', plural: 'requests', scaleFactor: 1, shortName: 'req' },
      null,
    ],
    ...overrides,
  };
}

function series(read: MetricSeriesRead) {
  if (read.kind !== 'series') throw new Error(`refused: ${read.reason}`);
  return read;
}

describe('readMetricSeries', () => {
  let response: Record<string, unknown>;

  beforeEach(() => {
    response = {
      status: 'ok',
      resType: 'time_series',
      query: 'sum:trace.http.request.errors{service:web} by {resource_name}',
      fromDate: START,
      toDate: START + 3_600_000,
      series: [seriesModel([1, 2, null, 12.4, 3])],
    };
  });

  it('when the answer is a normal one, then its series is read as plain data', () => {
    expect(series(readMetricSeries(response))).toEqual({
      kind: 'series',
      series: [
        {
          expression: 'sum:trace.http.request.errors{service:web,resource_name:get_/}',
          scope: 'resource_name:get_/,service:web',
          metric: 'trace.http.request.errors',
          unit: 'req',
          intervalSeconds: 60,
          points: [
            [START, 1],
            [START + 60_000, 2],
            [START + 120_000, null],
            [START + 180_000, 12.4],
            [START + 240_000, 3],
          ],
        },
      ],
      omittedSeries: 0,
      invalidPoints: 0,
    });
  });

  it('when the unit has a per-unit, then both are named', () => {
    response.series = [seriesModel([1], { unit: [{ name: 'byte' }, { name: 'second', shortName: 's' }] })];
    expect(series(readMetricSeries(response)).series[0]?.unit).toBe('byte/s');
  });

  it('when the answer has no series, then there is no data, not a refusal', () => {
    delete response.series;
    expect(readMetricSeries(response)).toEqual({
      kind: 'series',
      series: [],
      omittedSeries: 0,
      invalidPoints: 0,
    });
  });

  it('when Datadog answered an error, then it is refused with its words, capped', () => {
    const read = readMetricSeries({ status: 'error', error: `Rate limit ${'x'.repeat(1000)}` });
    expect(read.kind).toBe('refused');
    expect(read.kind === 'refused' && read.reason.startsWith('Datadog answered an error: Rate limit')).toBe(
      true,
    );
    expect(read.kind === 'refused' && read.reason.length).toBeLessThan(300);
  });

  it.each([
    ['null', null],
    ['a string', 'series'],
    ['a list', []],
    ['series as an object', { series: { 0: {} } }],
    ['a series that is a number', { series: [1] }],
    ['a pointlist that is a string', { series: [{ pointlist: '[[1,2]]' }] }],
  ])('when the answer is %s, then it is refused', (_what, answer) => {
    expect(readMetricSeries(answer).kind).toBe('refused');
  });

  it('when reading the answer throws, then it is refused, not thrown', () => {
    const hostile = Object.defineProperty({}, 'series', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(readMetricSeries(hostile)).toEqual({
      kind: 'refused',
      reason: 'the answer could not be read (boom)',
    });
  });

  it('when values are NaN, infinite, strings or objects, then they become gaps and are counted', () => {
    response.series = [seriesModel([NaN, Infinity, '12', { deep: { deeper: [1] } }, 4])];
    const read = series(readMetricSeries(response));
    expect(read.series[0]?.points.map((p) => p[1])).toEqual([null, null, null, null, 4]);
    expect(read.invalidPoints).toBe(4);
  });

  it('when times are not plausible or not numbers, then those points are dropped, and the rest sorted', () => {
    response.series = [
      seriesModel([], {
        pointlist: [
          [START + 60_000, 2],
          ['1561743960000', 1],
          [1561743960, 1],
          [START, 1],
          [START, 9],
          'x',
          [NaN, 1],
        ],
      }),
    ];
    const read = series(readMetricSeries(response));
    expect(read.series[0]?.points).toEqual([
      [START, 1],
      [START + 60_000, 2],
    ]);
    expect(read.invalidPoints).toBe(4);
  });

  it('when strings are long or not strings, then they are capped or null', () => {
    response.series = [seriesModel([1], { expression: 'e'.repeat(5000), scope: 42, unit: 'req' })];
    const [read] = series(readMetricSeries(response)).series;
    expect(read?.expression).toHaveLength(1000);
    expect(read?.scope).toBeNull();
    expect(read?.unit).toBeNull();
  });

  it('when there are more series than kept, then the highest peaks are kept in their order', () => {
    response.series = [1, 9, 3, 7, 5].map((peak, i) => seriesModel([0, peak], { scope: `host:${i}` }));
    const read = series(readMetricSeries(response, { maxSeries: 2, direction: 'peak' }));
    expect(read.series.map((s) => s.scope)).toEqual(['host:1', 'host:3']);
    expect(read.omittedSeries).toBe(3);
  });

  it('when troughs are asked for, then the lowest are kept; without a direction, the first', () => {
    response.series = [1, 9, 3, 7, 5].map((low, i) => seriesModel([10, low], { scope: `host:${i}` }));
    expect(
      series(readMetricSeries(response, { maxSeries: 2, direction: 'trough' })).series.map((s) => s.scope),
    ).toEqual(['host:0', 'host:2']);
    expect(series(readMetricSeries(response, { maxSeries: 2 })).series.map((s) => s.scope)).toEqual([
      'host:0',
      'host:1',
    ]);
  });

  it('when an answer has more series or points than are read, then it is refused', () => {
    response.series = Array.from({ length: 1001 }, () => seriesModel([1]));
    expect(readMetricSeries(response).kind).toBe('refused');
    response.series = [seriesModel(new Array(200_001).fill(1))];
    expect(readMetricSeries(response).kind).toBe('refused');
  });

  it('when a series has more points than kept, then at most that many remain, with the extremes', () => {
    const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i / 50));
    values[1234] = 99;
    values[4321] = -99;
    response.series = [seriesModel(values)];
    const [read] = series(readMetricSeries(response, { maxPoints: 500 })).series;
    expect(read?.points.length).toBeLessThanOrEqual(500);
    expect(read?.points.length).toBeGreaterThan(400);
    expect(read?.points).toContainEqual([START + 1234 * 60_000, 99]);
    expect(read?.points).toContainEqual([START + 4321 * 60_000, -99]);
  });
});

describe('downsample', () => {
  let points: MetricPoint[];

  beforeEach(() => {
    points = Array.from({ length: 10 }, (_, i): MetricPoint => [i * 1000, i % 3 === 0 ? null : i]);
  });

  it('when there are no more points than kept, then they are all kept', () => {
    expect(downsample(points, 10)).toEqual(points);
  });

  it('when there are more, then each slice keeps its low and high in time order, and a slice of gaps one gap', () => {
    expect(downsample(points, 4)).toEqual([
      [1000, 1],
      [4000, 4],
      [5000, 5],
      [8000, 8],
    ]);
    const gaps = points.map(([at]): MetricPoint => [at, null]);
    expect(downsample(gaps, 4)).toEqual([
      [0, null],
      [5000, null],
    ]);
  });
});
