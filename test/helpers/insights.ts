/**
 * Incidents for Insights tests, grown with the domain's own builders: a trigger at `detectedAt`, a recovery at
 * `resolvedAt` when resolved, each received `lagSeconds` after the monitor's time, and an acknowledgement.
 */
import type { Incident } from '../../src/domain/incident';
import { computeInsights, type InsightsInput } from '../../src/domain/insights';
import {
  EMPTY_SECTIONS,
  type ActionItem,
  type Postmortem,
  type PostmortemStatus,
} from '../../src/domain/postmortem';
import { draftPostmortemFacts } from '../../src/domain/postmortem-draft';
import { makeAlert } from './alerts';
import { incidentFrom } from './postmortems';

export interface IncidentSeed {
  id: string;
  detectedAt: string;
  resolvedAt?: string;
  services?: string[];
  source?: string;
  /** Seconds from the monitor's time to the receipt of each of its notifications (default 2.5). */
  lagSeconds?: number;
  acknowledgedAt?: string;
}

const later = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

export function seededIncident(seed: IncidentSeed): Incident {
  const groupKey = `${seed.source ?? 'datadog'}:monitor:${seed.id}`;
  const lag = seed.lagSeconds ?? 2.5;
  const alert = (transition: 'triggered' | 'recovered', at: string) => ({
    alert: makeAlert({
      transition,
      at,
      groupKey,
      source: seed.source ?? 'datadog',
      services: seed.services ?? ['web'],
    }),
    receivedAt: later(at, lag),
  });
  const deliveries = [alert('triggered', seed.detectedAt)];
  if (seed.resolvedAt !== undefined) deliveries.push(alert('recovered', seed.resolvedAt));
  const acks =
    seed.acknowledgedAt === undefined
      ? []
      : [{ by: 'alice', at: new Date(seed.acknowledgedAt), receivedAt: new Date(seed.acknowledgedAt) }];
  return incidentFrom(seed.id, deliveries, { acks });
}

/** The postmortem of a resolved incident, drafted by the domain, in that status. */
export function postmortemOf(incident: Incident, status: PostmortemStatus): Postmortem {
  const at = incident.resolvedAt ?? new Date('2026-06-20T00:00:00Z');
  return {
    incidentId: incident.id,
    status,
    facts: draftPostmortemFacts(incident, {
      timezone: 'UTC',
      incidentUrl: `https://hindsight.example.com/api/incidents/${incident.id}`,
    }),
    sections: EMPTY_SECTIONS,
    version: 1,
    draftedAt: at,
    updatedAt: at,
    publishedAt: status === 'published' ? at : null,
  };
}

let itemCounter = 0;

export function itemOf(
  incidentId: string,
  fields: Partial<Pick<ActionItem, 'status' | 'deadline' | 'createdAt'>> = {},
): ActionItem {
  itemCounter += 1;
  const createdAt = fields.createdAt ?? new Date('2026-06-20T00:00:00Z');
  return {
    id: `item-${itemCounter}`,
    incidentId,
    task: `task ${itemCounter}`,
    owner: 'alice',
    deadline: fields.deadline ?? null,
    status: fields.status ?? 'open',
    createdAt,
    updatedAt: createdAt,
    completedAt: fields.status === 'done' ? createdAt : null,
    version: 1,
  };
}

/** June 2026 in UTC, the period of the pure tests. */
export const JUNE = { from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-07-01T00:00:00Z') };

let juneCounter = 0;

/**
 * An incident detected on 2026-06-10 (a second after the previous one, unless `detectedAt` says otherwise),
 * resolved `ttr` seconds after detection and acknowledged `ack` seconds after it, when given.
 */
export function juneIncident(fields: Partial<IncidentSeed> & { ttr?: number; ack?: number } = {}): Incident {
  juneCounter += 1;
  const detectedAt = fields.detectedAt ?? later('2026-06-10T08:00:00.000Z', juneCounter);
  return seededIncident({
    id: `inc-${juneCounter}`,
    detectedAt,
    ...(fields.ttr === undefined ? {} : { resolvedAt: later(detectedAt, fields.ttr) }),
    ...(fields.ack === undefined ? {} : { acknowledgedAt: later(detectedAt, fields.ack) }),
    ...fields,
  });
}

/** computeInsights over June in UTC on 2026-06-20, with no postmortems or items unless given. */
export function juneInsights(input: Partial<InsightsInput> & Pick<InsightsInput, 'incidents'>) {
  return computeInsights({
    postmortems: [],
    actionItems: [],
    period: JUNE,
    timezone: 'UTC',
    today: '2026-06-20',
    ...input,
  });
}
