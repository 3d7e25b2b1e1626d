/** What people may change in a postmortem and its action items, decided without I/O. */
import type {
  ActionItem,
  ActionItemStatus,
  Postmortem,
  PostmortemSections,
  PostmortemStatus,
} from './postmortem';

/** A partial update of the sections: a field left out is kept, a field set to null is cleared. */
export interface SectionsPatch {
  usersImpacted?: string | null;
  incidentLead?: string | null;
  rootCause?: Partial<PostmortemSections['rootCause']>;
  impact?: Partial<PostmortemSections['impact']>;
  resolution?: string | null;
  lessons?: Partial<PostmortemSections['lessons']>;
  correctiveMeasures?: string | null;
}

export function applySectionsPatch(sections: PostmortemSections, patch: SectionsPatch): PostmortemSections {
  return {
    usersImpacted: pick(patch.usersImpacted, sections.usersImpacted),
    incidentLead: pick(patch.incidentLead, sections.incidentLead),
    rootCause: { ...sections.rootCause, ...definedOnly(patch.rootCause) },
    impact: { ...sections.impact, ...definedOnly(patch.impact) },
    resolution: pick(patch.resolution, sections.resolution),
    lessons: { ...sections.lessons, ...definedOnly(patch.lessons) },
    correctiveMeasures: pick(patch.correctiveMeasures, sections.correctiveMeasures),
  };
}

/**
 * The postmortem after an edit: sections patched, status moved. Returns the reasons it cannot be published
 * instead when the edit publishes an incomplete postmortem.
 */
export function editPostmortem(
  postmortem: Postmortem,
  edit: { status?: PostmortemStatus; sections?: SectionsPatch; by?: string },
  missingIfPublished: (candidate: Postmortem) => string[],
  now: Date,
): { next: Postmortem } | { missing: string[] } {
  const status = edit.status ?? postmortem.status;
  const publishes = status === 'published' && postmortem.status !== 'published';
  const candidate: Postmortem = {
    ...postmortem,
    sections: edit.sections ? applySectionsPatch(postmortem.sections, edit.sections) : postmortem.sections,
    status,
    version: postmortem.version + 1,
    updatedAt: now,
    publishedAt: status === 'published' ? (postmortem.publishedAt ?? now) : null,
    // Undefined, not null, where no person is named (an API edit), so the domain value stays as it was read.
    updatedBy: edit.by,
    publishedBy: status !== 'published' ? undefined : publishes ? edit.by : postmortem.publishedBy,
  };
  if (status === 'published') {
    const missing = missingIfPublished(candidate);
    if (missing.length > 0) return { missing };
  }
  return { next: candidate };
}

export interface ActionItemPatch {
  task?: string;
  owner?: string | null;
  deadline?: string | null;
  status?: ActionItemStatus;
}

export function editActionItem(item: ActionItem, patch: ActionItemPatch, now: Date): ActionItem {
  const status = patch.status ?? item.status;
  return {
    ...item,
    task: patch.task ?? item.task,
    owner: pick(patch.owner, item.owner),
    deadline: pick(patch.deadline, item.deadline),
    status,
    completedAt: status === 'done' ? (item.completedAt ?? now) : null,
    updatedAt: now,
    version: item.version + 1,
  };
}

/** True when an open item's deadline (a `YYYY-MM-DD` date) is before `today`. */
export function isOverdue(item: Pick<ActionItem, 'status' | 'deadline'>, today: string): boolean {
  return item.status === 'open' && item.deadline !== null && item.deadline < today;
}

function pick<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function definedOnly<T extends object>(patch: T | undefined): Partial<T> {
  if (patch === undefined) return {};
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
