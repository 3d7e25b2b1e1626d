/**
 * The figures read off the metric's graph, over hand-built series (one point a minute, the reference incident's
 * times: detected 18:26 WAT, resolved 19:58 WAT), and the Impact line that says them.
 */
import {
  formatMetricValue,
  metricFigures,
  metricImpactLine,
  type FigureOptions,
  type MetricFigures,
} from '../../../src/domain/enrichment-metric-figures';
import type { MetricPoint, MetricSeries } from '../../../src/domain/enrichment-metric-series';
import { LAGOS_NAMES, anyOf } from '../../helpers/postmortems';

const ZONE = 'Africa/Lagos';
/** 18:00 WAT. */
const T0 = Date.UTC(2019, 5, 28, 17, 0);
const at = (minute: number) => new Date(T0 + minute * 60_000);

/** The whole text, with `WAT` standing for any of the names this ICU may give Africa/Lagos. */
function exactly(text: string): RegExp {
  const parts = text.split('WAT').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join(anyOf(LAGOS_NAMES))}$`);
}

/** A series from minute 0 (18:00 WAT), one value a minute. */
function seriesOf(values: (number | null)[], scope: string | null = 'service:web'): MetricSeries {
  return {
    expression: null,
    scope,
    metric: 'trace.http.request.errors',
    unit: null,
    intervalSeconds: 60,
    points: values.map((v, i): MetricPoint => [T0 + i * 60_000, v]),
  };
}

/** Values by minute: `base` everywhere, and `runs` over [from, to). */
function valuesOf(
  length: number,
  base: number | null,
  runs: [from: number, to: number, value: number | null][],
) {
  const values = new Array<number | null>(length).fill(base);
  for (const [from, to, value] of runs) for (let m = from; m < to; m += 1) values[m] = value;
  return values;
}

describe('metricFigures', () => {
  let options: FigureOptions;

  beforeEach(() => {
    // Detected 18:26, resolved 19:58 WAT.
    options = { comparator: '>', threshold: 5, detectedAt: at(26), resolvedAt: at(118) };
  });

  it('when the errors rose above the threshold and came back, then the peak, crossing and return are read', () => {
    const values = valuesOf(150, 1, [
      [25, 117, 8],
      [31, 32, 12.4],
    ]);
    expect(metricFigures([seriesOf(values)], options)).toEqual({
      comparator: '>',
      threshold: 5,
      worst: { value: 12.4, at: at(31), scope: 'service:web', unit: null },
      firstCrossedAt: at(25),
      cameBackAt: at(117),
    });
  });

  it('when an earlier blip crossed before the lead, then the crossing is the run the monitor detected', () => {
    const values = valuesOf(150, 1, [
      [2, 4, 50],
      [24, 100, 7],
    ]);
    const figures = metricFigures([seriesOf(values)], options);
    expect(figures.firstCrossedAt).toEqual(at(24));
    expect(figures.worst?.value).toBe(7);
  });

  it('when the run began long before detection, then the crossing and the peak are taken back to its start', () => {
    const values = valuesOf(150, 1, [
      [5, 100, 7],
      [8, 9, 30],
    ]);
    const figures = metricFigures([seriesOf(values)], options);
    expect(figures.firstCrossedAt).toEqual(at(5));
    expect(figures.worst).toMatchObject({ value: 30, at: at(8) });
  });

  it('when it crossed again before resolving, then the return is after the last crossing', () => {
    const values = valuesOf(150, 1, [
      [26, 40, 9],
      [60, 70, 9],
    ]);
    expect(metricFigures([seriesOf(values)], options).cameBackAt).toEqual(at(70));
  });

  it('when the comparison is below, then the trough is read, and crossing means going below', () => {
    const values = valuesOf(150, 10, [
      [26, 90, 1],
      [40, 41, 0.2],
    ]);
    const figures = metricFigures([seriesOf(values)], { ...options, comparator: '<', threshold: 2 });
    expect(figures).toMatchObject({
      worst: { value: 0.2, at: at(40) },
      firstCrossedAt: at(26),
      cameBackAt: at(90),
    });
  });

  it.each([
    ['>', 5, null],
    ['>=', 5, 30],
    ['<', 1, null],
    ['<=', 1, 0],
  ] as const)(
    'when the values sit on the threshold of %s %s, then the crossing is %s',
    (comparator, threshold, minute) => {
      const values = valuesOf(150, 1, [[30, 40, 5]]);
      const figures = metricFigures([seriesOf(values)], { ...options, comparator, threshold });
      expect(figures.firstCrossedAt).toEqual(minute === null ? null : at(minute));
    },
  );

  it('when there are gaps, then they are skipped: neither a crossing, a return nor a peak', () => {
    const values = valuesOf(150, 1, [
      [26, 60, 9],
      [60, 80, null],
    ]);
    values[30] = null;
    const figures = metricFigures([seriesOf(values)], options);
    expect(figures).toMatchObject({
      worst: { value: 9, at: at(26) },
      firstCrossedAt: at(26),
      cameBackAt: at(80),
    });
  });

  it('when the data stops before it came back, then the return is null', () => {
    const values = valuesOf(100, 1, [[26, 100, 9]]);
    expect(metricFigures([seriesOf(values)], options)).toMatchObject({
      firstCrossedAt: at(26),
      cameBackAt: null,
    });
  });

  it('when it never crossed, then the peak is read but no crossing or return', () => {
    const values = valuesOf(150, 1, [[50, 51, 4.5]]);
    expect(metricFigures([seriesOf(values)], options)).toMatchObject({
      worst: { value: 4.5, at: at(50) },
      firstCrossedAt: null,
      cameBackAt: null,
    });
  });

  it('when the peak is outside the incident, then it is not the incident peak', () => {
    const values = valuesOf(150, 1, [
      [26, 60, 9],
      [130, 131, 500],
    ]);
    expect(metricFigures([seriesOf(values)], options).worst?.value).toBe(9);
  });

  it('when there are several series, then the figures are those of the worst one', () => {
    const mild = seriesOf(valuesOf(150, 1, [[20, 110, 6]]), 'resource_name:get_/health');
    const worst = seriesOf(valuesOf(150, 1, [[26, 90, 20]]), 'resource_name:get_/');
    expect(metricFigures([mild, worst], options)).toMatchObject({
      worst: { value: 20, at: at(26), scope: 'resource_name:get_/' },
      firstCrossedAt: at(26),
      cameBackAt: at(90),
    });
  });

  it('when series tie on their worst value, then the earlier wins, then the first', () => {
    const late = seriesOf(valuesOf(150, 1, [[40, 41, 9]]), 'late');
    const early = seriesOf(valuesOf(150, 1, [[30, 31, 9]]), 'early');
    const twin = seriesOf(valuesOf(150, 1, [[30, 31, 9]]), 'twin');
    expect(metricFigures([late, early, twin], options).worst?.scope).toBe('early');
    expect(metricFigures([twin, early, late], options).worst?.scope).toBe('twin');
  });

  it('when no series has data in the incident, then every figure is null but the threshold', () => {
    expect(metricFigures([seriesOf(new Array<null>(150).fill(null))], options)).toEqual({
      comparator: '>',
      threshold: 5,
      worst: null,
      firstCrossedAt: null,
      cameBackAt: null,
    });
    expect(metricFigures([], options).worst).toBeNull();
  });

  it('when the points are out of order, then the figures are the same', () => {
    const values = valuesOf(150, 1, [[25, 117, 8]]);
    const ordered = seriesOf(values);
    const shuffled = { ...ordered, points: [...ordered.points].reverse() };
    expect(metricFigures([shuffled], options)).toEqual(metricFigures([ordered], options));
  });

  it('when the threshold or a time is not finite, then it throws a RangeError', () => {
    expect(() => metricFigures([], { ...options, threshold: NaN })).toThrow(RangeError);
    expect(() => metricFigures([], { ...options, detectedAt: new Date(NaN) })).toThrow(RangeError);
  });
});

describe('metricImpactLine', () => {
  let figures: MetricFigures;
  let display: { timezone: string; detectedAt: Date };

  beforeEach(() => {
    figures = {
      comparator: '>',
      threshold: 5,
      worst: { value: 12.4, at: at(31), scope: null, unit: null },
      firstCrossedAt: at(26),
      cameBackAt: at(117),
    };
    display = { timezone: ZONE, detectedAt: at(26) };
  });

  it('when the metric crossed and came back, then the line says the peak, threshold, crossing and return', () => {
    expect(metricImpactLine(figures, display)).toMatch(
      exactly('Peak 12.4 at 18:31 WAT (threshold 5); first above it at 18:26, back below at 19:57.'),
    );
  });

  it('when the comparison is below or inclusive, then the words follow it', () => {
    expect(metricImpactLine({ ...figures, comparator: '<=' }, display)).toMatch(
      exactly('Trough 12.4 at 18:31 WAT (threshold 5); first at or below it at 18:26, back above at 19:57.'),
    );
  });

  it('when it never crossed, or did not come back, then the line says so', () => {
    expect(metricImpactLine({ ...figures, firstCrossedAt: null, cameBackAt: null }, display)).toMatch(
      exactly('Peak 12.4 at 18:31 WAT (threshold 5); the data never went above it.'),
    );
    expect(metricImpactLine({ ...figures, cameBackAt: null }, display)).toMatch(
      /first above it at 18:26, not back below it in the data\.$/,
    );
  });

  it('when there is no data, then there is no line', () => {
    expect(metricImpactLine({ ...figures, worst: null }, display)).toBeNull();
  });

  it('when the series has a scope and unit, then they are said, escaped', () => {
    const worst = {
      value: 12.4,
      at: at(31),
      scope: 'resource_name:<img src=x onerror=alert(1)>',
      unit: 'req/s',
    };
    expect(metricImpactLine({ ...figures, worst }, display)).toMatch(
      exactly(
        'Peak 12.4 req/s at 18:31 WAT on resource_name:&lt;img src=x onerror=alert(1)&gt; (threshold 5); first above it at 18:26, back below at 19:57.',
      ),
    );
  });

  it('when a time is on another day than detection, then it has its date', () => {
    expect(metricImpactLine({ ...figures, cameBackAt: at(24 * 60 + 5) }, display)).toMatch(
      /back below at 2019-06-29 18:05\.$/,
    );
  });

  it('when the zone changes name between the times, then the new name is said', () => {
    const cet = {
      comparator: '>' as const,
      threshold: 5,
      worst: { value: 9, at: new Date('2026-03-29T00:30:00Z'), scope: null, unit: null },
      firstCrossedAt: new Date('2026-03-29T00:10:00Z'),
      cameBackAt: new Date('2026-03-29T01:30:00Z'),
    };
    expect(
      metricImpactLine(cet, { timezone: 'Europe/Paris', detectedAt: new Date('2026-03-29T00:10:00Z') }),
    ).toBe('Peak 9 at 01:30 CET (threshold 5); first above it at 01:10, back below at 03:30 CEST.');
  });
});

describe('formatMetricValue', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [5, '5'],
    [12.4, '12.4'],
    [99.95, '99.95'],
    [0.123456, '0.1235'],
    [0.00123, '0.00123'],
    [1234.5, '1,235'],
    [12345.678, '12,346'],
    [-42.25, '-42.25'],
    [10737418240, '10,737,418,240'],
    [1.2345e21, '1.23e+21'],
    [1e-9, '1.00e-9'],
  ])('when the value is %s, then it reads %s', (value, text) => {
    expect(formatMetricValue(value)).toBe(text);
  });
});
