/**
 * The sections people write, one field each, in the draft's order and under the draft's names: what the
 * postmortem page shows a form for, and how one field's text becomes a SectionsPatch.
 */
import type { PostmortemSections } from './postmortem';
import type { SectionsPatch } from './postmortem-editing';
import { PROMPTS } from './postmortem-sections';

export interface SectionField {
  /** `rootCause.technical`: the field's path in PostmortemSections, and its form name. */
  key: SectionFieldKey;
  /** The section of the draft it belongs to. */
  group: string;
  label: string;
  prompt: string;
}

export const SECTION_FIELDS = [
  { key: 'usersImpacted', group: 'Summary', label: 'Users impacted', prompt: PROMPTS.usersImpacted },
  { key: 'incidentLead', group: 'Summary', label: 'Incident lead', prompt: PROMPTS.incidentLead },
  { key: 'rootCause.technical', group: 'Root cause', label: 'Technical factors', prompt: PROMPTS.technical },
  { key: 'rootCause.human', group: 'Root cause', label: 'Human factors', prompt: PROMPTS.human },
  { key: 'rootCause.process', group: 'Root cause', label: 'Process factors', prompt: PROMPTS.process },
  { key: 'impact.users', group: 'Impact', label: 'Users', prompt: PROMPTS.users },
  { key: 'impact.business', group: 'Impact', label: 'Business', prompt: PROMPTS.business },
  { key: 'impact.systems', group: 'Impact', label: 'Systems', prompt: PROMPTS.systems },
  {
    key: 'resolution',
    group: 'Resolution and recovery',
    label: 'Resolution and recovery',
    prompt: PROMPTS.resolution,
  },
  { key: 'lessons.wentWell', group: 'Lessons learned', label: 'What went well', prompt: PROMPTS.wentWell },
  {
    key: 'lessons.wentWrong',
    group: 'Lessons learned',
    label: 'What did not go well',
    prompt: PROMPTS.wentWrong,
  },
  {
    key: 'correctiveMeasures',
    group: 'Corrective and preventive measures',
    label: 'Corrective and preventive measures',
    prompt: PROMPTS.correctiveMeasures,
  },
] as const satisfies readonly { key: string; group: string; label: string; prompt: string }[];

export type SectionFieldKey =
  | 'usersImpacted'
  | 'incidentLead'
  | `rootCause.${keyof PostmortemSections['rootCause']}`
  | `impact.${keyof PostmortemSections['impact']}`
  | 'resolution'
  | `lessons.${keyof PostmortemSections['lessons']}`
  | 'correctiveMeasures';

const KEYS: ReadonlySet<string> = new Set(SECTION_FIELDS.map((f) => f.key));

export function isSectionFieldKey(value: string): value is SectionFieldKey {
  return KEYS.has(value);
}

export function sectionField(key: SectionFieldKey): SectionField {
  return SECTION_FIELDS.find((f) => f.key === key)!;
}

/** The text of one field (null: not written). */
export function fieldText(sections: PostmortemSections, key: SectionFieldKey): string | null {
  const [section, part] = key.split('.') as [keyof PostmortemSections, string | undefined];
  const value = sections[section];
  return part === undefined ? (value as string | null) : (value as Record<string, string | null>)[part]!;
}

/** The patch that sets one field; blank text clears it. */
export function fieldPatch(key: SectionFieldKey, text: string): SectionsPatch {
  const value = text.trim().length === 0 ? null : text;
  const [section, part] = key.split('.') as [keyof SectionsPatch, string | undefined];
  return part === undefined ? { [section]: value } : { [section]: { [part]: value } };
}
