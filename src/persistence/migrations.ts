/**
 * Changes to what is stored, made once, by whichever processes start first. Each is idempotent, so processes
 * that start together may all run it; the first to finish records it done, and later starts skip it.
 * They work on the collections themselves, below the models, because they handle fields the models no longer
 * write.
 */
import type { Connection } from 'mongoose';
import { insertOrKnown } from './connection';
import { filedEventDocument } from './incident-event.model';
import type { StoredEvent } from './incident.model';

interface MigrationDoc {
  _id: string;
  doneAt: Date;
}

/** Incidents moved per round: their events are one insert. */
const ROUND = 100;

/**
 * Incidents written before their events were kept apart hold them all in `events`, and a `timeline` that is
 * now derived when read. This files those events in incident_events and removes both fields. Reads take the
 * events from either place meanwhile, so nothing waits for it, and a change made meanwhile is not undone:
 * a change pushes to `pendingEvents`, never to `events`, and removes `events` itself only once it filed them.
 */
export async function fileOlderIncidentEvents(connection: Connection): Promise<{ incidents: number }> {
  const incidents = connection.collection<{ events?: StoredEvent[] }>('incidents');
  const filed = connection.collection('incident_events');
  let moved = 0;
  for (;;) {
    const round = await incidents
      .find({ events: { $exists: true } }, { projection: { events: 1 } })
      .limit(ROUND)
      .toArray();
    if (round.length === 0) return { incidents: moved };
    const events = round.flatMap((doc) =>
      (doc.events ?? []).map((event) => filedEventDocument(doc._id.toHexString(), event)),
    );
    // Filed first: an incident whose events are in neither place would have lost them.
    await insertOrKnown(filed, uniqueById(events), 'incident events');
    await incidents.updateMany(
      { _id: { $in: round.map((doc) => doc._id) }, events: { $exists: true } },
      { $unset: { events: '', timeline: '' } },
    );
    moved += round.length;
  }
}

const MIGRATIONS: readonly { name: string; run: (connection: Connection) => Promise<unknown> }[] = [
  { name: 'incident-events-apart', run: fileOlderIncidentEvents },
];

/** Runs the migrations not recorded as done; answers the names of those it ran. */
export async function migrate(connection: Connection): Promise<string[]> {
  const done = connection.collection<MigrationDoc>('migrations');
  const ran: string[] = [];
  for (const migration of MIGRATIONS) {
    if ((await done.findOne({ _id: migration.name })) !== null) continue;
    await migration.run(connection);
    await done.updateOne({ _id: migration.name }, { $setOnInsert: { doneAt: new Date() } }, { upsert: true });
    ran.push(migration.name);
  }
  return ran;
}

function uniqueById<T extends { _id: string }>(docs: readonly T[]): T[] {
  const seen = new Set<string>();
  return docs.filter((doc) => !seen.has(doc._id) && seen.add(doc._id));
}
