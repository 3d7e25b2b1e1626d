import {
  escapeSlack,
  incidentIdOf,
  renderForTarget,
  SLACK_LIMITS,
  type NotificationMessage,
  type SlackBody,
} from '../../src/domain/notification-messages';

const SENT_AT = new Date('2026-06-14T10:50:00Z');

function message(fields: Partial<NotificationMessage> = {}): NotificationMessage {
  return {
    event: 'postmortem.drafted',
    subjectId: '6b0459a1772a8ca6f6e25918',
    title: 'Postmortem draft: High error rate on web',
    text: 'The incident lasted 47 minutes.\nThe draft is ready for review.',
    url: 'https://hindsight.example.com/api/incidents/6b0459a1772a8ca6f6e25918/postmortem',
    data: { incident: { id: '6b0459a1772a8ca6f6e25918', durationSeconds: 2820 }, markdown: '# Postmortem' },
    ...fields,
  };
}

const slack = (m: NotificationMessage) => renderForTarget('slack', m, SENT_AT) as SlackBody;
type TextBlock = { type: string; text: { type: string; text: string } };
const blocksOf = (m: NotificationMessage) => slack(m).blocks as TextBlock[];

describe('Slack rendering', () => {
  it('when a message is rendered, then it has a header, the text and a link to the url', () => {
    const body = slack(message());
    expect(body.text).toBe(
      'Postmortem draft: High error rate on web: The incident lasted 47 minutes.\nThe draft is ready for review.',
    );
    expect(blocksOf(message())).toEqual([
      {
        type: 'header',
        text: { type: 'plain_text', text: 'Postmortem draft: High error rate on web', emoji: true },
      },
      { type: 'section', text: { type: 'mrkdwn', text: message().text } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '<https://hindsight.example.com/api/incidents/6b0459a1772a8ca6f6e25918/postmortem|Open in Hindsight>',
        },
      },
    ]);
  });

  it('when text holds &, < and >, then they are escaped (and nothing else is)', () => {
    expect(escapeSlack('a & b <!channel> "c" \'d\' >')).toBe('a &amp; b &lt;!channel&gt; "c" \'d\' &gt;');
    const blocks = blocksOf(message({ title: 'P&L <down>', text: '<@U123> latency > 5s & rising' }));
    expect(blocks[0]!.text.text).toBe('P&amp;L &lt;down&gt;');
    expect(blocks[1]!.text.text).toBe('&lt;@U123&gt; latency &gt; 5s &amp; rising');
    expect(slack(message({ title: 'P&L <down>' })).text).toMatch(/^P&amp;L &lt;down&gt;: /);
  });

  it('when a link has &, | or >, then it cannot break out of the link syntax', () => {
    const blocks = blocksOf(message({ url: 'https://h.example/x?a=1&b=2|3>' }));
    expect(blocks[2]!.text.text).toBe('<https://h.example/x?a=1&amp;b=2%7C3&gt;|Open in Hindsight>');
  });

  it('when the title is long, then the header is cut to 150 characters, never inside an entity', () => {
    const header = blocksOf(message({ title: `${'a'.repeat(146)}&&&&` }))[0]!.text.text;
    expect(header.length).toBeLessThanOrEqual(SLACK_LIMITS.header);
    expect(header).toBe(`${'a'.repeat(146)}…`);
    expect(blocksOf(message({ title: 'x'.repeat(150) }))[0]!.text.text).toBe('x'.repeat(150));
  });

  it('when the text is over 3000 characters, then it spans sections of at most 3000 each, all of it kept', () => {
    const text = `${'é'.repeat(2990)}${'<>'.repeat(10)}${'z'.repeat(4000)}`;
    const sections = blocksOf(message({ text }))
      .filter((b) => b.type === 'section')
      .slice(0, -1);
    expect(sections.length).toBe(3);
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.section);
    const joined = sections.map((s) => s.text.text).join('');
    expect(joined).toBe(escapeSlack(text));
  });

  it('when the text is far too long, then it is cut with an ellipsis and the message stays within limits', () => {
    const body = slack(message({ text: '😀'.repeat(20_000) }));
    const sections = (body.blocks as TextBlock[]).filter((b) => b.type === 'section').slice(0, -1);
    expect(sections).toHaveLength(SLACK_LIMITS.textSections);
    const last = sections[sections.length - 1]!.text.text;
    expect(last.endsWith('😀…')).toBe(true);
    expect(body.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    expect(body.blocks.length).toBeLessThanOrEqual(50);
    // Never half of a surrogate pair.
    expect(JSON.stringify(body)).not.toMatch(/\\ud[89ab]/i);
  });

  it('when the text is empty, then no empty section is sent', () => {
    expect(blocksOf(message({ text: '' })).map((b) => b.type)).toEqual(['header', 'section']);
  });
});

describe('generic webhook rendering', () => {
  it('when a message is rendered, then it carries the event, the message, the data and sentAt', () => {
    expect(renderForTarget('webhook', message(), SENT_AT)).toEqual({
      event: 'postmortem.drafted',
      title: 'Postmortem draft: High error rate on web',
      text: message().text,
      url: message().url,
      incident: { id: '6b0459a1772a8ca6f6e25918', durationSeconds: 2820 },
      markdown: '# Postmortem',
      sentAt: '2026-06-14T10:50:00.000Z',
    });
  });

  it('when data has keys of the message itself, then the message keeps its own', () => {
    const body = renderForTarget(
      'webhook',
      message({ data: { event: 'x', sentAt: 'y', extra: 1 } }),
      SENT_AT,
    );
    expect(body).toMatchObject({ event: 'postmortem.drafted', sentAt: SENT_AT.toISOString(), extra: 1 });
  });

  it('when text holds Slack control characters, then the webhook gets it unescaped', () => {
    expect(renderForTarget('webhook', message({ text: 'a < b & c' }), SENT_AT)).toMatchObject({
      text: 'a < b & c',
    });
  });
});

describe('subjects', () => {
  it('when the event is about an incident, then the subject is its id; the daily digest has none', () => {
    expect(incidentIdOf({ event: 'incident.resolved', subjectId: 'abc' })).toBe('abc');
    expect(incidentIdOf({ event: 'action_items.overdue', subjectId: 'daily' })).toBeNull();
  });
});
