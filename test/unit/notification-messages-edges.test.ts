/** Edges of what ops receive: defaults, subjects, blank titles, missing or oversized links, reserved keys. */
import {
  DEFAULT_NOTIFICATION_EVENTS,
  incidentIdOf,
  renderForTarget,
  type NotificationMessage,
  type SlackBody,
} from '../../src/domain/notification-messages';
import { parseTargetsJson } from '../../config/targets';

const SENT_AT = '2026-06-14T10:50:00.000Z';

function message(fields: Partial<NotificationMessage> = {}): NotificationMessage {
  return {
    event: 'incident.opened',
    subjectId: 'inc-1',
    title: 'Incident opened: High error rate on web',
    text: 'Alert triggered on host:web-1.',
    url: 'https://hindsight.example.com/api/incidents/inc-1',
    data: { incident: { id: 'inc-1' } },
    ...fields,
  };
}

type TextBlock = { type: string; text: { type: string; text: string } };
const blocksOf = (m: NotificationMessage) =>
  (renderForTarget('slack', m, new Date(SENT_AT)) as SlackBody).blocks as TextBlock[];

describe('default events', () => {
  it('when a target lists no events, then it receives drafted postmortems and the overdue digest', () => {
    expect(DEFAULT_NOTIFICATION_EVENTS).toEqual(['postmortem.drafted', 'action_items.overdue']);
    const { targets } = parseTargetsJson(
      JSON.stringify([{ id: 'ops', type: 'webhook', url: 'https://ops.example.com/hook' }]),
      'NOTIFY_TARGETS_FILE',
    );
    expect(targets.map((t) => t.events)).toEqual([['postmortem.drafted', 'action_items.overdue']]);
  });
});

describe('subjects', () => {
  it.each(['postmortem.drafted', 'incident.opened', 'incident.resolved'] as const)(
    'when the event is %s, then the message is about the incident it names',
    (event) => {
      expect(incidentIdOf({ event, subjectId: 'inc-1' })).toBe('inc-1');
    },
  );
});

describe('Slack header', () => {
  it('when the title is blank, then the header names the event instead', () => {
    expect(blocksOf(message({ title: '  \n ' }))[0]!.text.text).toBe('incident.opened');
  });

  it('when the title has spaces around it, then the header is the title trimmed', () => {
    expect(blocksOf(message({ title: '  Incident opened: web  ' }))[0]!.text.text).toBe(
      'Incident opened: web',
    );
  });
});

describe('Slack link', () => {
  it('when the message has no url, then no link is sent', () => {
    expect(blocksOf(message({ url: '' })).map((b) => b.text.text)).toEqual([
      'Incident opened: High error rate on web',
      'Alert triggered on host:web-1.',
    ]);
  });

  it('when the link fits a section exactly (3000 characters), then it is sent; one more, and it is left out', () => {
    // `<` + url + `|Open in Hindsight>` is the url and 20 characters.
    const fitting = `https://h.example/${'a'.repeat(3000 - 20 - 18)}`;
    const link = blocksOf(message({ url: fitting }))[2]!.text.text;
    expect(link).toBe(`<${fitting}|Open in Hindsight>`);
    expect(link).toHaveLength(3000);
    expect(blocksOf(message({ url: `${fitting}b` }))).toHaveLength(2);
  });
});

describe('generic webhook', () => {
  it('when data has title, text or url keys, then the message keeps its own', () => {
    const body = renderForTarget(
      'webhook',
      message({ data: { title: 'x', text: 'y', url: 'z', incident: { id: 'inc-1' } } }),
      new Date(SENT_AT),
    );
    expect(body).toEqual({
      event: 'incident.opened',
      title: 'Incident opened: High error rate on web',
      text: 'Alert triggered on host:web-1.',
      url: 'https://hindsight.example.com/api/incidents/inc-1',
      incident: { id: 'inc-1' },
      sentAt: SENT_AT,
    });
  });
});
