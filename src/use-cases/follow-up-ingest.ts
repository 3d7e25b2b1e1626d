/**
 * What an ingested alert sets off: the postmortem draft when its incident is resolved, and the "incident
 * opened" message when it opened or reopened one. The draft is keyed by the incident's resolution count and
 * version, so a retried alert job queues nothing twice, while a late alert that changes a resolved incident
 * (an acknowledgement, an earlier trigger: the monitor's times decide, not arrival) has its draft redrawn. The
 * message is keyed by the resolution count alone: a correction is not news to ops.
 */
import type { Incident } from '../domain/incident';
import type { NotificationMessage } from '../domain/notification-messages';
import { incidentPageUrl, presentIncident } from '../presenters/incident.presenter';
import type { EnrichMonitorJob, PostmortemDraftJob } from '../queue/jobs';
import { datadogMonitorIds } from '../domain/enrichment';
import type { IngestOutcome } from './ingest-alert';

export interface FollowUpDeps {
  publicUrl: string;
  queueDraft: (job: PostmortemDraftJob) => Promise<void>;
  notify: (message: NotificationMessage, revision: number) => Promise<unknown>;
  /** Datadog enrichment of a Datadog incident's monitors, when DD_API_KEY and DD_APP_KEY are set. */
  queueMonitorEnrichment?: (job: EnrichMonitorJob) => Promise<void>;
}

export async function followUpIngest(deps: FollowUpDeps, outcome: IngestOutcome): Promise<void> {
  if (outcome.kind !== 'applied' && outcome.kind !== 'duplicate') return;
  const { incidentId, after } = outcome;
  if (incidentId === null || after === null) return;
  if (after.status === 'resolved' && after.resolutionCount > 0) {
    await deps.queueDraft({
      incidentId,
      resolutionCount: after.resolutionCount,
      incidentVersion: after.version,
    });
  }
  // A late alert showed the incident never resolved (its resolution count went back): the draft job withdraws
  // a draft made for that resolution if nobody has worked on it.
  const unresolved = outcome.kind === 'applied' ? (outcome.before?.resolutionCount ?? 0) : 0;
  if (after.resolutionCount < unresolved) {
    await deps.queueDraft({ incidentId, resolutionCount: unresolved, incidentVersion: after.version });
  }
  if (outcome.kind !== 'applied') return;
  const { incident } = outcome;
  const opened = after.status === 'open' && outcome.before?.status !== 'open';
  // A new incident is described even when it resolved in the same write (its recovery was held before it).
  if (
    (opened || outcome.opened) &&
    deps.queueMonitorEnrichment !== undefined &&
    incident.source === 'datadog'
  ) {
    for (const monitorId of datadogMonitorIds(incident.monitors))
      await deps.queueMonitorEnrichment({ incidentId, monitorId });
  }
  if (!opened) return;
  const reopened = outcome.before !== null;
  await deps.notify(
    {
      event: 'incident.opened',
      subjectId: incident.id,
      title: `${reopened ? 'Reopened' : 'Opened'}: ${incident.title}`,
      text: `${incident.title}${incident.severity ? ` (${incident.severity})` : ''} is alerting${
        incident.services.length > 0 ? ` on ${incident.services.join(', ')}` : ''
      }.`,
      url: incidentPageUrl(deps.publicUrl, incident.id),
      data: { incident: presentIncident(incident, deps.publicUrl) },
    },
    after.resolutionCount,
  );
}

/** A draft a batch's follow-ups asked for, and the incident as the batch left it (null when it did not say). */
export interface AskedDraft {
  job: PostmortemDraftJob;
  incident: Incident | null;
}

export interface DraftSettlingDeps {
  queueDraft: (job: PostmortemDraftJob) => Promise<void>;
  /** Writes the first drafts of these resolved incidents; answers the ids it left to their draft jobs. */
  draftFirst: (incidents: Incident[]) => Promise<Set<string>>;
}

/**
 * The drafts a batch asked for: each one that is the draft of the incident's state as the batch left it is
 * written at once, all of them together (draftFirstPostmortems: one insert for a storm's drafts, not a job and
 * four commands each); a draft job for an older state of the same incident is then covered by it. Everything
 * else, and what the quick way leaves (a postmortem existed) or fails on, is queued as a draft job as before,
 * to be read and decided alone. Answers the drafts that could be neither written nor queued.
 */
export async function settleDrafts<T extends AskedDraft>(
  deps: DraftSettlingDeps,
  asked: readonly T[],
): Promise<{ draft: T; error: unknown }[]> {
  const latest = new Map<string, Incident>();
  for (const { incident } of asked)
    if (incident !== null && (latest.get(incident.id)?.version ?? -1) < incident.version)
      latest.set(incident.id, incident);
  const draftsState = ({ job }: T) => {
    const incident = latest.get(job.incidentId);
    return (
      incident !== undefined &&
      incident.status === 'resolved' &&
      incident.resolutionCount === job.resolutionCount &&
      incident.version === job.incidentVersion
    );
  };
  const now = [
    ...new Map(asked.filter(draftsState).map((a) => [a.job.incidentId, latest.get(a.job.incidentId)!])),
  ];
  const covered = new Set(now.map(([id]) => id));
  let left: Set<string>;
  try {
    left = now.length === 0 ? new Set() : await deps.draftFirst(now.map(([, incident]) => incident));
  } catch {
    // Nothing is lost: each is queued and drafted alone (a draft written meanwhile is then found there).
    left = covered;
  }
  const queued = asked.filter(
    (a) => !covered.has(a.job.incidentId) || (left.has(a.job.incidentId) && draftsState(a)),
  );
  const unqueued: { draft: T; error: unknown }[] = [];
  for (const draft of queued)
    await deps.queueDraft(draft.job).catch((error: unknown) => unqueued.push({ draft, error }));
  return unqueued;
}
