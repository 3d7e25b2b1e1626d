/**
 * PostmortemStore and ActionItemStore in memory, with the contracts of their repositories: one postmortem per
 * incident (its _id), an action item found only under its own incident, and every change version-guarded.
 */
import type { ActionItem, Postmortem } from '../../../src/domain/postmortem';
import type {
  ActionItemQuery,
  ActionItemStore,
  PostmortemStatusOf,
  PostmortemStore,
} from '../../../src/use-cases/ports';
import { copy, Races } from './races';

export const ACTION_ITEM_LIST_LIMIT = 500;

export class MemoryPostmortemStore
  extends Races<'insert' | 'saveChange', 'saveChange'>
  implements PostmortemStore
{
  private readonly docs = new Map<string, Postmortem>();
  lostWrites = 0;

  async find(incidentId: string): Promise<Postmortem | null> {
    const found = this.docs.get(incidentId);
    return found ? copy(found) : null;
  }

  async findStatuses(incidentIds: readonly string[]): Promise<PostmortemStatusOf[]> {
    return [...new Set(incidentIds)].flatMap((id) => {
      const found = this.docs.get(id);
      return found === undefined ? [] : [{ incidentId: found.incidentId, status: found.status }];
    });
  }

  async insert(postmortem: Postmortem): Promise<'inserted' | 'conflict'> {
    await this.enter('insert');
    if (this.docs.has(postmortem.incidentId)) {
      this.lostWrites += 1;
      return 'conflict';
    }
    this.docs.set(postmortem.incidentId, copy(postmortem));
    return 'inserted';
  }

  async insertMany(postmortems: readonly Postmortem[]): Promise<Set<string>> {
    const existing = new Set<string>();
    for (const postmortem of postmortems)
      if ((await this.insert(postmortem)) === 'conflict') existing.add(postmortem.incidentId);
    return existing;
  }

  async withdraw(postmortem: Postmortem): Promise<boolean> {
    if (this.docs.get(postmortem.incidentId)?.version !== postmortem.version) return false;
    this.docs.delete(postmortem.incidentId);
    return true;
  }

  async saveChange(next: Postmortem): Promise<boolean> {
    const lose = await this.enter('saveChange');
    const stored = this.docs.get(next.incidentId);
    if (lose && stored) this.docs.set(next.incidentId, { ...stored, version: stored.version + 1 });
    if (this.docs.get(next.incidentId)?.version !== next.version - 1) {
      this.lostWrites += 1;
      return false;
    }
    this.docs.set(next.incidentId, copy(next));
    return true;
  }
}

type ItemWrite = 'insert' | 'saveChange' | 'delete';

export class MemoryActionItemStore
  extends Races<ItemWrite, 'saveChange' | 'delete'>
  implements ActionItemStore
{
  /** In insertion order, which is the order the database returns equal sort keys in. */
  private readonly docs = new Map<string, ActionItem>();
  lostWrites = 0;

  async listForIncident(incidentId: string): Promise<ActionItem[]> {
    return [...this.docs.values()]
      .filter((i) => i.incidentId === incidentId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, ACTION_ITEM_LIST_LIMIT)
      .map((i) => copy(i));
  }

  /** By incident id, then by creation (insertion order among equal times, as the database returns them). */
  async listForIncidents(incidentIds: readonly string[]): Promise<ActionItem[]> {
    const wanted = new Set(incidentIds);
    return [...this.docs.values()]
      .filter((i) => wanted.has(i.incidentId))
      .sort(
        (a, b) =>
          (a.incidentId < b.incidentId ? -1 : a.incidentId > b.incidentId ? 1 : 0) ||
          a.createdAt.getTime() - b.createdAt.getTime(),
      )
      .map((i) => copy(i));
  }

  async find(incidentId: string, id: string): Promise<ActionItem | null> {
    const found = this.docs.get(id);
    return found?.incidentId === incidentId ? copy(found) : null;
  }

  /** Like create(): a second item with the same id is a duplicate-key error. */
  async insert(item: ActionItem): Promise<void> {
    await this.enter('insert');
    if (this.docs.has(item.id))
      throw Object.assign(new Error(`E11000 duplicate key ${item.id}`), { code: 11000 });
    this.docs.set(item.id, copy(item));
  }

  async saveChange(next: ActionItem): Promise<boolean> {
    if (!(await this.guard('saveChange', next, next.version - 1))) return false;
    this.docs.set(next.id, copy(next));
    return true;
  }

  async delete(item: ActionItem): Promise<boolean> {
    if (!(await this.guard('delete', item, item.version))) return false;
    this.docs.delete(item.id);
    return true;
  }

  /** Deadline first (no deadline sorts first, as null does in MongoDB), then id. */
  async list(query: ActionItemQuery): Promise<ActionItem[]> {
    const { status, overdueBefore } = query;
    return [...this.docs.values()]
      .filter((i) => status === undefined || i.status === status)
      .filter((i) => overdueBefore === undefined || (i.deadline !== null && i.deadline < overdueBefore))
      .sort((a, b) => compareDeadlines(a.deadline, b.deadline) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, ACTION_ITEM_LIST_LIMIT)
      .map((i) => copy(i));
  }

  /** Whether the stored item (under the same incident) is at `version`, after any race set up for this write. */
  private async guard(write: 'saveChange' | 'delete', item: ActionItem, version: number): Promise<boolean> {
    const lose = await this.enter(write);
    const stored = this.docs.get(item.id);
    if (lose && stored) this.docs.set(item.id, { ...stored, version: stored.version + 1 });
    const current = this.docs.get(item.id);
    if (current?.incidentId === item.incidentId && current.version === version) return true;
    this.lostWrites += 1;
    return false;
  }
}

function compareDeadlines(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
