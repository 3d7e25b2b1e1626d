/**
 * The pure pieces that carry Datadog enrichment into a draft: the enrichment's own rules, the links Datadog
 * answers with, the notebook request, and the facts (metric figures, changes, pending parts) a draft keeps.
 */
import {
  NO_ENRICHMENT,
  datadogMonitorIds,
  describedMonitors,
  hasEnrichment,
  type IncidentEnrichment,
  type MetricEnrichment,
} from '../../../src/domain/enrichment';
import type { ChangeEvent } from '../../../src/domain/enrichment-changes';
import {
  EVALUATION_SLACK_SECONDS,
  changeFacts,
  changeTimelineEntries,
  metricFacts,
  pendingEnrichment,
  pendingEnrichmentSentence,
  withChanges,
  type EnrichedSpan,
} from '../../../src/domain/enrichment-facts';
import {
  MAX_LINK_LENGTH,
  datadogAppUrl,
  httpsLink,
  readNotebookId,
  readSnapshotUrl,
} from '../../../src/domain/enrichment-links';
import type { MonitorDetails } from '../../../src/domain/enrichment-monitor';
import {
  MAX_NOTEBOOK_GRAPHS,
  MAX_NOTEBOOK_MARKDOWN,
  notebookRequest,
} from '../../../src/domain/enrichment-notebook';
import type { PostmortemTimelineEntry } from '../../../src/domain/postmortem';

const T = (hhmm: string) => new Date(`2026-06-14T${hhmm}:00.000Z`);
const MIN = 60_000;

function monitor(
  id: number,
  type = 'query alert',
  query = 'avg(last_5m):sum:x{service:web} > 5',
): MonitorDetails {
  return {
    id,
    name: `m${id}`,
    type,
    query,
    message: '',
    tags: [],
    priority: null,
    thresholds: { critical: 5, warning: null, ok: null, criticalRecovery: null, warningRecovery: null },
    downtimes: [],
  };
}

function metric(overrides: Partial<MetricEnrichment> = {}): MetricEnrichment {
  return {
    monitorId: '42',
    resolutionCount: 1,
    query: 'sum:x{service:web}',
    comparator: '>',
    threshold: 5,
    evaluationWindowSeconds: 300,
    fromSeconds: T('09:30').getTime() / 1000,
    toSeconds: T('11:00').getTime() / 1000,
    series: [
      {
        expression: null,
        scope: null,
        metric: null,
        unit: null,
        intervalSeconds: 60,
        points: [
          [T('09:50').getTime(), 1],
          [T('09:53').getTime(), 8],
          [T('10:05').getTime(), 12],
          [T('10:31').getTime(), 2],
        ],
      },
    ],
    omittedSeries: 0,
    snapshotUrl: 'https://p.datadoghq.com/s.png',
    at: T('13:00'),
    ...overrides,
  };
}

const SPAN: EnrichedSpan = {
  monitorIds: ['42'],
  resolutionCount: 1,
  detectedAt: T('10:00'),
  resolvedAt: T('10:30'),
  timezone: 'UTC',
};

function change(id: string, hhmm: string, overrides: Partial<ChangeEvent> = {}): ChangeEvent {
  return {
    id,
    title: `Deployed ${id}`,
    text: 'body',
    at: T(hhmm),
    source: 'github',
    tags: ['service:web'],
    url: `https://app.datadoghq.com/event/event?id=${id}`,
    alertType: 'info',
    priority: 'normal',
    host: null,
    kind: 'deployment',
    ...overrides,
  };
}

function enrichment(overrides: Partial<IncidentEnrichment> = {}): IncidentEnrichment {
  return { ...NO_ENRICHMENT, ...overrides };
}

describe('enrichment', () => {
  it('when nothing was added, then there is no enrichment; when any one part was, there is', () => {
    expect(hasEnrichment(NO_ENRICHMENT)).toBe(false);
    const parts: Partial<IncidentEnrichment>[] = [
      { monitors: [monitor(1)] },
      { metrics: [metric()] },
      { changes: { resolutionCount: 1, windowMinutes: 60, services: [], changes: [], at: T('10:00') } },
      { notebook: { id: '1', url: 'https://app.datadoghq.com/notebook/1', at: T('10:00') } },
      { problems: [{ call: 'getMonitor', message: 'x', at: T('10:00') }] },
    ];
    for (const part of parts) expect(hasEnrichment(enrichment(part))).toBe(true);
  });

  it('when monitor ids are digits (up to 15), then they are Datadog’s, as numbers, in order', () => {
    const ids = ['12', null, 'abc', '1a', '123456789012345', '1234567890123456', '', '7'];
    expect(datadogMonitorIds(ids.map((id) => ({ id })))).toEqual([12, 123456789012345, 7]);
  });

  it('when some of the incident’s monitors were described, then those are given in the incident’s order', () => {
    const e = enrichment({ monitors: [monitor(2), monitor(1)] });
    expect(describedMonitors(e, ['1', null, '3', '2']).map((m) => m.id)).toEqual([1, 2]);
  });
});

describe('the links Datadog answers with', () => {
  it.each([
    ['https://p.datadoghq.com/a.png', 'https://p.datadoghq.com/a.png'],
    ['  https://P.datadoghq.com/a b  ', null],
    ['  https://p.datadoghq.com/a.png  ', 'https://p.datadoghq.com/a.png'],
    ['HTTPS://p.datadoghq.com', 'https://p.datadoghq.com/'],
    ['http://p.datadoghq.com/a.png', null],
    ['javascript:alert(1)', null],
    ['https://user:pw@p.datadoghq.com/a.png', null],
    ['https://user@p.datadoghq.com/a.png', null],
    ['https://:pw@p.datadoghq.com/a.png', null],
    ['https://[bad/', null],
    ['', null],
  ])('when the link is %j, then it is %j', (value, expected) => {
    expect(httpsLink(value)).toBe(expected);
  });

  it('when a link is not a string or longer than the cap, then it is none', () => {
    expect(httpsLink(42)).toBeNull();
    expect(httpsLink(null)).toBeNull();
    const at = (n: number) => `https://p.datadoghq.com/${'a'.repeat(n - 'https://p.datadoghq.com/'.length)}`;
    expect(httpsLink(at(MAX_LINK_LENGTH))).toBe(at(MAX_LINK_LENGTH));
    expect(httpsLink(at(MAX_LINK_LENGTH + 1))).toBeNull();
  });

  it('when a snapshot answers its snapshotUrl, then that is its link; anything else is none', () => {
    expect(readSnapshotUrl({ snapshotUrl: 'https://p.datadoghq.com/a.png' })).toBe(
      'https://p.datadoghq.com/a.png',
    );
    expect(readSnapshotUrl({ snapshot_url: 'https://p.datadoghq.com/a.png' })).toBeNull();
    expect(readSnapshotUrl(Object.create({ snapshotUrl: 'https://p.datadoghq.com/a.png' }))).toBeNull();
    expect(readSnapshotUrl(null)).toBeNull();
    expect(readSnapshotUrl(['https://p.datadoghq.com/a.png'])).toBeNull();
  });

  it.each([
    [{ data: { id: 9876543 } }, '9876543'],
    [{ data: { id: 1 } }, '1'],
    [{ data: { id: 0 } }, null],
    [{ data: { id: -3 } }, null],
    [{ data: { id: 1.5 } }, null],
    [{ data: { id: 2 ** 60 } }, null],
    [{ data: { id: '9876543' } }, null],
    [{ data: null }, null],
    [{ data: [] }, null],
    [{}, null],
    ['x', null],
  ])('when a notebook answers %j, then its id is %j', (answer, expected) => {
    expect(readNotebookId(answer)).toBe(expected);
  });

  it.each([
    ['datadoghq.com', 'https://app.datadoghq.com'],
    ['datadoghq.eu', 'https://app.datadoghq.eu'],
    ['ddog-gov.com', 'https://app.ddog-gov.com'],
    ['us3.datadoghq.com', 'https://us3.datadoghq.com'],
    ['us2.ddog-gov.com', 'https://us2.ddog-gov.com'],
  ])('when the site is %s, then people open %s', (site, url) => {
    expect(datadogAppUrl(site)).toBe(url);
  });
});

describe('notebookRequest', () => {
  const input = {
    title: 'Home page 404s',
    markdown: '# Postmortem',
    metrics: [{ query: 'sum:x{*}', threshold: 100, fromSeconds: 1000, toSeconds: 9000 }],
    detectedAt: new Date(2_000_000),
    resolvedAt: new Date(8_000_000),
  };

  it('when a postmortem with one metric is exported, then the request is a published postmortem notebook with its report and graph', () => {
    expect(notebookRequest(input)).toEqual({
      data: {
        type: 'notebooks',
        attributes: {
          name: 'Postmortem: Home page 404s',
          status: 'published',
          metadata: { type: 'postmortem', isTemplate: false, takeSnapshots: false },
          time: { start: new Date(1_000_000), end: new Date(9_000_000) },
          cells: [
            {
              type: 'notebook_cells',
              attributes: { definition: { type: 'markdown', text: '# Postmortem' } },
            },
            {
              type: 'notebook_cells',
              attributes: {
                definition: {
                  type: 'timeseries',
                  requests: [{ q: 'sum:x{*}', displayType: 'line' }],
                  markers: [{ value: 'y = 100', displayType: 'error dashed', label: 'threshold' }],
                },
                graphSize: 'l',
                time: { start: new Date(1_000_000), end: new Date(9_000_000) },
              },
            },
          ],
        },
      },
    });
  });

  it('when there is no metric, then the notebook spans the incident and has the report alone', () => {
    const request = notebookRequest({ ...input, metrics: [] });
    expect(request.data.attributes.time).toEqual({ start: new Date(2_000_000), end: new Date(8_000_000) });
    expect(request.data.attributes.cells).toHaveLength(1);
  });

  it('when a metric window is inside the incident, then the incident bounds the notebook', () => {
    const request = notebookRequest({
      ...input,
      metrics: [{ ...input.metrics[0]!, fromSeconds: 3000, toSeconds: 4000 }],
    });
    expect(request.data.attributes.time).toEqual({ start: new Date(2_000_000), end: new Date(8_000_000) });
  });

  it('when there are many metrics, a long title and a long report, then each is capped', () => {
    const request = notebookRequest({
      ...input,
      title: 'x'.repeat(200),
      markdown: 'y'.repeat(MAX_NOTEBOOK_MARKDOWN + 1),
      metrics: Array.from({ length: MAX_NOTEBOOK_GRAPHS + 2 }, (_, i) => ({
        ...input.metrics[0]!,
        query: `q${i}`,
      })),
    });
    const { name, cells } = request.data.attributes;
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name.startsWith('Postmortem: xxx')).toBe(true);
    expect(cells).toHaveLength(1 + MAX_NOTEBOOK_GRAPHS);
    const text = (cells[0]!.attributes.definition as { text: string }).text;
    expect(text).toBe(`${'y'.repeat(MAX_NOTEBOOK_MARKDOWN)}\n\n_(cut: the whole report is in Hindsight)_`);
    const exact = notebookRequest({ ...input, markdown: 'y'.repeat(MAX_NOTEBOOK_MARKDOWN) });
    expect((exact.data.attributes.cells[0]!.attributes.definition as { text: string }).text).toHaveLength(
      MAX_NOTEBOOK_MARKDOWN,
    );
  });
});

describe('metricFacts', () => {
  it('when the metric of this resolution is kept, then its figures, line, series and graph are the draft’s', () => {
    const [fact, ...rest] = metricFacts(enrichment({ metrics: [metric()] }), SPAN);
    expect(rest).toEqual([]);
    expect(fact).toMatchObject({
      monitorId: '42',
      query: 'sum:x{service:web}',
      comparator: '>',
      threshold: 5,
      fromSeconds: T('09:30').getTime() / 1000,
      toSeconds: T('11:00').getTime() / 1000,
      snapshotUrl: 'https://p.datadoghq.com/s.png',
      figures: { worst: { value: 12, at: T('10:05') }, firstCrossedAt: T('09:53'), cameBackAt: T('10:31') },
    });
    expect(fact!.impactLine).toBe(
      'Peak 12 at 10:05 UTC (threshold 5); first above it at 09:53, back below at 10:31.',
    );
  });

  it('when the crossing is just outside the evaluation window and slack, then it is not taken as the first', () => {
    const lead = 300 + EVALUATION_SLACK_SECONDS;
    const inside = T('10:00').getTime() - lead * 1000;
    const points = (first: number): [number, number][] => [
      [first - MIN, 1],
      [first, 9],
      [T('10:10').getTime(), 1],
      [T('10:20').getTime(), 9],
      [T('10:31').getTime(), 1],
    ];
    const series = (first: number) => [{ ...metric().series[0]!, points: points(first) }];
    const at = (first: number) =>
      metricFacts(enrichment({ metrics: [metric({ series: series(first) })] }), SPAN)[0]!.figures
        .firstCrossedAt;
    expect(at(inside)).toEqual(new Date(inside));
    expect(at(inside - 1000)).toEqual(T('10:20'));
  });

  it('when metrics are of an earlier resolution or of monitors the incident does not name, then they are left out', () => {
    const e = enrichment({
      metrics: [
        metric({ monitorId: '7' }),
        metric({ resolutionCount: 2, monitorId: '8' }),
        metric({ monitorId: '9' }),
      ],
    });
    const span = { ...SPAN, monitorIds: ['9', null, '8', '7', '5'], resolutionCount: 1 };
    expect(metricFacts(e, span).map((f) => f.monitorId)).toEqual(['9', '7']);
    expect(metricFacts(NO_ENRICHMENT, SPAN)).toEqual([]);
  });

  it('when the draft’s series are changed, then the kept enrichment is not', () => {
    const kept = metric();
    const [fact] = metricFacts(enrichment({ metrics: [kept] }), SPAN);
    fact!.series[0]!.points[0]![1] = 999;
    expect(kept.series[0]!.points[0]![1]).toBe(1);
  });

  it('when the metric has no data, then its line is none', () => {
    const empty = metric({ series: [{ ...metric().series[0]!, points: [] }] });
    expect(metricFacts(enrichment({ metrics: [empty] }), SPAN)[0]!.impactLine).toBeNull();
  });
});

describe('changes in the draft', () => {
  it('when changes were kept, then the draft keeps each one’s id, time, title, source, kind and link, in order', () => {
    const changes = [change('2', '09:55', { kind: 'ci', source: null, url: null }), change('1', '09:40')];
    const e = enrichment({
      changes: { resolutionCount: 1, windowMinutes: 60, services: ['web'], changes, at: T('10:00') },
    });
    expect(changeFacts(e)).toEqual([
      { id: '2', at: T('09:55'), title: 'Deployed 2', source: null, kind: 'ci', url: null },
      {
        id: '1',
        at: T('09:40'),
        title: 'Deployed 1',
        source: 'github',
        kind: 'deployment',
        url: 'https://app.datadoghq.com/event/event?id=1',
      },
    ]);
    expect(changeFacts(NO_ENRICHMENT)).toEqual([]);
  });

  const entry = (hhmm: string, text: string): PostmortemTimelineEntry => ({
    at: T(hhmm),
    receivedAt: new Date(T(hhmm).getTime() + 5000),
    kind: 'triggered',
    text,
    deliveryLagSeconds: null,
  });

  it('when changes are merged into the timeline, then they go by time, oldest first, a change before an entry of its instant', () => {
    const timeline = [entry('10:00', 'trigger'), entry('10:30', 'resolved')];
    const changes = changeFacts(
      enrichment({
        changes: {
          resolutionCount: 1,
          windowMinutes: 60,
          services: ['web'],
          changes: [change('4', '10:45'), change('3', '10:00'), change('2', '09:55'), change('1', '09:40')],
          at: T('10:00'),
        },
      }),
    );
    const merged = withChanges(timeline, changes);
    expect(merged.map((e) => [e.at.toISOString().slice(11, 16), e.kind, e.text])).toEqual([
      ['09:40', 'change', 'Change (deployment, github): Deployed 1'],
      ['09:55', 'change', 'Change (deployment, github): Deployed 2'],
      ['10:00', 'change', 'Change (deployment, github): Deployed 3'],
      ['10:00', 'triggered', 'trigger'],
      ['10:30', 'triggered', 'resolved'],
      ['10:45', 'change', 'Change (deployment, github): Deployed 4'],
    ]);
    expect(merged[0]).toMatchObject({ receivedAt: T('09:40'), deliveryLagSeconds: null });
    const unchanged = withChanges(timeline, []);
    expect(unchanged).toEqual(timeline);
    expect(unchanged).not.toBe(timeline);
    expect(changeTimelineEntries([])).toEqual([]);
  });
});

describe('pendingEnrichment', () => {
  const problem = (call: string) => ({ call, message: 'x', at: T('10:00') });
  const changes = (resolutionCount: number) => ({
    resolutionCount,
    windowMinutes: 60,
    services: ['web'],
    changes: [],
    at: T('10:00'),
  });

  it('when nothing came yet, then the monitor and the changes are pending (the metric is known to be asked once the monitor is)', () => {
    expect(pendingEnrichment(NO_ENRICHMENT, SPAN)).toEqual(['the monitor', 'the changes shortly before']);
  });

  it('when the monitor is a metric monitor not yet queried for this resolution, then the metric is pending', () => {
    const e = enrichment({ monitors: [monitor(42)], changes: changes(1) });
    expect(pendingEnrichment(e, SPAN)).toEqual(['the metric']);
    expect(pendingEnrichment({ ...e, metrics: [metric({ resolutionCount: 0 })] }, SPAN)).toEqual([
      'the metric',
    ]);
    expect(pendingEnrichment({ ...e, metrics: [metric()] }, SPAN)).toEqual([]);
    expect(pendingEnrichment({ ...e, problems: [problem('queryMetrics')] }, SPAN)).toEqual([]);
  });

  it('when the monitor is no metric monitor, then no metric is pending', () => {
    const e = enrichment({ monitors: [monitor(42, 'service check', 'x')], changes: changes(1) });
    expect(pendingEnrichment(e, SPAN)).toEqual([]);
  });

  it('when reading the monitor failed for good, or the incident names no Datadog monitor, then the monitor is not pending', () => {
    expect(
      pendingEnrichment(enrichment({ problems: [problem('getMonitor')], changes: changes(1) }), SPAN),
    ).toEqual([]);
    expect(
      pendingEnrichment(enrichment({ changes: changes(1) }), { ...SPAN, monitorIds: [null, 'abc'] }),
    ).toEqual([]);
  });

  it('when the changes are of an earlier resolution, then they are pending; when listing them failed for good, not', () => {
    const e = enrichment({ monitors: [monitor(42)], metrics: [metric({ resolutionCount: 2 })] });
    const span = { ...SPAN, resolutionCount: 2 };
    expect(pendingEnrichment({ ...e, changes: changes(1) }, span)).toEqual(['the changes shortly before']);
    expect(pendingEnrichment({ ...e, changes: changes(2) }, span)).toEqual([]);
    expect(pendingEnrichment({ ...e, changes: changes(3) }, span)).toEqual([]);
    expect(pendingEnrichment({ ...e, problems: [problem('listEvents')] }, span)).toEqual([]);
  });

  it('when something is pending, then the sentence names it; when nothing is, there is none', () => {
    expect(pendingEnrichmentSentence(['the metric', 'the changes shortly before'])).toBe(
      'Datadog enrichment is still pending (the metric, the changes shortly before): the draft is updated when it comes.',
    );
    expect(pendingEnrichmentSentence([])).toBeNull();
  });
});
