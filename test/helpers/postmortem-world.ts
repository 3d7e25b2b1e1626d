/**
 * The postmortem use-cases over in-memory ports: incidents grown by ingestAlert (a fixed clock, ObjectIds
 * 1, 2, ...), postmortems, action items, and the messages handed to notify.
 */
import type { Incident } from '../../src/domain/incident';
import {
  NOTIFICATION_EVENTS,
  type NotificationEvent,
  type NotificationMessage,
} from '../../src/domain/notification-messages';
import type { AnnotateDeps } from '../../src/use-cases/annotate-incident';
import type { DraftDeps } from '../../src/use-cases/draft-postmortem';
import type { EditDeps } from '../../src/use-cases/edit-postmortem';
import { at, makeAlert } from './alerts';
import { ingestWorld, type IngestWorld } from './ingest-world';
import { MemoryEnrichmentStore } from './memory/enrichment-store';
import { fixedClock, MemoryActionItemStore, MemoryPostmortemStore, objectId } from './memory-stores';

export const PUBLIC_URL = 'https://hindsight.example.com';
export const TIMEZONE = 'UTC';
/** When the postmortem use-cases run: after the incidents' alerts. */
export const LATER = '2026-06-14T13:00:00.000Z';
export const INCIDENT_ID = objectId(1);
export const INCIDENT_URL = `${PUBLIC_URL}/incidents/${INCIDENT_ID}`;

export interface PostmortemWorld extends IngestWorld {
  postmortems: MemoryPostmortemStore;
  actionItems: MemoryActionItemStore;
  /** What Datadog's API added to incidents (empty unless a test adds to it). */
  enrichments: MemoryEnrichmentStore;
  /** What was handed to notify, in order. */
  messages: { message: NotificationMessage; revision: number }[];
  /** The events some target takes; all of them unless a test removes some. */
  subscribed: Set<NotificationEvent>;
  draftDeps: DraftDeps;
  editDeps: EditDeps;
  annotateDeps: AnnotateDeps;
  /** Incident 1 of the default group: web-1 fires at 10:00 and recovers at 10:30. */
  resolvedIncident(): Promise<Incident>;
  /** Incident 1 fires again at 10:40 (within the reopen window) and recovers at 10:50. */
  resolveAgain(): Promise<Incident>;
}

export function postmortemWorld(): PostmortemWorld {
  const w = ingestWorld();
  const postmortems = new MemoryPostmortemStore();
  const actionItems = new MemoryActionItemStore();
  const messages: PostmortemWorld['messages'] = [];
  const subscribed = new Set<NotificationEvent>(NOTIFICATION_EVENTS);
  const now = fixedClock(LATER);
  const enrichments = new MemoryEnrichmentStore();
  const stores = { incidents: w.incidents, postmortems, actionItems, now };
  const grow = async (...alerts: [string, 'triggered' | 'recovered'][]) => {
    for (const [hhmm, transition] of alerts) await w.ingest(makeAlert({ transition, at: at(hhmm) }));
    return (await w.incidents.findById(INCIDENT_ID))!;
  };
  return {
    ...w,
    postmortems,
    actionItems,
    messages,
    subscribed,
    enrichments,
    draftDeps: {
      ...stores,
      enrichments,
      timezone: TIMEZONE,
      publicUrl: PUBLIC_URL,
      notify: async (message, revision) => {
        messages.push({ message, revision });
      },
      subscribed: (event) => subscribed.has(event),
    },
    editDeps: stores,
    annotateDeps: {
      incidents: w.incidents,
      postmortems,
      enrichments,
      timezone: TIMEZONE,
      publicUrl: PUBLIC_URL,
      now,
    },
    resolvedIncident: () => grow(['10:00', 'triggered'], ['10:30', 'recovered']),
    resolveAgain: () => grow(['10:40', 'triggered'], ['10:50', 'recovered']),
  };
}
