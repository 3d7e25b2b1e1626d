/**
 * enrichMetric and enrichChanges over in-memory ports and an in-memory Datadog (the port's own test double, not
 * the client): what is asked, what is kept, when the draft is redrawn, and what a failure leaves.
 */
import { renderPostmortemMarkdown } from '../../../src/domain/postmortem-markdown';
import { DatadogApiError, type DatadogCall, type DatadogFailure } from '../../../src/enrichment/datadog.port';
import { draftPostmortem } from '../../../src/use-cases/draft-postmortem';
import { CHANGE_SERVICES_ASKED, enrichChanges, enrichMetric } from '../../../src/use-cases/enrich-incident';
import { at, makeAlert } from '../../helpers/alerts';
import { QUERY_ALERT_MONITOR, enrichDepsOver } from '../../helpers/datadog-models';
import { INCIDENT_ID, postmortemWorld } from '../../helpers/postmortem-world';

const MONITOR = QUERY_ALERT_MONITOR;
const QUERY = 'sum:trace.http.request.errors{service:web}';
const MINUTE = 60_000;

/** Errors a minute from 09:30 to 11:00: 1, then 9 from 09:58 to 10:29 (12 at 10:05). */
function seriesAnswer() {
  const pointlist: [number, number][] = [];
  for (let t = Date.parse(at('09:30')); t <= Date.parse(at('11:00')); t += MINUTE) {
    const inside = t >= Date.parse(at('09:58')) && t <= Date.parse(at('10:29'));
    pointlist.push([t, t === Date.parse(at('10:05')) ? 12 : inside ? 9 : 1]);
  }
  return { status: 'ok', series: [{ scope: 'service:web', pointlist, unit: null }] };
}

const changeEvent = (id: string, hhmm: string, tags: string[], source = 'deployment') => ({
  idStr: id,
  dateHappened: Date.parse(at(hhmm)) / 1000,
  title: `Deployed ${id}`,
  sourceTypeName: source,
  tags,
  url: `/event/event?id=${id}`,
});

type Answer = unknown;
/** A Datadog answering each call from its script (a model, or a DatadogFailure to throw), then the last again. */
function scriptedDatadog(script: Partial<Record<DatadogCall, Answer[]>>) {
  const calls: { call: DatadogCall; args: unknown[] }[] = [];
  const answer = (call: DatadogCall, args: unknown[]) => {
    calls.push({ call, args });
    const answers = script[call] ?? [];
    const next = answers.length > 1 ? answers.shift() : answers[0];
    if (next !== null && typeof next === 'object' && 'kind' in next)
      throw new DatadogApiError(call, next as DatadogFailure);
    return Promise.resolve(next);
  };
  return {
    calls,
    names: () => calls.map((c) => c.call),
    api: {
      getMonitor: (...args: unknown[]) => answer('getMonitor', args),
      queryMetrics: (...args: unknown[]) => answer('queryMetrics', args),
      getGraphSnapshot: (...args: unknown[]) => answer('getGraphSnapshot', args),
      listEvents: (...args: unknown[]) => answer('listEvents', args),
    },
  };
}

const SNAPSHOT = { snapshotUrl: 'https://p.datadoghq.com/snapshot/view/x/y.png' };
const DEFAULT_SCRIPT = {
  getMonitor: [MONITOR],
  queryMetrics: [seriesAnswer()],
  getGraphSnapshot: [SNAPSHOT],
  listEvents: [{ events: [changeEvent('1', '09:50', ['service:web'])] }],
};

function resolutionWorld(script: Partial<Record<DatadogCall, Answer[]>> = DEFAULT_SCRIPT) {
  const w = postmortemWorld();
  const datadog = scriptedDatadog(structuredClone(script));
  const { deps, drafts } = enrichDepsOver(w, datadog.api, {
    changeWindowMinutes: 30,
    appUrl: 'https://app.datadoghq.com',
    timezone: 'UTC',
  });
  return {
    w,
    datadog,
    drafts,
    deps,
    metric: (resolutionCount = 1) => enrichMetric(deps, INCIDENT_ID, resolutionCount, MONITOR.id),
    changes: (resolutionCount = 1) => enrichChanges(deps, INCIDENT_ID, resolutionCount),
    markdown: async () => {
      await draftPostmortem(w.draftDeps, INCIDENT_ID);
      return renderPostmortemMarkdown((await w.postmortems.find(INCIDENT_ID))!, []);
    },
  };
}

describe('enrichMetric', () => {
  it('when a metric monitor’s incident resolved, then its metric is queried over the incident with its margin, kept with a graph, and the draft redrawn twice', async () => {
    const e = resolutionWorld();
    await e.w.resolvedIncident();
    expect(await e.metric()).toEqual({ kind: 'enriched', calls: 2 });
    expect(e.datadog.calls).toEqual([
      { call: 'getMonitor', args: [42] },
      // 10:00 to 10:30: a margin of 30 min (half of 30 min is under the 30 min minimum).
      {
        call: 'queryMetrics',
        args: [QUERY, Date.parse(at('09:30')) / 1000, Date.parse(at('11:00')) / 1000],
      },
      {
        call: 'getGraphSnapshot',
        args: [
          {
            metricQuery: QUERY,
            startSeconds: Date.parse(at('09:30')) / 1000,
            endSeconds: Date.parse(at('11:00')) / 1000,
            title: 'High error rate on web: detected 10:00, resolved 10:30 UTC',
          },
        ],
      },
    ]);
    const { metrics, monitors } = await e.w.enrichments.find(INCIDENT_ID);
    expect(monitors.map((m) => m.id)).toEqual([42]);
    expect(metrics).toHaveLength(1);
    expect(metrics[0]).toMatchObject({
      monitorId: '42',
      resolutionCount: 1,
      query: QUERY,
      comparator: '>',
      threshold: 5,
      evaluationWindowSeconds: 300,
      snapshotUrl: SNAPSHOT.snapshotUrl,
    });
    expect(metrics[0]!.series[0]!.points).toHaveLength(91);
    expect(e.drafts.map((d) => d.cause)).toEqual(['metric-42-r1', 'metric-42-graph-r1']);
    const markdown = await e.markdown();
    expect(markdown).toContain(
      `### The metric\n\nPeak 12 at 10:05 UTC on service:web (threshold 5); first above it at 09:58, back below at 10:30. [Graph](${SNAPSHOT.snapshotUrl}).`,
    );
  });

  it('when the monitor was described already, then it is not asked again', async () => {
    const e = resolutionWorld();
    await e.w.resolvedIncident();
    await e.w.enrichments.saveMonitor(
      INCIDENT_ID,
      {
        id: 42,
        name: 'n',
        type: 'query alert',
        query: MONITOR.query,
        message: '',
        tags: [],
        priority: null,
        thresholds: { critical: 5, warning: null, ok: null, criticalRecovery: null, warningRecovery: null },
        downtimes: [],
      },
      new Date(),
    );
    await e.metric();
    expect(e.datadog.names()).toEqual(['queryMetrics', 'getGraphSnapshot']);
  });

  it('when reading the monitor failed for good before, then nothing is asked', async () => {
    const e = resolutionWorld();
    await e.w.resolvedIncident();
    await e.w.enrichments.recordProblem(INCIDENT_ID, {
      call: 'getMonitor',
      message: 'forbidden',
      at: new Date(),
    });
    expect(await e.metric()).toEqual({ kind: 'not_applicable', reason: 'the monitor could not be read' });
    expect(e.datadog.calls).toEqual([]);
  });

  it('when the monitor is no metric monitor, then no metric is asked for', async () => {
    const e = resolutionWorld({
      getMonitor: [
        {
          ...MONITOR,
          type: 'service check',
          query: '"http.can_connect".over("*").by("host").last(2).count_by_status()',
        },
      ],
    });
    await e.w.resolvedIncident();
    expect(await e.metric()).toEqual({
      kind: 'not_applicable',
      reason: 'a service check monitor has no metric to query',
    });
    expect(e.datadog.names()).toEqual(['getMonitor']);
    expect((await e.w.enrichments.find(INCIDENT_ID)).metrics).toEqual([]);
  });

  it('when the incident is open again or resolved again since, or gone, then nothing is asked', async () => {
    const e = resolutionWorld();
    expect(await e.metric()).toEqual({ kind: 'missing' });
    await e.w.resolvedIncident();
    expect(await e.metric(2)).toEqual({ kind: 'stale' });
    await e.w.ingest(makeAlert({ transition: 'triggered', at: at('10:40') }));
    expect(await e.metric(1)).toEqual({ kind: 'stale' });
    expect(e.datadog.calls).toEqual([]);
  });

  it('when the query is rate-limited or Datadog is down, then it is thrown for the job and nothing is kept', async () => {
    for (const failure of [
      { kind: 'rate_limited', retryAfterMs: 1000 },
      { kind: 'unavailable', detail: 'HTTP 503' },
    ] as DatadogFailure[]) {
      const e = resolutionWorld({ ...DEFAULT_SCRIPT, queryMetrics: [failure] });
      await e.w.resolvedIncident();
      await expect(e.metric()).rejects.toMatchObject({ failure });
      const stored = await e.w.enrichments.find(INCIDENT_ID);
      expect([stored.metrics, stored.problems]).toEqual([[], []]);
      expect(e.drafts).toEqual([]);
    }
  });

  it('when the query is forbidden, then the missing permission is recorded once', async () => {
    const e = resolutionWorld({
      ...DEFAULT_SCRIPT,
      queryMetrics: [{ kind: 'forbidden', permission: 'timeseries_query' }],
    });
    await e.w.resolvedIncident();
    expect(await e.metric()).toMatchObject({
      kind: 'problem',
      first: true,
      problem: { call: 'queryMetrics' },
    });
    expect(await e.metric()).toMatchObject({ kind: 'problem', first: false });
    const { problems } = await e.w.enrichments.find(INCIDENT_ID);
    expect(problems.map((p) => [p.call, p.message])).toEqual([
      ['queryMetrics', 'forbidden: the application key lacks the timeseries_query permission'],
    ]);
  });

  it('when the answer is no series, then that is recorded, naming why', async () => {
    const e = resolutionWorld({ ...DEFAULT_SCRIPT, queryMetrics: [{ status: 'error', error: 'bad query' }] });
    await e.w.resolvedIncident();
    expect(await e.metric()).toMatchObject({
      kind: 'problem',
      problem: {
        call: 'queryMetrics',
        message: "Datadog's answer is not a metric series (Datadog answered an error: bad query)",
      },
    });
  });

  it('when the graph fails for a while, then the figures are kept and redrawn, and a retry asks only for the graph', async () => {
    const e = resolutionWorld({
      ...DEFAULT_SCRIPT,
      getGraphSnapshot: [{ kind: 'unavailable', detail: 'HTTP 502' }, SNAPSHOT],
    });
    await e.w.resolvedIncident();
    await expect(e.metric()).rejects.toMatchObject({ failure: { kind: 'unavailable' } });
    expect((await e.w.enrichments.find(INCIDENT_ID)).metrics[0]!.snapshotUrl).toBeNull();
    expect(e.drafts.map((d) => d.cause)).toEqual(['metric-42-r1']);
    expect(await e.metric()).toEqual({ kind: 'enriched', calls: 1 });
    expect(e.datadog.names()).toEqual(['getMonitor', 'queryMetrics', 'getGraphSnapshot', 'getGraphSnapshot']);
    expect((await e.w.enrichments.find(INCIDENT_ID)).metrics[0]!.snapshotUrl).toBe(SNAPSHOT.snapshotUrl);
    // Once the graph is kept, a repeated job asks nothing.
    expect(await e.metric()).toEqual({ kind: 'enriched', calls: 0 });
    expect(e.datadog.calls).toHaveLength(4);
  });

  it.each([
    [
      { kind: 'forbidden', permission: 'timeseries_query' },
      'forbidden: the application key lacks the timeseries_query permission',
    ],
    [{ snapshotUrl: 'http://p.datadoghq.com/x.png' }, "Datadog's answer has no https snapshot_url"],
  ])(
    'when the graph answers %j, then the problem is recorded and the figures stand',
    async (answer, message) => {
      const e = resolutionWorld({ ...DEFAULT_SCRIPT, getGraphSnapshot: [answer] });
      await e.w.resolvedIncident();
      expect(await e.metric()).toMatchObject({ kind: 'enriched' });
      const stored = await e.w.enrichments.find(INCIDENT_ID);
      expect(stored.problems.map((p) => [p.call, p.message])).toEqual([['getGraphSnapshot', message]]);
      expect(stored.metrics[0]!.snapshotUrl).toBeNull();
      expect(await e.markdown()).toContain('### The metric\n\nPeak 12 at 10:05 UTC on service:web');
    },
  );

  it('when a reopened incident resolves again, then the metric of the new resolution replaces the old one in the draft', async () => {
    const e = resolutionWorld();
    await e.w.resolvedIncident();
    await e.metric(1);
    await e.w.resolveAgain();
    expect(await e.metric(2)).toMatchObject({ kind: 'enriched' });
    const { metrics } = await e.w.enrichments.find(INCIDENT_ID);
    expect(metrics.map((m) => m.resolutionCount)).toEqual([2]);
    expect(e.drafts.map((d) => [d.resolutionCount, d.cause])).toEqual([
      [1, 'metric-42-r1'],
      [1, 'metric-42-graph-r1'],
      [2, 'metric-42-r2'],
      [2, 'metric-42-graph-r2'],
    ]);
  });
});

describe('enrichChanges', () => {
  it('when the incident resolved, then the affected services’ events before detection are asked, and only their changes in the window are kept, newest first', async () => {
    const e = resolutionWorld({
      listEvents: [
        {
          events: [
            changeEvent('1', '09:40', ['service:web']),
            changeEvent('2', '09:55', ['service:web', 'env:prod'], 'github'),
            changeEvent('3', '09:20', ['service:web']), // before the 30 min window
            changeEvent('4', '09:50', ['service:billing']), // another service
            { ...changeEvent('5', '09:45', ['service:web']), sourceTypeName: 'monitor alert' }, // no change
          ],
        },
      ],
    });
    await e.w.resolvedIncident();
    expect(await e.changes()).toEqual({ kind: 'enriched', calls: 1 });
    expect(e.datadog.calls).toEqual([
      {
        call: 'listEvents',
        args: [
          {
            startSeconds: Date.parse(at('09:30')) / 1000,
            endSeconds: Date.parse(at('10:00')) / 1000,
            tags: 'service:web',
          },
        ],
      },
    ]);
    const { changes } = await e.w.enrichments.find(INCIDENT_ID);
    expect(changes).toMatchObject({ resolutionCount: 1, windowMinutes: 30, services: ['web'] });
    expect(changes!.changes.map((c) => [c.id, c.kind, c.url])).toEqual([
      ['2', 'source control', 'https://app.datadoghq.com/event/event?id=2'],
      ['1', 'deployment', 'https://app.datadoghq.com/event/event?id=1'],
    ]);
    expect(e.drafts.map((d) => d.cause)).toEqual(['changes-r1']);
    const markdown = await e.markdown();
    expect(markdown).toContain('### Changes shortly before\n\n- 09:55 UTC: [Deployed 2]');
    expect(markdown).toContain(
      '- 09:40 UTC: Change (deployment, deployment): Deployed 1\n- 09:55 UTC: Change (source control, github): Deployed 2\n- 10:00 UTC: Alert triggered',
    );
  });

  it('when the incident has more services than are asked about, then the first ones are asked, one call each', async () => {
    const e = resolutionWorld({ listEvents: [{ events: [] }] });
    const services = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    await e.w.ingest(makeAlert({ transition: 'triggered', at: at('10:00'), services }));
    await e.w.ingest(makeAlert({ transition: 'recovered', at: at('10:30'), services }));
    expect(await e.changes()).toEqual({ kind: 'enriched', calls: CHANGE_SERVICES_ASKED });
    expect(e.datadog.calls.map((c) => (c.args[0] as { tags: string }).tags)).toEqual(
      services.slice(0, CHANGE_SERVICES_ASKED).map((s) => `service:${s}`),
    );
  });

  it('when no service is tagged, then nothing is asked', async () => {
    const e = resolutionWorld();
    await e.w.ingest(makeAlert({ transition: 'triggered', at: at('10:00'), services: [] }));
    await e.w.ingest(makeAlert({ transition: 'recovered', at: at('10:30'), services: [] }));
    expect(await e.changes()).toEqual({ kind: 'not_applicable', reason: 'no service is tagged' });
    expect(e.datadog.calls).toEqual([]);
  });

  it('when the window is not set, then it is an hour', async () => {
    const e = resolutionWorld();
    delete e.deps.changeWindowMinutes;
    await e.w.resolvedIncident();
    await e.changes();
    expect((e.datadog.calls[0]!.args[0] as { startSeconds: number }).startSeconds).toBe(
      Date.parse(at('09:00')) / 1000,
    );
  });

  it('when the events are forbidden or no list, then that is recorded; when Datadog is down, it is thrown', async () => {
    const forbidden = resolutionWorld({ listEvents: [{ kind: 'forbidden', permission: 'events_read' }] });
    await forbidden.w.resolvedIncident();
    expect(await forbidden.changes()).toMatchObject({
      kind: 'problem',
      problem: {
        call: 'listEvents',
        message: 'forbidden: the application key lacks the events_read permission',
      },
    });
    const garbage = resolutionWorld({ listEvents: [{ events: 'none' }] });
    await garbage.w.resolvedIncident();
    expect(await garbage.changes()).toMatchObject({
      kind: 'problem',
      problem: { message: "Datadog's answer is not a list of events (events is not a list)" },
    });
    const down = resolutionWorld({ listEvents: [{ kind: 'unavailable', detail: 'timeout' }] });
    await down.w.resolvedIncident();
    await expect(down.changes()).rejects.toBeInstanceOf(DatadogApiError);
    expect((await down.w.enrichments.find(INCIDENT_ID)).changes).toBeNull();
  });

  it('when the incident is open again, then nothing is asked', async () => {
    const e = resolutionWorld();
    await e.w.resolvedIncident();
    await e.w.ingest(makeAlert({ transition: 'triggered', at: at('10:40') }));
    expect(await e.changes()).toEqual({ kind: 'stale' });
    expect(e.datadog.calls).toEqual([]);
  });
});

describe('the draft while Datadog enrichment is pending', () => {
  it('when enrichment is on, then the draft queues the metric and changes once written, and its notification says what is pending', async () => {
    const e = resolutionWorld();
    await e.w.resolvedIncident();
    const queued: unknown[] = [];
    const deps = {
      ...e.w.draftDeps,
      queueResolutionEnrichment: async (job: unknown) => void queued.push(job),
    };
    await draftPostmortem(deps, INCIDENT_ID);
    expect(queued).toEqual([{ incidentId: INCIDENT_ID, resolutionCount: 1, monitorIds: [42] }]);
    const drafted = e.w.messages.find((m) => m.message.event === 'postmortem.drafted')!.message;
    expect(drafted.text.split('\n').pop()).toBe(
      'Datadog enrichment is still pending (the monitor, the changes shortly before): the draft is updated when it comes.',
    );
    expect(drafted.data.enrichmentPending).toEqual(['the monitor', 'the changes shortly before']);
  });

  it('when enrichment is off, then nothing is queued and the notification is as before', async () => {
    const e = resolutionWorld();
    await e.w.resolvedIncident();
    await draftPostmortem(e.w.draftDeps, INCIDENT_ID);
    const drafted = e.w.messages.find((m) => m.message.event === 'postmortem.drafted')!.message;
    expect(drafted.text).not.toContain('pending');
    expect('enrichmentPending' in drafted.data).toBe(false);
  });

  it('when everything has come, then nothing is said pending', async () => {
    const e = resolutionWorld();
    await e.w.resolvedIncident();
    await e.metric();
    await e.changes();
    const deps = { ...e.w.draftDeps, queueResolutionEnrichment: async () => undefined };
    await draftPostmortem(deps, INCIDENT_ID);
    const drafted = e.w.messages.find((m) => m.message.event === 'postmortem.drafted')!.message;
    expect(drafted.data.enrichmentPending).toEqual([]);
    expect(drafted.text).not.toContain('pending');
  });
});

describe('redraws racing', () => {
  it('when the changes and their redraw land between another redraw’s reads, then the draft keeps the metric and the changes', async () => {
    const e = resolutionWorld();
    await e.w.resolvedIncident();
    await draftPostmortem(e.w.draftDeps, INCIDENT_ID);
    await e.metric(); // kept; its redraw job is the one run below
    // Just after that redraw reads the enrichment, the changes job and its own redraw do all their work.
    e.w.enrichments.afterFind(1, async () => {
      await e.changes();
      await draftPostmortem(e.w.draftDeps, INCIDENT_ID);
    });
    await draftPostmortem(e.w.draftDeps, INCIDENT_ID);
    const markdown = renderPostmortemMarkdown((await e.w.postmortems.find(INCIDENT_ID))!, []);
    expect(markdown).toContain('### The metric');
    expect(markdown).toContain('### Changes shortly before');
  });
});
