/** What people change in a postmortem and its action items: sections patched, statuses moved, versions counted. */
import type { ActionItem, Postmortem } from '../../src/domain/postmortem';
import {
  draftPostmortemFacts,
  MISSING_ACTION_ITEM,
  MISSING_ROOT_CAUSE,
  missingForPublication,
  redraftPostmortem,
} from '../../src/domain/postmortem-draft';
import { editActionItem, editPostmortem, isOverdue } from '../../src/domain/postmortem-editing';
import { FILLED_SECTIONS } from '../helpers/postmortem-sections';
import { actionItem, referenceIncident, REFERENCE_URL } from '../helpers/postmortems';

const DRAFTED_AT = '2019-06-28T19:00:00.000Z';
const EDITED_AT = '2019-07-02T10:00:00.000Z';
const PUBLISHED_AT = '2019-07-01T12:00:00.000Z';

/** The reference incident's postmortem, as drafted, then changed by `fields`. */
function postmortem(fields: Partial<Postmortem> = {}): Postmortem {
  const facts = draftPostmortemFacts(referenceIncident(), {
    timezone: 'Africa/Lagos',
    incidentUrl: REFERENCE_URL,
  });
  return { ...redraftPostmortem(null, facts, new Date(DRAFTED_AT)), ...fields };
}

const nothingMissing = () => [];
const rootCauseMissing = () => [MISSING_ROOT_CAUSE];

describe('editPostmortem: sections', () => {
  it('when a patch sets some fields, then they change and everything else people wrote is kept', () => {
    const before = postmortem({ sections: FILLED_SECTIONS, status: 'in_review', version: 3 });
    const result = editPostmortem(
      before,
      {
        sections: {
          resolution: 'Rolled the header change back at 19:15.',
          rootCause: { human: 'Released untested.' },
          lessons: { wentWell: undefined },
        },
      },
      nothingMissing,
      new Date(EDITED_AT),
    );
    expect(result).toEqual({
      next: {
        ...before,
        sections: {
          ...FILLED_SECTIONS,
          resolution: 'Rolled the header change back at 19:15.',
          rootCause: { ...FILLED_SECTIONS.rootCause, human: 'Released untested.' },
        },
        status: 'in_review',
        version: 4,
        updatedAt: new Date(EDITED_AT),
        publishedAt: null,
      },
    });
  });

  it('when a patch sets fields to null, then they are cleared and the others are kept', () => {
    const before = postmortem({ sections: FILLED_SECTIONS });
    const result = editPostmortem(
      before,
      { sections: { usersImpacted: null, impact: { business: null }, correctiveMeasures: null } },
      nothingMissing,
      new Date(EDITED_AT),
    );
    expect(result).toMatchObject({
      next: {
        sections: {
          ...FILLED_SECTIONS,
          usersImpacted: null,
          impact: { ...FILLED_SECTIONS.impact, business: null },
          correctiveMeasures: null,
        },
      },
    });
  });

  it('when an edit only moves the status, then the sections are unchanged and the version still moves on', () => {
    const before = postmortem({ sections: FILLED_SECTIONS, version: 7 });
    const result = editPostmortem(before, { status: 'in_review' }, nothingMissing, new Date(EDITED_AT));
    expect(result).toEqual({
      next: {
        ...before,
        status: 'in_review',
        version: 8,
        updatedAt: new Date(EDITED_AT),
        publishedAt: null,
      },
    });
  });
});

describe('editPostmortem: publication', () => {
  it('when a complete draft is published, then it is published now', () => {
    const result = editPostmortem(postmortem(), { status: 'published' }, nothingMissing, new Date(EDITED_AT));
    expect(result).toMatchObject({
      next: { status: 'published', publishedAt: new Date(EDITED_AT), version: 2 },
    });
  });

  it('when an incomplete draft is published, then the edit is refused with what is missing', () => {
    const result = editPostmortem(
      postmortem(),
      { status: 'published' },
      () => [MISSING_ROOT_CAUSE, MISSING_ACTION_ITEM],
      new Date(EDITED_AT),
    );
    expect(result).toEqual({ missing: [MISSING_ROOT_CAUSE, MISSING_ACTION_ITEM] });
  });

  it('when the publishing edit also writes the root cause, then the check sees the edited sections', () => {
    const items = [
      actionItem({ id: 'a1', task: 'Test header changes', owner: 'bob', deadline: '2019-07-15' }),
    ];
    const check = (candidate: Postmortem) => missingForPublication(candidate, items);
    const now = new Date(EDITED_AT);
    expect(editPostmortem(postmortem(), { status: 'published' }, check, now)).toEqual({
      missing: [MISSING_ROOT_CAUSE],
    });
    const result = editPostmortem(
      postmortem(),
      { status: 'published', sections: { rootCause: { technical: 'An invalid href in the header.' } } },
      check,
      now,
    );
    expect(result).toMatchObject({
      next: { status: 'published', sections: { rootCause: { technical: 'An invalid href in the header.' } } },
    });
  });

  it('when a draft is edited, then it is accepted even though it could not be published yet', () => {
    const before = postmortem();
    const result = editPostmortem(
      before,
      { sections: { incidentLead: 'alice' } },
      rootCauseMissing,
      new Date(EDITED_AT),
    );
    expect(result).toEqual({
      next: {
        ...before,
        sections: { ...before.sections, incidentLead: 'alice' },
        version: 2,
        updatedAt: new Date(EDITED_AT),
        publishedAt: null,
      },
    });
  });

  it('when a published postmortem is edited again, then it keeps the time it was first published', () => {
    const before = postmortem({
      sections: FILLED_SECTIONS,
      status: 'published',
      publishedAt: new Date(PUBLISHED_AT),
      version: 5,
    });
    const result = editPostmortem(
      before,
      { sections: { resolution: 'Rolled back, then restarted.' } },
      nothingMissing,
      new Date(EDITED_AT),
    );
    expect(result).toMatchObject({
      next: {
        status: 'published',
        publishedAt: new Date(PUBLISHED_AT),
        updatedAt: new Date(EDITED_AT),
        version: 6,
      },
    });
  });

  it('when a published postmortem goes back to review, then it is no longer published and needs no check', () => {
    const before = postmortem({ status: 'published', publishedAt: new Date(PUBLISHED_AT) });
    const result = editPostmortem(before, { status: 'in_review' }, rootCauseMissing, new Date(EDITED_AT));
    expect(result).toMatchObject({ next: { status: 'in_review', publishedAt: null } });
  });
});

describe('editActionItem', () => {
  const now = () => new Date(EDITED_AT);

  it('when the owner and deadline change, then the task is kept and the version moves on', () => {
    const item = actionItem({ id: 'a1', task: 'Monitor 404s', owner: 'bob', version: 2 });
    expect(editActionItem(item, { owner: 'alice', deadline: '2019-07-15' }, now())).toEqual<ActionItem>({
      ...item,
      owner: 'alice',
      deadline: '2019-07-15',
      updatedAt: now(),
      version: 3,
    });
  });

  it('when the owner and deadline are set to null, then they are cleared; left out, they are kept', () => {
    const item = actionItem({ id: 'a1', task: 'Monitor 404s', owner: 'bob', deadline: '2019-07-05' });
    expect(editActionItem(item, { owner: null, deadline: null }, now())).toMatchObject({
      task: 'Monitor 404s',
      owner: null,
      deadline: null,
    });
    expect(editActionItem(item, { task: 'Monitor every 404' }, now())).toMatchObject({
      task: 'Monitor every 404',
      owner: 'bob',
      deadline: '2019-07-05',
    });
  });

  it('when an open item is marked done, then it is completed now', () => {
    const item = actionItem({ id: 'a1', task: 'Monitor 404s' });
    expect(editActionItem(item, { status: 'done' }, now())).toEqual<ActionItem>({
      ...item,
      status: 'done',
      completedAt: now(),
      updatedAt: now(),
      version: 2,
    });
  });

  it('when a done item is edited again, then it keeps the time it was completed', () => {
    const completedAt = new Date('2019-07-04T16:00:00Z');
    const item = actionItem({ id: 'a1', task: 'Monitor 404s', status: 'done', completedAt });
    expect(editActionItem(item, { owner: 'bob' }, now())).toMatchObject({ status: 'done', completedAt });
  });

  it('when a done item is reopened, then it is no longer completed', () => {
    const item = actionItem({
      id: 'a1',
      task: 'Monitor 404s',
      status: 'done',
      completedAt: new Date('2019-07-04T16:00:00Z'),
    });
    expect(editActionItem(item, { status: 'open' }, now())).toMatchObject({
      status: 'open',
      completedAt: null,
    });
  });

  it('when an open item is edited, then it has no completion time', () => {
    const item = actionItem({ id: 'a1', task: 'Monitor 404s' });
    expect(editActionItem(item, { task: 'Monitor every 404' }, now()).completedAt).toBeNull();
  });
});

describe('isOverdue', () => {
  it.each([
    ['open', '2019-07-04', true],
    ['open', '2019-07-05', false],
    ['open', '2019-07-06', false],
    ['open', null, false],
    ['done', '2019-07-04', false],
    ['done', null, false],
  ] as const)(
    'when the item is %s with deadline %p on 2019-07-05, then overdue is %p',
    (status, deadline, expected) => {
      expect(isOverdue({ status, deadline }, '2019-07-05')).toBe(expected);
    },
  );
});

describe('editPostmortem: who', () => {
  const at = new Date(EDITED_AT);
  const next = (result: ReturnType<typeof editPostmortem>) => {
    if (!('next' in result)) throw new Error(`refused: ${result.missing.join('; ')}`);
    return result.next;
  };

  it('when a person edits, then they are the one who last changed it; an edit naming nobody forgets the name', () => {
    const edited = next(
      editPostmortem(postmortem(), { sections: { resolution: 'x' }, by: 'alice' }, nothingMissing, at),
    );
    expect(edited.updatedBy).toBe('alice');
    expect(edited.publishedBy).toBeUndefined();
    expect(
      next(editPostmortem(edited, { sections: { resolution: 'y' } }, nothingMissing, at)).updatedBy,
    ).toBeUndefined();
  });

  it('when a person publishes, then they are who published it, and later edits by others keep that', () => {
    const review = postmortem({ status: 'in_review', sections: FILLED_SECTIONS });
    const published = next(editPostmortem(review, { status: 'published', by: 'bob' }, nothingMissing, at));
    expect(published.publishedBy).toBe('bob');
    const later = next(
      editPostmortem(published, { sections: { resolution: 'z' }, by: 'carol' }, nothingMissing, at),
    );
    expect(later.publishedBy).toBe('bob');
    expect(later.updatedBy).toBe('carol');
    expect(
      next(editPostmortem(later, { status: 'draft', by: 'carol' }, nothingMissing, at)).publishedBy,
    ).toBeUndefined();
  });
});
