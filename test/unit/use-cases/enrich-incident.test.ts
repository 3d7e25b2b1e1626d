/** enrichMonitor over in-memory ports and an in-memory Datadog (the port's own test double, not the client). */
import { NO_ENRICHMENT } from '../../../src/domain/enrichment';
import { renderPostmortemMarkdown } from '../../../src/domain/postmortem-markdown';
import { DatadogApiError, type DatadogFailure } from '../../../src/enrichment/datadog.port';
import { draftPostmortem } from '../../../src/use-cases/draft-postmortem';
import { enrichMonitor } from '../../../src/use-cases/enrich-incident';
import { at, makeAlert } from '../../helpers/alerts';
import { QUERY_ALERT_MONITOR, enrichDepsOver } from '../../helpers/datadog-models';
import { objectId } from '../../helpers/memory-stores';
import { INCIDENT_ID, postmortemWorld } from '../../helpers/postmortem-world';

const MONITOR = QUERY_ALERT_MONITOR;

/** A Datadog that answers getMonitor from a script: a model, or a failure, per call. */
function scriptedDatadog(...answers: unknown[]) {
  const calls: number[] = [];
  return {
    calls,
    api: {
      async getMonitor(monitorId: number): Promise<unknown> {
        calls.push(monitorId);
        const answer = answers.length > 1 ? answers.shift() : answers[0];
        if (answer !== null && typeof answer === 'object' && 'kind' in answer)
          throw new DatadogApiError('getMonitor', answer as DatadogFailure);
        return answer;
      },
    },
  };
}

/** A world whose Datadog answers each call with the next of `answers` (a model, or a DatadogFailure), then the last. */
function enrichWorld(...answers: unknown[]) {
  const w = postmortemWorld();
  const datadog = scriptedDatadog(...answers);
  const { deps, drafts } = enrichDepsOver(w, datadog.api);
  return { w, datadog, drafts, deps, enrich: (id = INCIDENT_ID) => enrichMonitor(deps, id, MONITOR.id) };
}

describe('enrichMonitor', () => {
  it('when Datadog describes the monitor of an open incident, then it is kept beside the incident and no draft is queued', async () => {
    const e = enrichWorld(MONITOR);
    await e.w.ingest(makeAlert({ transition: 'triggered', at: at('10:00') }));
    const outcome = await e.enrich();
    expect(outcome).toMatchObject({
      kind: 'enriched',
      fromCache: false,
      monitor: { id: 42, query: MONITOR.query },
    });
    const stored = await e.w.enrichments.find(INCIDENT_ID);
    expect(stored.monitors.map((m) => [m.id, m.thresholds.critical, m.thresholds.warning])).toEqual([
      [42, 5, 3],
    ]);
    expect(e.drafts).toEqual([]);
  });

  it('when the incident reopened after a resolution, then its draft job is queued (it leaves an open incident alone)', async () => {
    const e = enrichWorld(MONITOR);
    await e.w.resolvedIncident();
    await e.w.ingest(makeAlert({ transition: 'triggered', at: at('10:40') }));
    const reopened = (await e.w.incidents.findById(INCIDENT_ID))!;
    expect([reopened.status, reopened.resolutionCount]).toEqual(['open', 1]);
    await e.enrich();
    expect(e.drafts.map((d) => d.resolutionCount)).toEqual([1]);
    expect(await draftPostmortem(e.w.draftDeps, INCIDENT_ID)).toEqual({ kind: 'not_resolved' });
  });

  it('when the same monitor is asked for again (another incident of a storm), then Datadog is called once', async () => {
    const e = enrichWorld(MONITOR);
    await e.w.resolvedIncident();
    await e.enrich();
    const second = await e.enrich();
    expect(second).toMatchObject({ kind: 'enriched', fromCache: true });
    expect(e.datadog.calls).toEqual([42]);
  });

  it('when the incident has resolved already, then its draft is redrawn with the monitor, what people wrote kept', async () => {
    const e = enrichWorld(MONITOR);
    const incident = await e.w.resolvedIncident();
    await draftPostmortem(e.w.draftDeps, INCIDENT_ID);
    await e.enrich();
    expect(e.drafts).toEqual([
      { incidentId: INCIDENT_ID, resolutionCount: 1, incidentVersion: incident.version, cause: 'monitor-42' },
    ]);
    const outcome = await draftPostmortem(e.w.draftDeps, INCIDENT_ID);
    expect(outcome.kind).toBe('updated');
    const postmortem = (await e.w.postmortems.find(INCIDENT_ID))!;
    expect(postmortem.facts.detectionDetails).toEqual([
      {
        monitor: 'Datadog monitor “High error rate on web”',
        query: MONITOR.query,
        thresholds: 'warning 3, critical 5',
      },
    ]);
    expect(renderPostmortemMarkdown(postmortem, [])).toContain(
      '- Detection: Datadog monitor “High error rate on web”, `avg(last_5m):sum:trace.http.request.errors{service:web} > 5`, warning 3, critical 5',
    );
  });

  it.each([
    [
      { kind: 'forbidden', permission: 'monitors_read' },
      'forbidden: the application key lacks the monitors_read permission',
    ],
    [{ kind: 'not_found' }, 'not found'],
    [{ kind: 'invalid', detail: 'the answer is not JSON' }, 'the answer is not JSON'],
  ] as const)(
    'when Datadog answers %j, then the problem is recorded once on the incident and nothing retried',
    async (failure, message) => {
      const e = enrichWorld(failure);
      await e.w.resolvedIncident();
      expect(await e.enrich()).toMatchObject({
        kind: 'problem',
        first: true,
        problem: { call: 'getMonitor', message },
      });
      expect(await e.enrich()).toMatchObject({ kind: 'problem', first: false });
      expect((await e.w.enrichments.find(INCIDENT_ID)).problems.map((p) => p.message)).toEqual([message]);
      expect(e.drafts).toEqual([]);
    },
  );

  it('when Datadog answers something that is no monitor, then that is recorded as the problem', async () => {
    const e = enrichWorld({ id: 42 });
    await e.w.resolvedIncident();
    expect(await e.enrich()).toMatchObject({
      kind: 'problem',
      problem: { message: expect.stringContaining('not a monitor') },
    });
  });

  it.each([
    [{ kind: 'rate_limited', retryAfterMs: 30_000 }],
    [{ kind: 'unavailable', detail: 'HTTP 503' }],
  ] as const)(
    'when Datadog answers %j, then it is thrown for the job to retry, and nothing is recorded',
    async (failure) => {
      const e = enrichWorld(failure, MONITOR);
      await e.w.resolvedIncident();
      await expect(e.enrich()).rejects.toMatchObject({ failure });
      expect(await e.w.enrichments.find(INCIDENT_ID)).toEqual(NO_ENRICHMENT);
      expect(await e.enrich()).toMatchObject({ kind: 'enriched' });
    },
  );

  it('when the incident does not exist, then nothing is asked of Datadog', async () => {
    const e = enrichWorld(MONITOR);
    expect(await e.enrich(objectId(9))).toEqual({ kind: 'missing' });
    expect(e.datadog.calls).toEqual([]);
  });
});
