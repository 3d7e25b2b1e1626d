import { trusted } from 'mongoose';
import type { ActionItem } from '../domain/postmortem';
import type { ActionItemQuery, ActionItemStore } from '../use-cases/ports';
import type { ActionItemDoc, ActionItemModel } from './action-item.model';
import { findInChunks } from './in-chunks';

const LIST_LIMIT = 500;

export class ActionItemRepository implements ActionItemStore {
  constructor(private readonly items: ActionItemModel) {}

  async listForIncident(incidentId: string): Promise<ActionItem[]> {
    const docs = await this.items
      .find({ incidentId })
      .sort({ createdAt: 1 })
      .limit(LIST_LIMIT)
      .lean<ActionItemDoc[]>();
    return docs.map(toActionItem);
  }

  async listForIncidents(incidentIds: readonly string[]): Promise<ActionItem[]> {
    const docs = await findInChunks(incidentIds, (chunk) => {
      const plan = itemsOfIncidentsPlan(chunk);
      return this.items.find(plan.filter).sort(plan.sort).lean<ActionItemDoc[]>();
    });
    return docs.map(toActionItem);
  }

  async find(incidentId: string, id: string): Promise<ActionItem | null> {
    const doc = await this.items.findOne({ _id: id, incidentId }).lean<ActionItemDoc>();
    return doc ? toActionItem(doc) : null;
  }

  async insert(item: ActionItem): Promise<void> {
    await this.items.create({ ...toDoc(item), _id: item.id });
  }

  async saveChange(next: ActionItem): Promise<boolean> {
    const result = await this.items.updateOne(
      { _id: next.id, incidentId: next.incidentId, version: next.version - 1 },
      { $set: toDoc(next) },
    );
    return result.matchedCount === 1;
  }

  async delete(item: ActionItem): Promise<boolean> {
    const result = await this.items.deleteOne({
      _id: item.id,
      incidentId: item.incidentId,
      version: item.version,
    });
    return result.deletedCount === 1;
  }

  async list(query: ActionItemQuery): Promise<ActionItem[]> {
    const plan = actionItemListPlan(query);
    const docs = await this.items.find(plan.filter).sort(plan.sort).limit(LIST_LIMIT).lean<ActionItemDoc[]>();
    return docs.map(toActionItem);
  }
}

/** The filter and sort of the cross-incident listing; exported so a test can check an index serves it. */
export function actionItemListPlan(query: ActionItemQuery): {
  filter: Record<string, unknown>;
  sort: Record<string, 1 | -1>;
} {
  const filter: Record<string, unknown> = {};
  if (query.status !== undefined) filter.status = query.status;
  // Deadlines are `YYYY-MM-DD` strings, so string order is date order; null sorts first and is excluded.
  if (query.overdueBefore !== undefined) filter.deadline = trusted({ $lt: query.overdueBefore, $ne: null });
  return { filter, sort: { deadline: 1, _id: 1 } };
}

/** The filter and sort of listForIncidents (one chunk of ids); exported so a test can check an index serves it. */
export function itemsOfIncidentsPlan(incidentIds: readonly string[]): {
  filter: Record<string, unknown>;
  sort: Record<string, 1 | -1>;
} {
  return { filter: { incidentId: trusted({ $in: incidentIds }) }, sort: { incidentId: 1, createdAt: 1 } };
}

function toDoc(item: ActionItem): Omit<ActionItemDoc, '_id'> {
  return {
    incidentId: item.incidentId,
    task: item.task,
    owner: item.owner,
    deadline: item.deadline,
    status: item.status,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    completedAt: item.completedAt,
    version: item.version,
  };
}

function toActionItem(doc: ActionItemDoc): ActionItem {
  return {
    id: doc._id,
    incidentId: doc.incidentId,
    task: doc.task,
    owner: doc.owner,
    deadline: doc.deadline,
    status: doc.status,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    completedAt: doc.completedAt,
    version: doc.version,
  };
}
