import type { Postmortem, PostmortemFacts } from '../../src/domain/postmortem';
import { EMPTY_SECTIONS } from '../../src/domain/postmortem';
import {
  draftPostmortemFacts,
  isWithdrawable,
  missingForPublication,
  redraftPostmortem,
} from '../../src/domain/postmortem-draft';
import {
  actionItem,
  referenceIncident,
  reopenedReference,
  REFERENCE_ID,
  REFERENCE_URL,
} from '../helpers/postmortems';

const lagos = { timezone: 'Africa/Lagos', incidentUrl: REFERENCE_URL };

describe('redraftPostmortem', () => {
  const now = new Date('2019-06-28T19:00:00Z');
  // Drafted for each test, not when the file loads: mutation testing then knows which tests use it.
  let first: PostmortemFacts;
  beforeEach(() => {
    first = draftPostmortemFacts(referenceIncident(), lagos);
  });

  it('when there is no postmortem yet, then a new draft with empty sections is made', () => {
    const draft = redraftPostmortem(null, first, now);
    expect(draft).toEqual({
      incidentId: REFERENCE_ID,
      status: 'draft',
      facts: first,
      sections: EMPTY_SECTIONS,
      version: 1,
      draftedAt: now,
      updatedAt: now,
      publishedAt: null,
    });
    expect(draft.sections.rootCause).not.toBe(EMPTY_SECTIONS.rootCause);
  });

  it('when the same resolution is drafted again, then the same postmortem comes back', () => {
    const existing = written(redraftPostmortem(null, first, now));
    expect(redraftPostmortem(existing, draftPostmortemFacts(referenceIncident(), lagos), new Date())).toBe(
      existing,
    );
  });

  it('when the incident resolved again, then the facts are brought up to date and what people wrote is kept', () => {
    const existing = written(redraftPostmortem(null, first, now));
    const later = draftPostmortemFacts(reopenedReference(), lagos);
    const laterNow = new Date('2019-06-28T20:00:00Z');
    const next = redraftPostmortem(existing, later, laterNow);
    expect(next).toEqual({ ...existing, facts: later, version: existing.version + 1, updatedAt: laterNow });
    expect(next.sections).toBe(existing.sections);
    expect(next.status).toBe('in_review');
    // and a late retry of the first resolution changes nothing any more
    expect(redraftPostmortem(next, first, new Date())).toBe(next);
  });

  it('when a late alert changed the resolved incident (same resolution, other facts), then the facts are redrawn and what people wrote is kept', () => {
    const existing = written(redraftPostmortem(null, first, now));
    const corrected = {
      ...first,
      detectedAt: new Date(first.detectedAt.getTime() - 90_000),
      durationSeconds: first.durationSeconds + 90,
    };
    const laterNow = new Date('2019-06-28T20:00:00Z');
    const next = redraftPostmortem(existing, corrected, laterNow);
    expect(next).toEqual({
      ...existing,
      facts: corrected,
      version: existing.version + 1,
      updatedAt: laterNow,
    });
    expect(next.sections).toBe(existing.sections);
    // The job that drew it, run again, changes nothing: the facts are the same once stored and read back.
    const storedAndRead = JSON.parse(JSON.stringify(corrected), (key, value: unknown) =>
      key === 'detectedAt' || key === 'resolvedAt' || key === 'at' || key === 'receivedAt'
        ? new Date(value as string)
        : value,
    ) as PostmortemFacts;
    expect(redraftPostmortem({ ...next, facts: storedAndRead }, corrected, new Date()).version).toBe(
      next.version,
    );
  });

  it('when facts of another incident are given, then it refuses', () => {
    const existing = redraftPostmortem(null, first, now);
    expect(() =>
      redraftPostmortem(existing, { ...first, incidentId: 'other', resolutionCount: 2 }, now),
    ).toThrow(new Error(`facts of incident other given for the postmortem of ${REFERENCE_ID}`));
  });
});

describe('isWithdrawable', () => {
  const now = new Date('2019-06-28T19:00:00Z');
  let draft: Postmortem;
  beforeEach(() => {
    draft = redraftPostmortem(null, draftPostmortemFacts(referenceIncident(), lagos), now);
  });
  const open = (resolutionCount: number) => ({
    ...referenceIncident(),
    status: 'open' as const,
    resolvedAt: null,
    durationSeconds: null,
    resolutionCount,
  });

  it('when the incident is open again with fewer resolutions than the draft and the draft is untouched, then it is withdrawable', () => {
    expect(isWithdrawable(draft, open(0))).toBe(true);
  });

  it.each([
    ['the incident is resolved', () => referenceIncident()],
    ['the incident reopened after this resolution (same count)', () => open(1)],
  ])('when %s, then it is not', (_what, incident) => {
    expect(isWithdrawable(draft, incident())).toBe(false);
  });

  it('when someone wrote a section or moved it on, then it is not', () => {
    expect(
      isWithdrawable({ ...draft, sections: { ...draft.sections, resolution: 'rolled back' } }, open(0)),
    ).toBe(false);
    const rootCause = { ...draft.sections.rootCause, technical: 'a header change' };
    expect(isWithdrawable({ ...draft, sections: { ...draft.sections, rootCause } }, open(0))).toBe(false);
    expect(isWithdrawable({ ...draft, status: 'in_review' }, open(0))).toBe(false);
  });
});

describe('missingForPublication', () => {
  let draft: Postmortem;
  beforeEach(() => {
    draft = redraftPostmortem(null, draftPostmortemFacts(referenceIncident(), lagos), new Date());
  });
  const assigned = actionItem({
    id: 'a1',
    task: 'Test header changes',
    owner: 'bob',
    deadline: '2019-07-05',
  });

  it('when nothing is written, then root cause and an assigned action item are missing', () => {
    expect(missingForPublication(draft, [])).toEqual([
      'root cause (technical, human or process factors)',
      'an action item with an owner and a deadline',
    ]);
  });

  it('when one factor is written and an item has an owner and a deadline, then it can be published', () => {
    const withCause = withRootCause(draft, { human: 'Released without a test' });
    expect(missingForPublication(withCause, [assigned])).toEqual([]);
  });

  it('when the root cause is only blanks, then it is still missing', () => {
    expect(missingForPublication(withRootCause(draft, { technical: '  \n ' }), [assigned])).toEqual([
      'root cause (technical, human or process factors)',
    ]);
  });

  it('when no item has both an owner and a deadline (or it belongs to another incident), then one is missing', () => {
    const withCause = withRootCause(draft, { process: 'No review of header changes' });
    const items = [
      actionItem({ id: 'a1', task: 'no deadline', owner: 'bob' }),
      actionItem({ id: 'a2', task: 'no owner', deadline: '2019-07-05' }),
      { ...assigned, incidentId: 'another-incident' },
    ];
    expect(missingForPublication(withCause, items)).toEqual(['an action item with an owner and a deadline']);
  });
});

function written(postmortem: Postmortem): Postmortem {
  return {
    ...postmortem,
    status: 'in_review',
    version: 3,
    sections: { ...postmortem.sections, incidentLead: 'alice', resolution: 'Rolled back the header change.' },
  };
}

function withRootCause(postmortem: Postmortem, rootCause: Partial<Postmortem['sections']['rootCause']>) {
  return {
    ...postmortem,
    sections: { ...postmortem.sections, rootCause: { ...postmortem.sections.rootCause, ...rootCause } },
  };
}
