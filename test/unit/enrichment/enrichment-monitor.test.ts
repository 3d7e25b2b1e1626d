import {
  MONITOR_LIMITS,
  detectionDetails,
  readMonitorDetails,
  thresholdsPhrase,
} from '../../../src/domain/enrichment-monitor';
import { validationFieldOf } from '../../helpers/source-tests';

/** A v1 Monitor model as the client deserializes it (camelCase), for a metric monitor. */
function monitorModel(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 4242,
    name: 'Home page 404s',
    type: 'query alert',
    query: 'sum(last_5m):sum:trace.http.request.errors{service:web,http.status_code:404}.as_count() > 5',
    message: 'Home page returns 404 @slack-ops',
    tags: ['service:web', 'team:frontend'],
    priority: 2,
    options: { thresholds: { critical: 5, warning: 3, criticalRecovery: 4 } },
    matchingDowntimes: [{ id: 77, scope: ['env:staging'], start: 1561741200, end: null }],
    ...overrides,
  };
}

describe('readMonitorDetails', () => {
  test('when Datadog describes a metric monitor, then its name, type, query, message, tags, priority, thresholds and downtimes are kept', () => {
    expect(readMonitorDetails(monitorModel())).toEqual({
      id: 4242,
      name: 'Home page 404s',
      type: 'query alert',
      query: 'sum(last_5m):sum:trace.http.request.errors{service:web,http.status_code:404}.as_count() > 5',
      message: 'Home page returns 404 @slack-ops',
      tags: ['service:web', 'team:frontend'],
      priority: 2,
      thresholds: { critical: 5, warning: 3, ok: null, criticalRecovery: 4, warningRecovery: null },
      downtimes: [{ id: 77, scope: ['env:staging'], start: new Date('2019-06-28T17:00:00Z'), end: null }],
    });
  });

  test('when optional parts are missing, then they are empty or null', () => {
    const details = readMonitorDetails({ id: 1, query: 'avg(last_1m):avg:system.load.1{*} > 2' });
    expect(details).toMatchObject({
      name: '',
      type: '',
      message: '',
      tags: [],
      priority: null,
      downtimes: [],
    });
    expect(details.thresholds).toEqual({
      critical: null,
      warning: null,
      ok: null,
      criticalRecovery: null,
      warningRecovery: null,
    });
  });

  test.each([
    ['no monitor at all', null, 'monitor'],
    ['a list', [], 'monitor'],
    ['no id', monitorModel({ id: undefined }), 'id'],
    ['a negative id', monitorModel({ id: -1 }), 'id'],
    ['no query', monitorModel({ query: '' }), 'query'],
    ['a number for a name', monitorModel({ name: 12 }), 'name'],
    ['a text threshold', monitorModel({ options: { thresholds: { critical: '5' } } }), 'critical'],
    ['an infinite threshold', monitorModel({ options: { thresholds: { warning: Infinity } } }), 'warning'],
    ['options that are a list', monitorModel({ options: [] }), 'options'],
  ])('when the answer has %s, then it is refused naming %s', (_what, model, field) => {
    expect(validationFieldOf(() => readMonitorDetails(model))).toBe(field);
  });

  test('when fields are null, then they are empty or unset, and the edges of ids and times hold', () => {
    const details = readMonitorDetails(
      monitorModel({
        id: 0,
        name: null,
        message: null,
        options: { thresholds: { critical: null, ok: 0, warningRecovery: 2.5 } },
        matchingDowntimes: [
          { id: 1, start: 0, end: 32_503_680_000 },
          { id: 2, start: 1, end: 32_503_680_001 },
        ],
      }),
    );
    expect(details).toMatchObject({ id: 0, name: '', message: '' });
    expect(details.thresholds).toEqual({
      critical: null,
      warning: null,
      ok: 0,
      criticalRecovery: null,
      warningRecovery: 2.5,
    });
    expect(details.downtimes).toEqual([
      { id: 1, scope: [], start: null, end: new Date(32_503_680_000_000) },
      { id: 2, scope: [], start: new Date(1000), end: null },
    ]);
  });

  test.each([
    [monitorModel({ name: 12 }), 'name: must be a string'],
    [monitorModel({ options: { thresholds: { ok: '1' } } }), 'ok: must be a number'],
    [monitorModel({ id: 1.5 }), 'id: must be an id'],
    [monitorModel({ query: null }), 'query: is required'],
    [monitorModel({ options: { thresholds: 5 } }), 'options.thresholds: must be an object'],
  ])('when the answer is wrong, then the message says how (%#)', (model, message) => {
    expect(() => readMonitorDetails(model)).toThrow(message);
  });

  test('when a sender controls huge lists and texts, then they are capped', () => {
    const details = readMonitorDetails(
      monitorModel({
        name: 'n'.repeat(10_000),
        query: 'q'.repeat(10_000),
        message: 'm'.repeat(100_000),
        tags: Array.from({ length: 10_000 }, (_, i) => `tag:${i}`),
        matchingDowntimes: Array.from({ length: 1000 }, (_, i) => ({ id: i, scope: Array(1000).fill('x') })),
      }),
    );
    expect(details.name.length).toBeLessThanOrEqual(500);
    expect(details.query).toHaveLength(MONITOR_LIMITS.query);
    expect(details.message).toHaveLength(MONITOR_LIMITS.message);
    expect(details.tags).toHaveLength(MONITOR_LIMITS.tags);
    expect(details.downtimes).toHaveLength(MONITOR_LIMITS.downtimes);
    expect(details.downtimes[0]!.scope).toHaveLength(MONITOR_LIMITS.scopes);
  });

  test('when lists hold things that are not what they should be, then those are left out', () => {
    const details = readMonitorDetails(
      monitorModel({
        tags: ['service:web', 5, null, { a: 1 }],
        matchingDowntimes: [null, { id: 'x' }, { id: 9, start: -5, end: 1e20, scope: 'env:prod' }],
      }),
    );
    expect(details.tags).toEqual(['service:web']);
    expect(details.downtimes).toEqual([{ id: 9, scope: [], start: null, end: null }]);
  });

  test.each([
    [0, null],
    [6, null],
    [2.5, null],
    [1, 1],
    [5, 5],
  ])('when the priority is %s, then it is kept as %s', (priority, kept) => {
    expect(readMonitorDetails(monitorModel({ priority })).priority).toBe(kept);
  });
});

describe('the Detection line', () => {
  test('when a monitor has warning and critical thresholds, then both are said, warning first', () => {
    expect(
      thresholdsPhrase({ critical: 5, warning: 3, ok: null, criticalRecovery: null, warningRecovery: null }),
    ).toBe('warning 3, critical 5');
    expect(
      thresholdsPhrase({
        critical: 0.1 + 0.2,
        warning: null,
        ok: 1,
        criticalRecovery: 2,
        warningRecovery: 3,
      }),
    ).toBe('critical 0.3');
    expect(
      thresholdsPhrase({
        critical: null,
        warning: null,
        ok: null,
        criticalRecovery: null,
        warningRecovery: null,
      }),
    ).toBe('');
  });

  test('when monitors are described, then each gives its name, query and thresholds; a nameless one its id', () => {
    const named = readMonitorDetails(monitorModel());
    const nameless = readMonitorDetails(monitorModel({ id: 7, name: '', options: {} }));
    expect(detectionDetails([named, nameless])).toEqual([
      {
        monitor: 'Datadog monitor “Home page 404s”',
        query: named.query,
        thresholds: 'warning 3, critical 5',
      },
      { monitor: 'Datadog monitor “7”', query: named.query, thresholds: '' },
    ]);
  });
});
