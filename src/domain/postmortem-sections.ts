/**
 * The parts of the postmortem people write, as Markdown: what they wrote, or a short prompt taken from the
 * postmortem guide where they have not written yet.
 */
import { blockText, cellText, inlineText, prompt } from './markdown-text';
import type { ActionItem, PostmortemSections } from './postmortem';
import { isWritten } from './postmortem-draft';

export const PROMPTS = {
  usersImpacted: 'how many users, which ones?',
  incidentLead: 'who led the response?',
  issueSummary:
    'what users saw, how much of the traffic it affected, what they could still do, and the root cause in a sentence.',
  technical: 'system failures or bugs behind it.',
  human: 'mistakes or lack of training that played a part (facts, not blame).',
  process: 'gaps in procedures or policies that let it happen.',
  users: 'how users were affected.',
  business: 'financial or reputational damage.',
  systems: 'affected services and components.',
  resolution:
    'the actions taken to mitigate and resolve it, and the steps that restored service, with times.',
  wentWell: 'what went well during the response.',
  wentWrong: 'what did not work, and why.',
  correctiveMeasures:
    'how to prevent a similar incident and detect it sooner: quick fixes and longer-term changes.',
  actionItems: 'actionable steps, each with an owner and a deadline.',
} as const;

/** An inline value people wrote (a list item's value), or its prompt. */
export function inlineOrPrompt(text: string | null, promptText: string): string {
  return isWritten(text) ? inlineText(text) : prompt(promptText);
}

/** Root cause; `drafted`, a part Hindsight drafted (the changes shortly before), comes after what people write. */
export function rootCauseSection(sections: PostmortemSections, drafted: string | null = null): string {
  const { technical, human, process } = sections.rootCause;
  const parts = withParts('Root cause', [
    ['Technical factors', technical, PROMPTS.technical],
    ['Human factors', human, PROMPTS.human],
    ['Process factors', process, PROMPTS.process],
  ]);
  return drafted === null ? parts : `${parts}\n\n${drafted}`;
}

/** Impact; `drafted`, a part Hindsight drafted (the metric's figures), comes first: people write from it. */
export function impactSection(sections: PostmortemSections, drafted: string | null = null): string {
  const { users, business, systems } = sections.impact;
  const parts = withParts('Impact', [
    ['Users', users, PROMPTS.users],
    ['Business', business, PROMPTS.business],
    ['Systems', systems, PROMPTS.systems],
  ]);
  return drafted === null ? parts : parts.replace('## Impact\n\n', `## Impact\n\n${drafted}\n\n`);
}

export function resolutionSection(sections: PostmortemSections): string {
  return section('## Resolution and recovery', sections.resolution, PROMPTS.resolution);
}

export function lessonsSection(sections: PostmortemSections): string {
  const { wentWell, wentWrong } = sections.lessons;
  return withParts('Lessons learned', [
    ['What went well', wentWell, PROMPTS.wentWell],
    ['What did not go well', wentWrong, PROMPTS.wentWrong],
  ]);
}

export function correctiveSection(sections: PostmortemSections): string {
  return section(
    '## Corrective and preventive measures',
    sections.correctiveMeasures,
    PROMPTS.correctiveMeasures,
  );
}

/** The action items as a table, oldest first; a prompt when there are none. */
export function actionItemsSection(items: readonly ActionItem[]): string {
  if (items.length === 0) return `## Action items\n\n${prompt(PROMPTS.actionItems)}`;
  const rows = items.map((item) =>
    [
      cellText(item.task),
      isWritten(item.owner) ? cellText(item.owner) : '_to assign_',
      isWritten(item.deadline) ? cellText(item.deadline) : '_to set_',
      item.status,
    ].join(' | '),
  );
  return [
    '## Action items',
    [
      '| Task | Owner | Deadline | Status |',
      '| --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r} |`),
    ].join('\n'),
  ].join('\n\n');
}

/** A section made of subsections: `[title, what people wrote, prompt]` each. */
function withParts(title: string, parts: [string, string | null, string][]): string {
  return [
    `## ${title}`,
    ...parts.map(([part, text, promptText]) => section(`### ${part}`, text, promptText)),
  ].join('\n\n');
}

function section(heading: string, text: string | null, promptText: string): string {
  return `${heading}\n\n${isWritten(text) ? blockText(text) : prompt(promptText)}`;
}
