/** People's notes and acknowledgements: written on the incident, and shown in its postmortem draft. */
import { randomUUID } from 'node:crypto';
import type { Incident } from '../domain/incident';
import { acknowledge, addNote } from '../domain/incident-building';
import { draftPostmortemFacts } from '../domain/postmortem-draft';
import { InvalidStateError, NotFoundError } from '../errors';
import { incidentPageUrl } from '../presenters/incident.presenter';
import type { EnrichmentStore, IncidentStore, PostmortemStore } from './ports';

export interface AnnotateDeps {
  incidents: IncidentStore;
  postmortems: PostmortemStore;
  /** What Datadog's API added to incidents: a redrawn draft keeps showing it. */
  enrichments: Pick<EnrichmentStore, 'find'>;
  timezone: string;
  publicUrl: string;
  now: () => Date;
}

const MAX_ROUNDS = 20;

/**
 * Notes one incident takes, at most: with each note up to 10,000 characters (the API's and the page's cap),
 * its document stays a few MB at most, far below what MongoDB can store. A longer story belongs in the
 * postmortem.
 */
export const INCIDENT_NOTE_LIMIT = 200;

async function changeIncident(
  deps: AnnotateDeps,
  incidentId: string,
  change: (incident: Incident, now: Date) => Incident,
): Promise<Incident> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const incident = await deps.incidents.findById(incidentId);
    if (incident === null) throw new NotFoundError('incident');
    const next = change(incident, deps.now());
    if (next === incident) return incident;
    if (await deps.incidents.saveChange(next, [])) {
      await refreshPostmortemFacts(deps, next);
      return next;
    }
  }
  throw new Error(`incident ${incidentId}: too many concurrent changes`);
}

export function addIncidentNote(
  deps: AnnotateDeps,
  incidentId: string,
  note: { author: string; text: string; at?: Date },
): Promise<Incident> {
  const id = randomUUID();
  return changeIncident(deps, incidentId, (incident, now) => {
    if (incident.notes.length >= INCIDENT_NOTE_LIMIT)
      throw new InvalidStateError(
        `the incident has ${INCIDENT_NOTE_LIMIT} notes, as many as it takes; write the rest in its postmortem`,
      );
    return addNote(
      incident,
      { id, author: note.author, text: note.text, at: note.at ?? now, receivedAt: now },
      now,
    );
  });
}

export function acknowledgeIncident(
  deps: AnnotateDeps,
  incidentId: string,
  by: string,
  at?: Date,
): Promise<Incident> {
  return changeIncident(deps, incidentId, (incident, now) =>
    acknowledge(incident, { by, at: at ?? now, receivedAt: now }, now),
  );
}

/** A drafted postmortem shows the incident as it is now: its facts are redrawn, what people wrote is kept. */
async function refreshPostmortemFacts(deps: AnnotateDeps, incident: Incident): Promise<void> {
  if (incident.status !== 'resolved') return;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const postmortem = await deps.postmortems.find(incident.id);
    if (postmortem === null || postmortem.facts.resolutionCount > incident.resolutionCount) return;
    const facts = draftPostmortemFacts(incident, {
      timezone: deps.timezone,
      incidentUrl: incidentPageUrl(deps.publicUrl, incident.id),
      enrichment: await deps.enrichments.find(incident.id),
    });
    const next = { ...postmortem, facts, version: postmortem.version + 1, updatedAt: deps.now() };
    if (await deps.postmortems.saveChange(next)) return;
  }
}
