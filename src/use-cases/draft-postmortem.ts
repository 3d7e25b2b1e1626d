/**
 * Draft (or bring up to date) the postmortem of a resolved incident, then hand it to ops. Run by the
 * `postmortem.draft` job once per resolution; safe to run again for the same one (it changes nothing, and
 * the notifications it schedules are the same deliveries).
 */
import { formatDuration } from '../domain/time-format';
import type { Incident } from '../domain/incident';
import type { NotificationEvent, NotificationMessage } from '../domain/notification-messages';
import type { Postmortem } from '../domain/postmortem';
import { datadogMonitorIds, NO_ENRICHMENT, type IncidentEnrichment } from '../domain/enrichment';
import { pendingEnrichment, pendingEnrichmentSentence } from '../domain/enrichment-facts';
import { draftPostmortemFacts, isWithdrawable, redraftPostmortem } from '../domain/postmortem-draft';
import { presentPostmortemJson, renderPostmortemMarkdown } from '../domain/postmortem-markdown';
import { incidentPageUrl, postmortemPageUrl, presentIncident } from '../presenters/incident.presenter';
import type { ActionItemStore, EnrichmentStore, IncidentStore, PostmortemStore } from './ports';

export interface DraftDeps {
  incidents: IncidentStore;
  postmortems: PostmortemStore;
  actionItems: ActionItemStore;
  /** What Datadog's API added to incidents: a draft shows it. */
  enrichments: Pick<EnrichmentStore, 'find'>;
  timezone: string;
  publicUrl: string;
  now: () => Date;
  /** Schedules a message to every target subscribed to its event; idempotent per (message, revision). */
  notify: (message: NotificationMessage, revision: number) => Promise<unknown>;
  /** Whether any target takes this event: a message nobody takes is not built (the draft's is rendered whole). */
  subscribed: (event: NotificationEvent) => boolean;
  /**
   * Datadog enrichment, when on: queues the metric of each monitor and the changes shortly before for this
   * resolution of a Datadog incident, once the draft is written (the jobs' ids make a second call add nothing).
   */
  queueResolutionEnrichment?: (job: ResolutionEnrichmentJob) => Promise<void>;
}

export interface ResolutionEnrichmentJob {
  incidentId: string;
  resolutionCount: number;
  /** The incident's Datadog monitor ids. */
  monitorIds: number[];
}

export type DraftOutcome =
  | { kind: 'drafted' | 'updated' | 'unchanged'; postmortem: Postmortem }
  | { kind: 'not_resolved' | 'missing' | 'withdrawn' };

const MAX_ROUNDS = 20;

export async function draftPostmortem(deps: DraftDeps, incidentId: string): Promise<DraftOutcome> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const incident = await deps.incidents.findById(incidentId);
    if (incident === null) return { kind: 'missing' };
    if (incident.status !== 'resolved') {
      const withdrawn = await withdrawUntouchedDraft(deps, incident);
      if (withdrawn === 'lost_race') continue;
      return { kind: withdrawn ? 'withdrawn' : 'not_resolved' };
    }
    // The postmortem before the enrichment: an enrichment saved after this read of it is followed by its own
    // redraft, whose write then conflicts with ours or comes after it; read the other way round, a redraft
    // from an older enrichment could land last and drop what another job had just added.
    const existing = await deps.postmortems.find(incidentId);
    const enrichment = await deps.enrichments.find(incident.id);
    const facts = draftPostmortemFacts(incident, {
      timezone: deps.timezone,
      incidentUrl: incidentPageUrl(deps.publicUrl, incident.id),
      enrichment,
    });
    const next = redraftPostmortem(existing, facts, deps.now());
    let kind: 'drafted' | 'updated' | 'unchanged' = 'unchanged';
    if (existing === null) {
      if ((await deps.postmortems.insert(next)) === 'conflict') continue;
      kind = 'drafted';
    } else if (next !== existing) {
      if (!(await deps.postmortems.saveChange(next))) continue;
      kind = 'updated';
    }
    // Scheduled on every run, not only the first: after a crash between the write and this line, the retry
    // schedules what was missed, and what was already scheduled is not scheduled again.
    if (next.facts.resolutionCount === incident.resolutionCount)
      await handOver(deps, incident, next, enrichment);
    return { kind, postmortem: next };
  }
  throw new Error(`postmortem of ${incidentId}: too many concurrent changes; the job will be retried`);
}

/**
 * The first drafts of incidents that have just resolved, written from the incidents as the change that resolved
 * them left them (no read of them): one insert for them all, and no read of their postmortems, since an
 * incident's first resolution has none (the insert says when one exists). Their enrichment is read only when
 * Datadog enrichment is on: with it off nothing enriches an incident. Answers the ids it did not draft: those
 * with a postmortem already (a second resolution, a redraft that came first), for draftPostmortem, which reads
 * and decides each. Idempotent like it: a second call finds the drafts and leaves them all to it.
 */
export async function draftFirstPostmortems(
  deps: DraftDeps,
  resolved: readonly Incident[],
): Promise<Set<string>> {
  const incidents = resolved.filter((i) => i.status === 'resolved');
  const left = new Set(resolved.filter((i) => i.status !== 'resolved').map((i) => i.id));
  if (incidents.length === 0) return left;
  const enrichments = await Promise.all(
    incidents.map((incident) =>
      deps.queueResolutionEnrichment !== undefined && incident.source === 'datadog'
        ? deps.enrichments.find(incident.id)
        : Promise.resolve(NO_ENRICHMENT),
    ),
  );
  const now = deps.now();
  const drafts = incidents.map((incident, i) =>
    redraftPostmortem(
      null,
      draftPostmortemFacts(incident, {
        timezone: deps.timezone,
        incidentUrl: incidentPageUrl(deps.publicUrl, incident.id),
        enrichment: enrichments[i]!,
      }),
      now,
    ),
  );
  const existing = await deps.postmortems.insertMany(drafts);
  for (const [i, incident] of incidents.entries()) {
    if (existing.has(incident.id)) left.add(incident.id);
    else await handOver(deps, incident, drafts[i]!, enrichments[i]!);
  }
  return left;
}

/** What follows a draft of the incident's latest resolution: its Datadog enrichment, then ops are told. */
async function handOver(
  deps: DraftDeps,
  incident: Incident,
  postmortem: Postmortem,
  enrichment: IncidentEnrichment,
): Promise<void> {
  if (deps.queueResolutionEnrichment !== undefined && incident.source === 'datadog')
    await deps.queueResolutionEnrichment({
      incidentId: incident.id,
      resolutionCount: incident.resolutionCount,
      monitorIds: datadogMonitorIds(incident.monitors),
    });
  await handToOps(deps, incident, postmortem, enrichmentStillPending(deps, incident, enrichment));
}

/**
 * The draft of a resolution the incident turned out never to have had, withdrawn when nobody has worked on it
 * (no section written, no action item); 'lost_race' when it changed meanwhile.
 */
async function withdrawUntouchedDraft(deps: DraftDeps, incident: Incident): Promise<boolean | 'lost_race'> {
  const existing = await deps.postmortems.find(incident.id);
  if (existing === null || !isWithdrawable(existing, incident)) return false;
  if ((await deps.actionItems.listForIncident(incident.id)).length > 0) return false;
  return (await deps.postmortems.withdraw(existing)) ? true : 'lost_race';
}

/** What Datadog enrichment the draft still waits for; null when enrichment is off or not a Datadog incident. */
function enrichmentStillPending(
  deps: DraftDeps,
  incident: Incident,
  enrichment: IncidentEnrichment,
): string[] | null {
  const { resolvedAt } = incident;
  if (deps.queueResolutionEnrichment === undefined || incident.source !== 'datadog' || resolvedAt === null)
    return null;
  return pendingEnrichment(enrichment, {
    monitorIds: incident.monitors.map((m) => m.id),
    resolutionCount: incident.resolutionCount,
    detectedAt: incident.detectedAt,
    resolvedAt,
    timezone: deps.timezone,
  });
}

async function handToOps(
  deps: DraftDeps,
  incident: Incident,
  postmortem: Postmortem,
  enrichmentPending: readonly string[] | null,
): Promise<void> {
  const url = incidentPageUrl(deps.publicUrl, incident.id);
  const revision = incident.resolutionCount;
  if (deps.subscribed('incident.resolved')) {
    await deps.notify(
      {
        event: 'incident.resolved',
        subjectId: incident.id,
        title: `Resolved: ${incident.title}`,
        text: `${incident.title} resolved after ${formatDuration(incident.durationSeconds ?? 0)}.`,
        url,
        data: { incident: presentIncident(incident, deps.publicUrl) },
      },
      revision,
    );
  }
  if (!deps.subscribed('postmortem.drafted')) return;
  const items = await deps.actionItems.listForIncident(incident.id);
  const markdown = renderPostmortemMarkdown(postmortem, items);
  await deps.notify(
    {
      event: 'postmortem.drafted',
      subjectId: incident.id,
      title: `Postmortem draft: ${incident.title}`,
      text: [
        postmortem.facts.issueSummary,
        'The draft is ready for root cause, impact, lessons and action items.',
        ...[pendingEnrichmentSentence(enrichmentPending ?? [])].filter((line) => line !== null),
      ].join('\n'),
      url: postmortemPageUrl(deps.publicUrl, incident.id),
      data: {
        incident: presentIncident(incident, deps.publicUrl),
        postmortem: presentPostmortemJson(postmortem, items),
        markdown,
        ...(enrichmentPending === null ? {} : { enrichmentPending: [...enrichmentPending] }),
      },
    },
    revision,
  );
}
