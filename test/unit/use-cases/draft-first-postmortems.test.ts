/**
 * draftFirstPostmortems and settleDrafts over in-memory ports: the drafts a batch of alerts asks for are
 * written from the incidents as the batch left them, all in one insert, and whatever that quick way cannot
 * decide goes to the draft job, which reads and decides alone, as before.
 */
import { draftPostmortemFacts } from '../../../src/domain/postmortem-draft';
import type { Incident } from '../../../src/domain/incident';
import type { PostmortemDraftJob } from '../../../src/queue/jobs';
import { draftFirstPostmortems, draftPostmortem } from '../../../src/use-cases/draft-postmortem';
import { settleDrafts, type AskedDraft } from '../../../src/use-cases/follow-up-ingest';
import { at, makeAlert } from '../../helpers/alerts';
import { objectId } from '../../helpers/memory-stores';
import { INCIDENT_ID, INCIDENT_URL, LATER, postmortemWorld, TIMEZONE } from '../../helpers/postmortem-world';

/** Counts the calls each method of a store gets. */
function counting<T extends object>(target: T): { store: T; calls: string[] } {
  const calls: string[] = [];
  const store = new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push(key);
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    },
  });
  return { store, calls };
}

const MONITOR = {
  id: 42,
  name: 'High error rate on web',
  type: 'query alert',
  query: 'avg(last_5m):avg:errors{service:web} > 5',
  message: '',
  tags: [],
  priority: null,
  thresholds: { critical: 5, warning: null, ok: null, criticalRecovery: null, warningRecovery: null },
  downtimes: [],
};

describe('draftFirstPostmortems', () => {
  it('when incidents have just resolved, then each gets the draft draftPostmortem would write, from one insert and no read, and ops are told', async () => {
    const w = postmortemWorld();
    const first = await w.resolvedIncident();
    const other = { groupKey: 'datadog:monitor:2', alertKey: 'datadog:monitor:2|host:b' };
    await w.ingest(makeAlert({ ...other, eventId: 'o1', transition: 'triggered', at: at('11:00') }));
    await w.ingest(makeAlert({ ...other, eventId: 'o2', transition: 'recovered', at: at('11:20') }));
    const second = (await w.incidents.findById(objectId(2)))!;
    const postmortems = counting(w.postmortems);
    const enrichments = counting(w.enrichments);
    const deps = { ...w.draftDeps, postmortems: postmortems.store, enrichments: enrichments.store };

    expect(await draftFirstPostmortems(deps, [first, second])).toEqual(new Set());
    expect(postmortems.calls).toEqual(['insertMany']);
    expect(enrichments.calls).toEqual([]);
    const stored = (await w.postmortems.find(INCIDENT_ID))!;
    expect(stored).toMatchObject({ status: 'draft', version: 1, draftedAt: new Date(LATER) });
    expect(stored.facts).toEqual(
      draftPostmortemFacts(first, { timezone: TIMEZONE, incidentUrl: INCIDENT_URL }),
    );
    expect((await w.postmortems.find(objectId(2)))?.facts.incidentId).toBe(objectId(2));
    expect(w.messages.map((m) => [m.message.event, m.message.subjectId])).toEqual([
      ['incident.resolved', INCIDENT_ID],
      ['postmortem.drafted', INCIDENT_ID],
      ['incident.resolved', objectId(2)],
      ['postmortem.drafted', objectId(2)],
    ]);

    // The same drafts asked for again: nothing is written twice; draftPostmortem finds them unchanged.
    expect(await draftFirstPostmortems(w.draftDeps, [first, second])).toEqual(new Set([first.id, second.id]));
    expect(await draftPostmortem(w.draftDeps, INCIDENT_ID)).toEqual({
      kind: 'unchanged',
      postmortem: stored,
    });
  });

  it('when an incident is not resolved, or has a postmortem already, then it is left to its draft job', async () => {
    const w = postmortemWorld();
    const resolved = await w.resolvedIncident();
    await draftPostmortem(w.draftDeps, INCIDENT_ID);
    const before = await w.postmortems.find(INCIDENT_ID);
    const open: Incident = { ...resolved, id: objectId(9), status: 'open' };
    expect(await draftFirstPostmortems(w.draftDeps, [resolved, open])).toEqual(
      new Set([INCIDENT_ID, objectId(9)]),
    );
    expect(await w.postmortems.find(INCIDENT_ID)).toEqual(before);
    expect(await w.postmortems.find(objectId(9))).toBeNull();
  });

  it('when no incident has resolved, then nothing is written or read', async () => {
    const w = postmortemWorld();
    const resolved = await w.resolvedIncident();
    const postmortems = counting(w.postmortems);
    const enrichments = counting(w.enrichments);
    const deps = {
      ...w.draftDeps,
      postmortems: postmortems.store,
      enrichments: enrichments.store,
      queueResolutionEnrichment: async () => undefined,
    };
    const open: Incident = { ...resolved, status: 'open' };
    expect(await draftFirstPostmortems(deps, [open])).toEqual(new Set([INCIDENT_ID]));
    expect([...postmortems.calls, ...enrichments.calls]).toEqual([]);
  });

  it('when Datadog enrichment is on, then an incident from another source still has nothing of it read', async () => {
    const w = postmortemWorld();
    const incident = { ...(await w.resolvedIncident()), source: 'grafana' };
    const enrichments = counting(w.enrichments);
    const deps = {
      ...w.draftDeps,
      enrichments: enrichments.store,
      queueResolutionEnrichment: async () => undefined,
    };
    expect(await draftFirstPostmortems(deps, [incident])).toEqual(new Set());
    expect(enrichments.calls).toEqual([]);
  });

  it('when Datadog enrichment is on, then what it added to a Datadog incident is in its first draft', async () => {
    const w = postmortemWorld();
    const incident = await w.resolvedIncident();
    await w.enrichments.saveMonitor(INCIDENT_ID, MONITOR, new Date(LATER));
    const queued: unknown[] = [];
    const deps = { ...w.draftDeps, queueResolutionEnrichment: async (job: unknown) => void queued.push(job) };
    await draftFirstPostmortems(deps, [incident]);
    const stored = (await w.postmortems.find(INCIDENT_ID))!;
    expect(stored.facts).toEqual(
      draftPostmortemFacts(incident, {
        timezone: TIMEZONE,
        incidentUrl: INCIDENT_URL,
        enrichment: await w.enrichments.find(INCIDENT_ID),
      }),
    );
    expect(JSON.stringify(stored.facts)).toContain(MONITOR.query);
    expect(queued).toEqual([{ incidentId: INCIDENT_ID, resolutionCount: 1, monitorIds: [42] }]);
  });
});

describe('settleDrafts', () => {
  const job = (incident: Incident, extra: Partial<PostmortemDraftJob> = {}): PostmortemDraftJob => ({
    incidentId: incident.id,
    resolutionCount: incident.resolutionCount,
    incidentVersion: incident.version,
    ...extra,
  });

  async function settled(
    asked: AskedDraft[],
    left: (ids: string[]) => Set<string> | Error = () => new Set(),
  ) {
    const drafted: string[][] = [];
    const queued: PostmortemDraftJob[] = [];
    const unqueued = await settleDrafts(
      {
        queueDraft: async (j) => void queued.push(j),
        draftFirst: async (incidents) => {
          const ids = incidents.map((i) => i.id);
          drafted.push(ids);
          const answer = left(ids);
          if (answer instanceof Error) throw answer;
          return answer;
        },
      },
      asked,
    );
    return { drafted, queued, unqueued };
  }

  it('when drafts are asked for the state the batch left, then they are written at once, together, and none is queued', async () => {
    const w = postmortemWorld();
    const incident = await w.resolvedIncident();
    const other = { ...incident, id: objectId(5) };
    const r = await settled([
      { job: job(incident), incident },
      { job: job(other), incident: other },
    ]);
    expect(r.drafted).toEqual([[INCIDENT_ID, objectId(5)]]);
    expect(r.queued).toEqual([]);
  });

  it('when a draft is asked for an older state of an incident the batch changed again, then the newer draft covers it', async () => {
    const w = postmortemWorld();
    const incident = await w.resolvedIncident();
    const later = { ...incident, version: incident.version + 1 };
    const r = await settled([
      { job: job(incident), incident },
      { job: job(later), incident: later },
    ]);
    expect(r.drafted).toEqual([[INCIDENT_ID]]);
    expect(r.queued).toEqual([]);
  });

  it('when a draft is a withdrawal, a redelivery, or for a state the batch did not leave, then its job is queued', async () => {
    const w = postmortemWorld();
    const incident = await w.resolvedIncident();
    const open = { ...incident, status: 'open' as const, version: incident.version + 1 };
    const withdrawal = job(open, { resolutionCount: 2 });
    const redelivery = job({ ...incident, id: objectId(6) });
    const r = await settled([
      { job: withdrawal, incident: open },
      { job: redelivery, incident: null },
    ]);
    expect(r.drafted).toEqual([]);
    expect(r.queued).toEqual([withdrawal, redelivery]);
  });

  it('when a draft is asked for a state the batch left but not resolved, for another resolution, or for an older version alone, then its job is queued', async () => {
    const w = postmortemWorld();
    const incident = await w.resolvedIncident();
    const open = { ...incident, status: 'open' as const };
    const forOpen = job(open);
    const otherResolution = job(incident, { resolutionCount: incident.resolutionCount + 1 });
    const olderVersion = { ...incident, id: objectId(7) };
    const olderJob = job(olderVersion, { incidentVersion: incident.version - 1 });
    for (const [asked, expected] of [
      [{ job: forOpen, incident: open }, forOpen],
      [{ job: otherResolution, incident }, otherResolution],
      [{ job: olderJob, incident: olderVersion }, olderJob],
    ] as const) {
      const r = await settled([asked]);
      expect(r.drafted).toEqual([]);
      expect(r.queued).toEqual([expected]);
    }
  });

  it('when the newer state of an incident comes first, then that is the one drafted and the older is covered', async () => {
    const w = postmortemWorld();
    const incident = await w.resolvedIncident();
    const later = { ...incident, version: incident.version + 1, title: 'the later state' };
    const drafted: Incident[] = [];
    await settleDrafts(
      {
        queueDraft: async () => {
          throw new Error('nothing is queued');
        },
        draftFirst: async (incidents) => {
          drafted.push(...incidents);
          return new Set();
        },
      },
      [
        { job: job(later), incident: later },
        { job: job(incident), incident },
      ],
    );
    expect(drafted.map((i) => i.title)).toEqual(['the later state']);
  });

  it('when the quick way leaves a draft or fails, then that draft is queued, and one that cannot be queued is answered', async () => {
    const w = postmortemWorld();
    const incident = await w.resolvedIncident();
    const other = { ...incident, id: objectId(5) };
    const asked = [
      { job: job(incident), incident },
      { job: job(other), incident: other },
    ];
    expect((await settled(asked, () => new Set([objectId(5)]))).queued).toEqual([job(other)]);
    expect((await settled(asked, () => new Error('database down'))).queued).toEqual([
      job(incident),
      job(other),
    ]);

    const unqueued = await settleDrafts(
      {
        queueDraft: async () => {
          throw new Error('Redis down');
        },
        draftFirst: async (incidents) => new Set(incidents.map((i) => i.id)),
      },
      asked,
    );
    expect(unqueued.map((u) => [u.draft.job.incidentId, (u.error as Error).message])).toEqual([
      [INCIDENT_ID, 'Redis down'],
      [objectId(5), 'Redis down'],
    ]);
  });
});
