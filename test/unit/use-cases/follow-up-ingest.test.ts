/** followUpIngest: what an ingested alert sets off, fed with the outcomes ingestAlert really returns. */
import type { NotificationMessage } from '../../../src/domain/notification-messages';
import { presentIncident } from '../../../src/presenters/incident.presenter';
import type { EnrichMonitorJob, PostmortemDraftJob } from '../../../src/queue/jobs';
import { followUpIngest, type FollowUpDeps } from '../../../src/use-cases/follow-up-ingest';
import type { IngestOutcome } from '../../../src/use-cases/ingest-alert';
import { at, makeAlert } from '../../helpers/alerts';
import { ingestWorld, recovery, trigger } from '../../helpers/ingest-world';
import { objectId } from '../../helpers/memory-stores';

const PUBLIC_URL = 'https://hindsight.example.com';

function followUps(extra: Partial<FollowUpDeps> = {}) {
  const drafts: PostmortemDraftJob[] = [];
  const messages: { message: NotificationMessage; revision: number }[] = [];
  const deps = {
    publicUrl: PUBLIC_URL,
    queueDraft: async (job: PostmortemDraftJob) => {
      drafts.push(job);
    },
    notify: async (message: NotificationMessage, revision: number) => {
      messages.push({ message, revision });
    },
    ...extra,
  };
  return { drafts, messages, run: (outcome: IngestOutcome) => followUpIngest(deps, outcome) };
}

describe('followUpIngest', () => {
  it('when an alert opens an incident, then ops are told it opened, at revision 0, and no draft is queued', async () => {
    const w = ingestWorld();
    const outcome = await w.ingest(trigger('10:00'));
    const f = followUps();
    await f.run(outcome);
    const incident = (await w.incidents.findById(objectId(1)))!;
    expect(f.messages).toEqual([
      {
        message: {
          event: 'incident.opened',
          subjectId: objectId(1),
          title: 'Opened: High error rate on web',
          text: 'High error rate on web (P2) is alerting on web.',
          url: `${PUBLIC_URL}/incidents/${objectId(1)}`,
          data: { incident: presentIncident(incident, PUBLIC_URL) },
        },
        revision: 0,
      },
    ]);
    expect(f.drafts).toEqual([]);
  });

  it('when the incident has no severity or several services, then the text says so', async () => {
    const w = ingestWorld();
    const f = followUps();
    await f.run(
      await w.ingest(makeAlert({ transition: 'triggered', at: at('10:00'), severity: null, services: [] })),
    );
    const bare = ingestWorld();
    const alert = makeAlert({
      transition: 'triggered',
      at: at('10:00'),
      services: ['web', 'api'],
      severity: 'P1',
    });
    await f.run(await bare.ingest(alert));
    expect(f.messages.map((m) => m.message.text)).toEqual([
      'High error rate on web is alerting.',
      'High error rate on web (P1) is alerting on web, api.',
    ]);
  });

  it('when an alert resolves the incident, then its draft is queued for that resolution and nothing is sent', async () => {
    const w = ingestWorld();
    await w.ingest(trigger('10:00'));
    const f = followUps();
    await f.run(await w.ingest(recovery('10:30')));
    const { version } = (await w.incidents.findById(objectId(1)))!;
    expect(f.drafts).toEqual([{ incidentId: objectId(1), resolutionCount: 1, incidentVersion: version }]);
    expect(f.messages).toEqual([]);
  });

  it('when a late alert changes the resolved incident, then a draft is queued for its new version, and nothing is sent', async () => {
    const w = ingestWorld();
    await w.ingest(trigger('10:00'));
    const f = followUps();
    await f.run(await w.ingest(recovery('10:30')));
    // An alert of 10:10, delivered after the recovery: the incident changes, it stays resolved.
    await f.run(
      await w.ingest(makeAlert({ transition: 'acknowledged', at: at('10:10'), scope: 'host:web-1' })),
    );
    const { version } = (await w.incidents.findById(objectId(1)))!;
    expect(f.drafts.map((d) => [d.resolutionCount, d.incidentVersion])).toEqual([
      [1, version - 1],
      [1, version],
    ]);
    expect(f.messages).toEqual([]);
  });

  it('when a late trigger shows the resolved incident never resolved, then a draft job is queued to withdraw its draft', async () => {
    const w = ingestWorld();
    await w.ingest(trigger('10:00'));
    await w.ingest(recovery('10:30'));
    const f = followUps();
    // web-2 was firing since 10:10, and has not recovered: the incident never resolved.
    await f.run(await w.ingest(trigger('10:10', 'web-2')));
    const incident = (await w.incidents.findById(objectId(1)))!;
    expect(incident.resolutionCount).toBe(0);
    expect(f.drafts).toEqual([
      { incidentId: objectId(1), resolutionCount: 1, incidentVersion: incident.version },
    ]);
  });

  it('when a trigger reopens a resolved incident, then ops are told it reopened, at its resolution count', async () => {
    const w = ingestWorld();
    await w.ingest(trigger('10:00'));
    await w.ingest(recovery('10:30'));
    const f = followUps();
    await f.run(await w.ingest(trigger('10:40')));
    expect(f.messages.map((m) => [m.message.title, m.revision])).toEqual([
      ['Reopened: High error rate on web', 1],
    ]);
    expect(f.drafts).toEqual([]);
  });

  it('when Datadog enrichment is on and a Datadog alert opens an incident, then its monitor is queued once to be described', async () => {
    const w = ingestWorld();
    const jobs: EnrichMonitorJob[] = [];
    const f = followUps({ queueMonitorEnrichment: async (job) => void jobs.push(job) });
    await f.run(await w.ingest(trigger('10:00')));
    await f.run(await w.ingest(trigger('10:05', 'web-2')));
    expect(jobs).toEqual([{ incidentId: objectId(1), monitorId: 42 }]);
  });

  it('when a Datadog incident opens and resolves in one write (its recovery was held), then its monitor is still queued', async () => {
    const w = ingestWorld();
    const jobs: EnrichMonitorJob[] = [];
    const f = followUps({ queueMonitorEnrichment: async (job) => void jobs.push(job) });
    await f.run(await w.ingest(recovery('10:30')));
    const outcome = await w.ingest(trigger('10:00'));
    expect(outcome).toMatchObject({ kind: 'applied', opened: true, after: { status: 'resolved' } });
    await f.run(outcome);
    expect(jobs).toEqual([{ incidentId: objectId(1), monitorId: 42 }]);
  });

  it('when the incident is not from Datadog, or its monitor id is no Datadog id, then nothing is queued', async () => {
    const jobs: EnrichMonitorJob[] = [];
    const f = followUps({ queueMonitorEnrichment: async (job) => void jobs.push(job) });
    const other = ingestWorld();
    await f.run(
      await other.ingest(makeAlert({ transition: 'triggered', at: at('10:00'), source: 'grafana' })),
    );
    for (const id of ['not-a-number', '12a', 'a12', '1234567890123456']) {
      const odd = ingestWorld();
      const monitor = { id, name: 'x', url: null, query: null };
      await f.run(await odd.ingest(makeAlert({ transition: 'triggered', at: at('10:00'), monitor })));
    }
    expect(jobs).toEqual([]);
  });

  it('when an alert joins an incident already open, then nothing is sent or queued', async () => {
    const w = ingestWorld();
    await w.ingest(trigger('10:00'));
    const f = followUps();
    await f.run(await w.ingest(trigger('10:05', 'web-2')));
    expect(f).toMatchObject({ drafts: [], messages: [] });
  });

  it('when a resolved incident is delivered an alert again, then the draft is queued again but nothing is sent', async () => {
    const w = ingestWorld();
    const r = recovery('10:30');
    await w.ingest(trigger('10:00'));
    await w.ingest(r);
    const f = followUps();
    await f.run(await w.ingest(r));
    const { version } = (await w.incidents.findById(objectId(1)))!;
    expect(f.drafts).toEqual([{ incidentId: objectId(1), resolutionCount: 1, incidentVersion: version }]);
    expect(f.messages).toEqual([]);
  });

  it('when the alert was held, a test, or a duplicate of no incident, then nothing follows', async () => {
    const f = followUps();
    await f.run({ kind: 'held', reason: 'no incident is open for it' });
    await f.run({ kind: 'test' });
    await f.run({ kind: 'duplicate', incidentId: null, after: null });
    await f.run({ kind: 'duplicate', incidentId: objectId(1), after: null });
    expect(f).toMatchObject({ drafts: [], messages: [] });
  });

  it('when a resolved incident never resolved from open (resolution count 0), then no draft is queued', async () => {
    const f = followUps();
    await f.run({
      kind: 'duplicate',
      incidentId: objectId(1),
      after: { status: 'resolved', resolutionCount: 0, version: 3 },
    });
    await f.run({
      kind: 'duplicate',
      incidentId: objectId(1),
      after: { status: 'open', resolutionCount: 2, version: 4 },
    });
    expect(f.drafts).toEqual([]);
  });
});
