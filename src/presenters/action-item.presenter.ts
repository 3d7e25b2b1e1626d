import type { ActionItem } from '../domain/postmortem';

export function presentActionItem(item: ActionItem) {
  return {
    id: item.id,
    incidentId: item.incidentId,
    task: item.task,
    owner: item.owner,
    deadline: item.deadline,
    status: item.status,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
    completedAt: item.completedAt?.toISOString() ?? null,
    version: item.version,
  };
}
