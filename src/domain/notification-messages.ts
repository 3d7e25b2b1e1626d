/**
 * What Hindsight tells ops, and how each kind of target receives it. Pure: producers build a
 * NotificationMessage; renderForTarget turns it into the request body a Slack incoming webhook or a generic
 * webhook receives.
 */

export const NOTIFICATION_EVENTS = [
  'postmortem.drafted',
  'incident.opened',
  'incident.resolved',
  'action_items.overdue',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** What a target receives when its configuration does not list events. */
export const DEFAULT_NOTIFICATION_EVENTS: readonly NotificationEvent[] = [
  'postmortem.drafted',
  'action_items.overdue',
];

/** Events whose subject is an incident (the others, such as the daily overdue digest, are about no one incident). */
const INCIDENT_EVENTS: Readonly<Record<NotificationEvent, boolean>> = {
  'postmortem.drafted': true,
  'incident.opened': true,
  'incident.resolved': true,
  'action_items.overdue': false,
};

export const TARGET_TYPES = ['slack', 'webhook'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export interface NotificationMessage {
  event: NotificationEvent;
  /** The incident id, or a name such as 'daily' for messages about no one incident. */
  subjectId: string;
  title: string;
  /** One or two human lines. */
  text: string;
  url: string;
  /** The JSON a generic webhook receives beside the message, e.g. { incident, postmortem, markdown }. */
  data: Record<string, unknown>;
}

/** The incident a message is about, or null. */
export function incidentIdOf(message: Pick<NotificationMessage, 'event' | 'subjectId'>): string | null {
  return INCIDENT_EVENTS[message.event] ? message.subjectId : null;
}

/** Slack's limits (Block Kit reference): header text 150, section text 3000, 50 blocks per message. */
export const SLACK_LIMITS = { header: 150, section: 3000, fallbackText: 3000, textSections: 5 } as const;

const SLACK_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes the three characters Slack parses as controls (and only those, as Slack asks). */
export function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (c) => SLACK_ENTITIES[c]!);
}

/**
 * Escapes `text` and cuts it so the escaped result is at most `max` UTF-16 units, never inside an entity or a
 * surrogate pair; a cut text ends with '…'. Returns the escaped part and the raw text left over.
 */
function escapeWithin(text: string, max: number): { escaped: string; rest: string } {
  let escaped = '';
  let used = 0;
  for (const char of text) {
    const piece = SLACK_ENTITIES[char] ?? char;
    const remaining = text.length - used;
    // The last piece that fits whole needs no room for the ellipsis.
    const budget = remaining === char.length ? max : max - 1;
    if (escaped.length + piece.length > budget) return { escaped: `${escaped}…`, rest: text.slice(used) };
    escaped += piece;
    used += char.length;
  }
  return { escaped, rest: '' };
}

/** Splits long text over several sections, each within Slack's limit; the last one cut with '…' if need be. */
function textSections(text: string): string[] {
  const sections: string[] = [];
  let rest = text;
  while (rest.length > 0 && sections.length < SLACK_LIMITS.textSections) {
    const { escaped, rest: left } = escapeWithin(rest, SLACK_LIMITS.section);
    const isLast = sections.length === SLACK_LIMITS.textSections - 1;
    // An intermediate section carries its text whole: drop its '…' and continue in the next one.
    sections.push(left.length > 0 && !isLast ? escaped.slice(0, -1) : escaped);
    rest = isLast ? '' : left;
  }
  return sections;
}

/** A URL as Slack's `<url|label>` needs it: its own `&`, `<`, `>` escaped and no `|` to end it early. */
function slackLinkUrl(url: string): string {
  return url.replace(/\|/g, '%7C').replace(/[&<>]/g, (c) => SLACK_ENTITIES[c]!);
}

export interface SlackBody {
  text: string;
  blocks: Record<string, unknown>[];
}

export function renderSlack(message: NotificationMessage): SlackBody {
  const blocks: Record<string, unknown>[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: escapeWithin(message.title.trim() || message.event, SLACK_LIMITS.header).escaped,
        emoji: true,
      },
    },
    ...textSections(message.text).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  ];
  if (message.url.length > 0) {
    // A link rather than a button: a button sends an interaction to the app, which incoming webhooks lack.
    const link = `<${slackLinkUrl(message.url)}|Open in Hindsight>`;
    if (link.length <= SLACK_LIMITS.section)
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: link } });
  }
  return {
    text: escapeWithin(`${message.title}: ${message.text}`, SLACK_LIMITS.fallbackText).escaped,
    blocks,
  };
}

const WEBHOOK_RESERVED = new Set(['event', 'title', 'text', 'url', 'sentAt']);

export function renderWebhook(message: NotificationMessage, sentAt: Date): Record<string, unknown> {
  const data = Object.fromEntries(Object.entries(message.data).filter(([key]) => !WEBHOOK_RESERVED.has(key)));
  const { event, title, text, url } = message;
  return { event, title, text, url, ...data, sentAt: sentAt.toISOString() };
}

/** The request body a target of `type` receives. `sentAt` is when the message was scheduled. */
export function renderForTarget(type: TargetType, message: NotificationMessage, sentAt: Date): unknown {
  switch (type) {
    case 'slack':
      return renderSlack(message);
    case 'webhook':
      return renderWebhook(message, sentAt);
  }
}
