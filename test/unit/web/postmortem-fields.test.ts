import { EMPTY_SECTIONS, type PostmortemSections } from '../../../src/domain/postmortem';
import { applySectionsPatch } from '../../../src/domain/postmortem-editing';
import {
  SECTION_FIELDS,
  fieldPatch,
  fieldText,
  isSectionFieldKey,
  sectionField,
} from '../../../src/domain/postmortem-fields';
import { PROMPTS } from '../../../src/domain/postmortem-sections';

const written: PostmortemSections = {
  usersImpacted: 'u',
  incidentLead: 'l',
  rootCause: { technical: 't', human: 'h', process: 'p' },
  impact: { users: 'iu', business: 'ib', systems: 'is' },
  resolution: 'r',
  lessons: { wentWell: 'w', wentWrong: 'ww' },
  correctiveMeasures: 'c',
};

describe('the postmortem page fields', () => {
  it('when listed, then they are the draft sections in order, under the draft names, each with its prompt', () => {
    expect(SECTION_FIELDS.map((f) => [f.group, f.label])).toEqual([
      ['Summary', 'Users impacted'],
      ['Summary', 'Incident lead'],
      ['Root cause', 'Technical factors'],
      ['Root cause', 'Human factors'],
      ['Root cause', 'Process factors'],
      ['Impact', 'Users'],
      ['Impact', 'Business'],
      ['Impact', 'Systems'],
      ['Resolution and recovery', 'Resolution and recovery'],
      ['Lessons learned', 'What went well'],
      ['Lessons learned', 'What did not go well'],
      ['Corrective and preventive measures', 'Corrective and preventive measures'],
    ]);
    expect(sectionField('rootCause.technical').prompt).toBe(PROMPTS.technical);
    expect(sectionField('lessons.wentWrong').prompt).toBe(PROMPTS.wentWrong);
    expect(sectionField('correctiveMeasures').prompt).toBe(PROMPTS.correctiveMeasures);
  });

  it('when every field is read, then each finds its own text, and unwritten ones are null', () => {
    expect(SECTION_FIELDS.map((f) => fieldText(written, f.key))).toEqual([
      'u',
      'l',
      't',
      'h',
      'p',
      'iu',
      'ib',
      'is',
      'r',
      'w',
      'ww',
      'c',
    ]);
    expect(SECTION_FIELDS.map((f) => fieldText(EMPTY_SECTIONS, f.key)).every((t) => t === null)).toBe(true);
  });

  it('when each field is set through its patch, then only that field changes', () => {
    for (const field of SECTION_FIELDS) {
      const next = applySectionsPatch(written, fieldPatch(field.key, `new ${field.key}`));
      for (const other of SECTION_FIELDS)
        expect(fieldText(next, other.key)).toBe(
          other.key === field.key ? `new ${field.key}` : fieldText(written, other.key),
        );
    }
  });

  it('when a field is saved blank, then it is cleared (null), not stored as spaces', () => {
    expect(fieldPatch('rootCause.human', '  \n ')).toEqual({ rootCause: { human: null } });
    expect(fieldPatch('resolution', '')).toEqual({ resolution: null });
    expect(fieldPatch('resolution', ' kept as written ')).toEqual({ resolution: ' kept as written ' });
  });

  it('when a form names a field, then only the known keys are fields', () => {
    expect(isSectionFieldKey('impact.users')).toBe(true);
    expect(isSectionFieldKey('usersImpacted')).toBe(true);
    for (const key of [
      'impact',
      'impact.revenue',
      'rootCause.',
      '__proto__',
      'constructor',
      'rootcause.technical',
      '',
    ])
      expect(isSectionFieldKey(key)).toBe(false);
  });
});
