/**
 * The postmortem of an incident: facts Hindsight pre-fills from the incident (redrawn whenever the incident
 * resolves again), and sections people write (never overwritten by a redraft).
 */
import type { ChangeFact, MetricFact } from './enrichment-facts';
import type { DetectionDetail } from './enrichment-monitor';
import type { MonitorRef, Severity } from './alert';
import type { TimelineKind } from './incident';

export const POSTMORTEM_STATUSES = ['draft', 'in_review', 'published'] as const;
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

/** What people write. Null means not written yet (the draft shows a prompt there). */
export interface PostmortemSections {
  usersImpacted: string | null;
  incidentLead: string | null;
  rootCause: { technical: string | null; human: string | null; process: string | null };
  impact: { users: string | null; business: string | null; systems: string | null };
  resolution: string | null;
  lessons: { wentWell: string | null; wentWrong: string | null };
  correctiveMeasures: string | null;
}

export const EMPTY_SECTIONS: PostmortemSections = {
  usersImpacted: null,
  incidentLead: null,
  rootCause: { technical: null, human: null, process: null },
  impact: { users: null, business: null, systems: null },
  resolution: null,
  lessons: { wentWell: null, wentWrong: null },
  correctiveMeasures: null,
};

export const ACTION_ITEM_STATUSES = ['open', 'done'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

export interface ActionItem {
  id: string;
  incidentId: string;
  task: string;
  owner: string | null;
  /** A calendar date, `YYYY-MM-DD`. */
  deadline: string | null;
  status: ActionItemStatus;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  version: number;
}

export interface PostmortemTimelineEntry {
  at: Date;
  receivedAt: Date;
  /** The incident's entry kinds, and `change`: a change shortly before detection (Datadog enrichment). */
  kind: TimelineKind | 'change';
  text: string;
  /** Seconds between the monitor's time and Hindsight's receipt, when large enough to mention. */
  deliveryLagSeconds: number | null;
}

/** Pre-filled from the incident; redrawn from it when the incident resolves again. */
export interface PostmortemFacts {
  incidentId: string;
  title: string;
  severity: Severity | null;
  services: string[];
  hosts: string[];
  monitors: MonitorRef[];
  source: string;
  /** How it was detected, e.g. "Datadog monitor “High error rate on web”". */
  detection: string;
  /** What Datadog's API said of the monitors (Datadog enrichment), when it did: the Detection line then says it. */
  detectionDetails?: DetectionDetail[];
  /** The metric of each Datadog metric monitor over the incident (Datadog enrichment): the Impact part's figures. */
  metrics?: MetricFact[];
  /** The changes to the affected services shortly before detection, newest first (Datadog enrichment). */
  changes?: ChangeFact[];
  detectedAt: Date;
  resolvedAt: Date;
  durationSeconds: number;
  /** The IANA zone the human-facing times are written in. */
  timezone: string;
  /** "From 18:26 to 19:58 WAT (1 h 32 min), ... affecting ... (2 hosts)." */
  issueSummary: string;
  timeline: PostmortemTimelineEntry[];
  /** Entries of a long incident's timeline the postmortem leaves out (POSTMORTEM_TIMELINE_LIMIT); absent if none. */
  timelineOmitted?: number;
  figures: {
    /** Null where the monitor does not say when the problem began. */
    timeToDetectSeconds: number | null;
    timeToAcknowledgeSeconds: number | null;
    timeToRecoverSeconds: number;
  };
  /** The incident's resolutionCount this draft was made for. */
  resolutionCount: number;
  incidentUrl: string;
}

export interface Postmortem {
  incidentId: string;
  status: PostmortemStatus;
  facts: PostmortemFacts;
  sections: PostmortemSections;
  /** Incremented on every change; PATCH must name it (If-Match or `version`). */
  version: number;
  draftedAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  /** Who last changed what people write or the status (a signed-in person's name), when a person did. */
  updatedBy?: string | null;
  /** Who published it. */
  publishedBy?: string | null;
}
