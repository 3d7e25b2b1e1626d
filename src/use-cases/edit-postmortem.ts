/** On-call complete the draft: edit sections and status, manage action items. Every edit names its version. */
import { randomUUID } from 'node:crypto';
import type { ActionItem, Postmortem, PostmortemStatus } from '../domain/postmortem';
import {
  editActionItem,
  editPostmortem,
  type ActionItemPatch,
  type SectionsPatch,
} from '../domain/postmortem-editing';
import { missingForPublication } from '../domain/postmortem-draft';
import { NotFoundError, UnprocessableError, VersionConflictError } from '../errors';
import type { ActionItemStore, EnrichmentStore, IncidentStore, PostmortemStore } from './ports';

export interface EditDeps {
  incidents: IncidentStore;
  postmortems: PostmortemStore;
  actionItems: ActionItemStore;
  now: () => Date;
  /** What Datadog added (the notebook a published postmortem went to is shown with it). */
  enrichments?: Pick<EnrichmentStore, 'find'>;
  /**
   * Called before a publication is saved (DD_EXPORT_NOTEBOOKS queues the notebook export with it; the job waits
   * for the version to be saved): when it fails, nothing is saved and the request fails.
   */
  beforePublish?: (publication: { incidentId: string; version: number }) => Promise<void>;
}

export async function loadPostmortem(deps: EditDeps, incidentId: string): Promise<Postmortem> {
  const postmortem = await deps.postmortems.find(incidentId);
  if (postmortem === null) throw new NotFoundError('postmortem (it is drafted when the incident resolves)');
  return postmortem;
}

export async function updatePostmortem(
  deps: EditDeps,
  incidentId: string,
  expectedVersion: number,
  edit: { status?: PostmortemStatus; sections?: SectionsPatch; by?: string },
): Promise<Postmortem> {
  const postmortem = await loadPostmortem(deps, incidentId);
  if (postmortem.version !== expectedVersion)
    throw new VersionConflictError('the postmortem', postmortem.version);
  const items = await deps.actionItems.listForIncident(incidentId);
  const result = editPostmortem(
    postmortem,
    edit,
    (candidate) => missingForPublication(candidate, items),
    deps.now(),
  );
  if ('missing' in result) {
    throw new UnprocessableError('not_publishable', `cannot publish yet: ${result.missing.join('; ')}`, {
      missing: result.missing,
    });
  }
  if (result.next.status === 'published' && postmortem.status !== 'published' && deps.beforePublish)
    await deps.beforePublish({ incidentId, version: result.next.version });
  if (!(await deps.postmortems.saveChange(result.next))) {
    const current = await loadPostmortem(deps, incidentId);
    throw new VersionConflictError('the postmortem', current.version);
  }
  return result.next;
}

export async function createActionItem(
  deps: EditDeps,
  incidentId: string,
  fields: { task: string; owner?: string | null; deadline?: string | null },
): Promise<ActionItem> {
  if ((await deps.incidents.findById(incidentId)) === null) throw new NotFoundError('incident');
  const now = deps.now();
  const item: ActionItem = {
    id: randomUUID(),
    incidentId,
    task: fields.task,
    owner: fields.owner ?? null,
    deadline: fields.deadline ?? null,
    status: 'open',
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    version: 1,
  };
  await deps.actionItems.insert(item);
  return item;
}

async function loadItem(deps: EditDeps, incidentId: string, itemId: string, expectedVersion?: number) {
  const item = await deps.actionItems.find(incidentId, itemId);
  if (item === null) throw new NotFoundError('action item');
  if (expectedVersion !== undefined && item.version !== expectedVersion) {
    throw new VersionConflictError('the action item', item.version);
  }
  return item;
}

export async function updateActionItem(
  deps: EditDeps,
  incidentId: string,
  itemId: string,
  expectedVersion: number | undefined,
  patch: ActionItemPatch,
): Promise<ActionItem> {
  const item = await loadItem(deps, incidentId, itemId, expectedVersion);
  const next = editActionItem(item, patch, deps.now());
  if (!(await deps.actionItems.saveChange(next))) {
    throw new VersionConflictError('the action item', (await loadItem(deps, incidentId, itemId)).version);
  }
  return next;
}

export async function deleteActionItem(
  deps: EditDeps,
  incidentId: string,
  itemId: string,
  expectedVersion: number | undefined,
): Promise<void> {
  const item = await loadItem(deps, incidentId, itemId, expectedVersion);
  if (!(await deps.actionItems.delete(item))) {
    throw new VersionConflictError('the action item', (await loadItem(deps, incidentId, itemId)).version);
  }
}
