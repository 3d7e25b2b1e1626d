/** Text people and monitors wrote cannot break the postmortem document nor carry HTML or hidden links into it. */
import type { ActionItem, Postmortem } from '../../src/domain/postmortem';
import { draftPostmortemFacts, redraftPostmortem } from '../../src/domain/postmortem-draft';
import { renderPostmortemMarkdown } from '../../src/domain/postmortem-markdown';
import { makeAlert } from '../helpers/alerts';
import { FILLED_SECTIONS } from '../helpers/postmortem-sections';
import { actionItem, incidentFrom } from '../helpers/postmortems';

const draftedAt = new Date('2026-06-14T11:00:00Z');

describe('renderPostmortemMarkdown: text people and monitors wrote', () => {
  const hostile = '| # <script>alert(1)</script>';
  const linkedMonitor = {
    scope: 'host:web-9',
    monitor: { id: '9', name: '[x](javascript:alert(1))', url: 'javascript:alert(1)', query: null },
  };
  /** Rendered afresh for each test, not when the file loads: mutation testing then knows which tests use it. */
  function render() {
    const incident = incidentFrom(
      'inc-hostile',
      [
        {
          alert: makeAlert({
            transition: 'triggered',
            at: '2026-06-14T10:00:00Z',
            title: '<b>Errors</b> | # 1',
          }),
        },
        { alert: makeAlert({ transition: 'recovered', at: '2026-06-14T10:30:00Z' }) },
        { alert: makeAlert({ transition: 'triggered', at: '2026-06-14T10:05:00Z', ...linkedMonitor }) },
        { alert: makeAlert({ transition: 'recovered', at: '2026-06-14T10:06:00Z', ...linkedMonitor }) },
      ],
      {
        notes: [
          {
            id: 'n1',
            author: 'mallory',
            text: hostile,
            at: new Date('2026-06-14T10:10:00Z'),
            receivedAt: new Date('2026-06-14T10:10:00Z'),
          },
        ],
      },
    );
    const postmortem: Postmortem = {
      ...redraftPostmortem(
        null,
        draftPostmortemFacts(incident, { timezone: 'UTC', incidentUrl: 'https://h.example/i' }),
        draftedAt,
      ),
      sections: {
        ...FILLED_SECTIONS,
        incidentLead: hostile,
        rootCause: {
          technical: '# Not a heading\n```\n<img src=x onerror=alert(1)>\nText\n---',
          human: 'See [the runbook][rb].\n[rb]: javascript:alert(1)',
          process: null,
        },
      },
    };
    const items: ActionItem[] = [
      actionItem({
        id: 'h1',
        incidentId: 'inc-hostile',
        task: hostile,
        owner: 'eve|mallory',
        deadline: '2026-07-01',
      }),
    ];
    const markdown = renderPostmortemMarkdown(postmortem, items);
    return { markdown, lines: markdown.split('\n') };
  }
  let markdown: string;
  let lines: string[];
  beforeEach(() => {
    ({ markdown, lines } = render());
  });

  it('when a note holds `| # <script>`, then no HTML gets through', () => {
    expect(markdown).not.toMatch(/<script|<img|<b>/i);
    expect(lines).toContain('- 10:10 UTC: Note by mallory: | # &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('when a table cell holds `|`, then the row still has its four cells', () => {
    const rows = lines.filter((line) => line.startsWith('|'));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(6);
    expect(rows[2]).toBe(
      '| \\| # &lt;script&gt;alert(1)&lt;/script&gt; | eve\\|mallory | 2026-07-01 | open |',
    );
  });

  it('when a section starts a heading, a code fence or an underline, then it stays text in its section', () => {
    const headings = lines.filter((line) => /^\s{0,3}#/.test(line));
    expect(headings.every((h) => /^#{1,3} [A-Z]/.test(h) && !h.includes('Not a heading'))).toBe(true);
    expect(lines).toContain('\\# Not a heading');
    expect(lines).toContain('\\```');
    expect(lines).toContain('\\---');
    expect(lines.filter((line) => /^\s{0,3}(```|~~~|-+\s*$|=+\s*$)/.test(line))).toEqual([]);
  });

  it('when a monitor name or a section holds a link, then it shows as text and only http(s) links remain', () => {
    expect(markdown).not.toMatch(/(?<!\\)\]\(javascript/);
    expect(lines).toContain(
      '- Monitors: [High error rate on web](https://app.datadoghq.com/monitors/42), [x\\](javascript:alert(1))',
    );
    expect(lines).toContain('\\[rb]: javascript:alert(1)');
  });

  it('when the title carries markup, then the heading shows it as text', () => {
    expect(lines[0]).toBe('# Postmortem: &lt;b&gt;Errors&lt;/b&gt; | # 1');
  });
});
