/**
 * In-memory versions of the use-cases' ports, for fast unit tests of the use-cases (no servers). Each keeps
 * its mongoose repository's contract (unique keys, version guards, sort orders, copies in and out), checked
 * in test/unit/memory-stores.test.ts; the integration tests keep checking the repositories themselves.
 *
 * Races: `store.beforeNext(write, hook)` runs another writer's work just before the store's next such write;
 * `store.loseNext(write, n)` makes the next n version-guarded writes find the version moved on.
 */
export { MemoryAlertLog, HELD_BATCH_LIMIT, TEST_NOTE } from './memory/alert-log';
export { MemoryDeliveryStore, MemoryNotificationQueue } from './memory/delivery-store';
export { INCIDENT_STATE_FIELDS, MemoryIncidentStore, objectId, objectIds } from './memory/incident-store';
export { MemoryActionItemStore, MemoryPostmortemStore } from './memory/postmortem-stores';
export { Races } from './memory/races';

/** A clock that always says `iso`. */
export function fixedClock(iso: string): () => Date {
  return () => new Date(iso);
}
