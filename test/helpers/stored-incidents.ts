/**
 * Incidents as stored, read through the repository: whole, with the events kept apart from their documents
 * and the timeline those make. Tests that check what the database holds read it through here, not the raw
 * documents (which hold a summary and only the events not filed yet).
 */
import type { Connection } from 'mongoose';
import type { Incident } from '../../src/domain/incident';
import { createRepositories } from '../../src/persistence';
import type { ProjectionRules } from '../../src/domain/incident-projection';

/**
 * The incidents matching the filter (on the incidents collection's own fields), whole, in _id order; their
 * timelines derived with `rules` (by default the configuration's: only triggers open an incident).
 */
export async function storedIncidents(
  connection: Connection,
  filter: Record<string, unknown> = {},
  rules: ProjectionRules = { openingTransitions: new Set() },
): Promise<Incident[]> {
  const ids = await connection
    .collection('incidents')
    .find(filter, { projection: { _id: 1 } })
    .sort({ _id: 1 })
    .toArray();
  const { incidents } = createRepositories(connection, rules);
  const found = await Promise.all(ids.map((doc) => incidents.findById(doc._id.toHexString())));
  return found.filter((incident): incident is Incident => incident !== null);
}
