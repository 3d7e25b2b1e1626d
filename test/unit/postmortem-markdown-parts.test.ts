/**
 * The parts of the rendered postmortem, each from a postmortem written out here (UTC unless a test needs a zone
 * change): the header's status and publication notice, the summary's lists, the timeline, the figures, the
 * action items' order, and the JSON presenter's copies.
 */
import type {
  ActionItem,
  Postmortem,
  PostmortemFacts,
  PostmortemTimelineEntry,
} from '../../src/domain/postmortem';
import { EMPTY_SECTIONS } from '../../src/domain/postmortem';
import { presentPostmortemJson, renderPostmortemMarkdown } from '../../src/domain/postmortem-markdown';
import type { MetricFact } from '../../src/domain/enrichment-facts';
import { FILLED_SECTIONS } from '../helpers/postmortem-sections';

const INCIDENT = 'inc-disk';

function facts(overrides: Partial<PostmortemFacts> = {}): PostmortemFacts {
  return {
    incidentId: INCIDENT,
    title: 'Disk full on db-1',
    severity: 'P2',
    services: ['db', 'api'],
    hosts: ['db-1'],
    monitors: [{ id: '7', name: 'Disk usage', url: 'https://app.example.com/monitors/7', query: 'avg:disk' }],
    source: 'datadog',
    detection: 'Datadog monitor “Disk usage”',
    detectedAt: new Date('2026-05-04T10:00:00Z'),
    resolvedAt: new Date('2026-05-04T10:45:00Z'),
    durationSeconds: 2700,
    timezone: 'UTC',
    issueSummary: 'The disk of db-1 filled up.',
    timeline: [],
    figures: { timeToDetectSeconds: null, timeToAcknowledgeSeconds: 300, timeToRecoverSeconds: 2700 },
    resolutionCount: 1,
    incidentUrl: `https://hindsight.example.com/incidents/${INCIDENT}`,
    ...overrides,
  };
}

function postmortem(
  overrides: Partial<Postmortem> = {},
  factOverrides: Partial<PostmortemFacts> = {},
): Postmortem {
  return {
    incidentId: INCIDENT,
    status: 'draft',
    facts: facts(factOverrides),
    sections: EMPTY_SECTIONS,
    version: 3,
    draftedAt: new Date('2026-05-04T11:00:00Z'),
    updatedAt: new Date('2026-05-05T09:00:00Z'),
    publishedAt: null,
    ...overrides,
  };
}

function item(id: string, createdAt: string, overrides: Partial<ActionItem> = {}): ActionItem {
  return {
    id,
    incidentId: INCIDENT,
    task: `task ${id}`,
    owner: 'bob',
    deadline: '2026-06-01',
    status: 'open',
    createdAt: new Date(createdAt),
    updatedAt: new Date(createdAt),
    completedAt: null,
    version: 1,
    ...overrides,
  };
}

function entry(at: string, receivedAt: string, deliveryLagSeconds: number | null): PostmortemTimelineEntry {
  return {
    at: new Date(at),
    receivedAt: new Date(receivedAt),
    kind: 'triggered',
    text: 'Disk above 95%',
    deliveryLagSeconds,
  };
}

/** The rendered section that starts with this heading, up to the next `## ` heading. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end).trimEnd();
}

const NOTICE = '> Before it can be published';

describe('renderPostmortemMarkdown: the header', () => {
  it('when the postmortem is in review, then its status reads "in review"', () => {
    expect(renderPostmortemMarkdown(postmortem({ status: 'in_review' }), [])).toContain(
      'Status: in review · ',
    );
  });

  it('when a draft still carries an earlier publication date, then its status reads "draft"', () => {
    const markdown = renderPostmortemMarkdown(
      postmortem({ publishedAt: new Date('2026-05-06T08:00:00Z') }),
      [],
    );
    expect(markdown).toContain('Status: draft · Severity: P2 · ');
  });

  it('when the severity is not set, then the header and the summary say so', () => {
    const markdown = renderPostmortemMarkdown(postmortem({}, { severity: null }), []);
    expect(markdown).toContain('Status: draft · Severity: not set · Incident ');
    expect(markdown).toContain('\n- Severity: _not set_\n');
  });

  it('when a draft has a root cause and an assigned action item, then no publication notice is shown', () => {
    const markdown = renderPostmortemMarkdown(postmortem({ sections: FILLED_SECTIONS }), [
      item('a1', '2026-05-05T00:00:00Z'),
    ]);
    expect(markdown).not.toContain(NOTICE);
  });

  it('when a published postmortem lacks a root cause, then no publication notice is shown', () => {
    const published = postmortem({ status: 'published', publishedAt: new Date('2026-05-06T08:00:00Z') });
    const markdown = renderPostmortemMarkdown(published, []);
    expect(markdown).toContain('Status: published 2026-05-06 · ');
    expect(markdown).not.toContain(NOTICE);
  });
});

describe('renderPostmortemMarkdown: the incident summary', () => {
  it('when nothing is tagged and no monitor is known, then the summary says none', () => {
    const markdown = renderPostmortemMarkdown(postmortem({}, { services: [], hosts: [], monitors: [] }), []);
    expect(markdown).toContain('\n- Services affected: _none tagged_\n- Hosts: _none tagged_\n');
    expect(markdown).toContain('\n- Monitors: _none_\n');
  });

  it.each([
    [2, 'once'],
    [3, 'twice'],
    [4, '3 times'],
  ])('when the incident resolved %i times, then it reads reopened %s', (resolutionCount, reopened) => {
    const markdown = renderPostmortemMarkdown(postmortem({}, { resolutionCount }), []);
    expect(markdown).toContain(`\n- Reopened: ${reopened}\n`);
  });
});

describe('renderPostmortemMarkdown: the timeline', () => {
  it('when the timeline is empty, then it says there are no entries', () => {
    const markdown = renderPostmortemMarkdown(postmortem(), []);
    expect(section(markdown, 'Timeline')).toMatch(/\n\n_No entries\._$/);
  });

  it('when a late delivery arrives the next day, then the times carry their dates', () => {
    const late = entry('2026-05-04T23:58:00Z', '2026-05-05T00:01:00Z', 180);
    const markdown = renderPostmortemMarkdown(postmortem({}, { timeline: [late] }), []);
    expect(markdown).toContain(
      '\n- 2026-05-04 23:58 UTC: Disk above 95% (received 2026-05-05 00:01 UTC, 3 min late)',
    );
  });

  it('when a delivery not marked late arrives the next day, then the times are clock times', () => {
    const onTime = entry('2026-05-04T23:59:30Z', '2026-05-05T00:00:10Z', null);
    const markdown = renderPostmortemMarkdown(postmortem({}, { timeline: [onTime] }), []);
    expect(markdown).toContain('\n- 23:59 UTC: Disk above 95%\n');
  });

  it('when a delivery is exactly two minutes late, then the lag reads as a duration', () => {
    const late = entry('2026-05-04T10:00:00Z', '2026-05-04T10:02:00Z', 120);
    const markdown = renderPostmortemMarkdown(postmortem({}, { timeline: [late] }), []);
    expect(markdown).toContain('(received 10:02 UTC, 2 min late)');
  });

  it('when a delivery is just under two minutes late, then the lag reads in seconds', () => {
    const late = entry('2026-05-04T10:00:00Z', '2026-05-04T10:01:59Z', 119);
    const markdown = renderPostmortemMarkdown(postmortem({}, { timeline: [late] }), []);
    expect(markdown).toContain('(received 10:01 UTC, 119 s late)');
  });

  it('when an entry before detection is in winter time, then the zone names go in time order', () => {
    const winter = entry('2026-03-29T00:30:00Z', '2026-03-29T00:30:00Z', null);
    const spring = {
      detectedAt: new Date('2026-03-29T02:00:00Z'),
      resolvedAt: new Date('2026-03-29T03:00:00Z'),
    };
    const markdown = renderPostmortemMarkdown(
      postmortem({}, { ...spring, timezone: 'Europe/Berlin', timeline: [winter] }),
      [],
    );
    expect(markdown).toContain('## Timeline (all times Central European Time (CET, then CEST))');
  });
});

describe('renderPostmortemMarkdown: figures', () => {
  it('when nobody acknowledged the incident, then the figures say so', () => {
    const none = { timeToDetectSeconds: null, timeToAcknowledgeSeconds: null, timeToRecoverSeconds: 2700 };
    const markdown = renderPostmortemMarkdown(postmortem({}, { figures: none }), []);
    expect(markdown).toContain('\n- Time to acknowledge: not acknowledged\n');
  });
});

describe('action items: this incident only, oldest first', () => {
  it('when items of another incident are given, then they are left out of the document', () => {
    const other = item('z9', '2026-05-05T00:00:00Z', {
      incidentId: 'inc-other',
      task: 'other incident task',
    });
    const markdown = renderPostmortemMarkdown(postmortem(), [item('a1', '2026-05-05T00:00:00Z'), other]);
    expect(markdown).not.toContain('other incident task');
  });

  it('when items were created at different times, then the oldest comes first whatever its id', () => {
    const items = [item('a-new', '2026-05-06T00:00:00Z'), item('b-old', '2026-05-05T00:00:00Z')];
    expect(presentPostmortemJson(postmortem(), items).actionItems.map((i) => i.id)).toEqual([
      'b-old',
      'a-new',
    ]);
  });

  it.each([
    ['c', 'a', 'b'],
    ['b', 'c', 'a'],
    ['a', 'b', 'c'],
  ])('when items %s, %s, %s were created at the same time, then they are in id order', (...ids) => {
    const items = ids.map((id) => item(id, '2026-05-05T00:00:00Z'));
    expect(presentPostmortemJson(postmortem(), items).actionItems.map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('presentPostmortemJson', () => {
  it('when presented, then the facts keep their services, hosts, monitors and figures', () => {
    const json = presentPostmortemJson(postmortem(), []);
    expect(json.facts.services).toEqual(['db', 'api']);
    expect(json.facts.hosts).toEqual(['db-1']);
    expect(json.facts.monitors).toEqual([
      { id: '7', name: 'Disk usage', url: 'https://app.example.com/monitors/7', query: 'avg:disk' },
    ]);
    expect(json.facts.figures).toEqual({
      timeToDetectSeconds: null,
      timeToAcknowledgeSeconds: 300,
      timeToRecoverSeconds: 2700,
    });
  });

  it('when an action item is done, then its completion time is ISO-8601 UTC', () => {
    const done = item('a1', '2026-05-05T00:00:00Z', {
      status: 'done',
      completedAt: new Date('2026-05-07T12:30:00Z'),
    });
    const [presented] = presentPostmortemJson(postmortem(), [done]).actionItems;
    expect(presented?.completedAt).toBe('2026-05-07T12:30:00.000Z');
  });

  it('when an action item is open, then its completion time is null', () => {
    const [presented] = presentPostmortemJson(postmortem(), [item('a1', '2026-05-05T00:00:00Z')]).actionItems;
    expect(presented?.completedAt).toBeNull();
  });
});

describe('renderPostmortemMarkdown: what Datadog enrichment adds', () => {
  const metricFact = (overrides: Partial<MetricFact> = {}): MetricFact => ({
    monitorId: '7',
    query: 'avg:disk{host:db-1}',
    comparator: '>',
    threshold: 95,
    fromSeconds: 0,
    toSeconds: 1,
    figures: { comparator: '>', threshold: 95, worst: null, firstCrossedAt: null, cameBackAt: null },
    impactLine: 'Peak 99 at 10:05 UTC (threshold 95); first above it at 10:00, back below at 10:44.',
    series: [],
    snapshotUrl: 'https://p.datadoghq.com/g.png',
    ...overrides,
  });
  const render = (factOverrides: Partial<PostmortemFacts>) =>
    renderPostmortemMarkdown(postmortem({}, factOverrides), []);

  it('when one metric was read, then the Impact section opens with its figures and graph, before what people write', () => {
    expect(section(render({ metrics: [metricFact()] }), 'Impact')).toBe(
      [
        '## Impact',
        '### The metric',
        'Peak 99 at 10:05 UTC (threshold 95); first above it at 10:00, back below at 10:44. [Graph](https://p.datadoghq.com/g.png).',
        '### Users',
        '_To fill: how users were affected._',
        '### Business',
        '_To fill: financial or reputational damage._',
        '### Systems',
        '_To fill: affected services and components._',
      ].join('\n\n'),
    );
  });

  it('when several metrics were read, then each is a line naming its query; one without data or graph is left out', () => {
    const impact = section(
      render({
        metrics: [
          metricFact(),
          metricFact({
            query: 'avg:inodes{*}',
            impactLine: null,
            snapshotUrl: 'https://p.datadoghq.com/i.png',
          }),
          metricFact({ query: 'avg:none{*}', impactLine: null, snapshotUrl: null }),
        ],
      }),
      'Impact',
    );
    expect(impact).toContain(
      '### The metric\n\n- `avg:disk{host:db-1}`: Peak 99 at 10:05 UTC (threshold 95); first above it at 10:00, back below at 10:44. [Graph](https://p.datadoghq.com/g.png).\n- `avg:inodes{*}`: No data in the window. [Graph](https://p.datadoghq.com/i.png).\n\n### Users',
    );
    expect(impact).not.toContain('avg:none');
  });

  it('when the graph link is not a safe one, then the figures stand without it; with neither, there is no part', () => {
    expect(
      section(render({ metrics: [metricFact({ snapshotUrl: 'javascript:alert(1)' })] }), 'Impact'),
    ).toContain(
      '### The metric\n\nPeak 99 at 10:05 UTC (threshold 95); first above it at 10:00, back below at 10:44.\n\n### Users',
    );
    const bare = render({ metrics: [metricFact({ impactLine: null, snapshotUrl: 'ftp://x' })] });
    expect(bare).not.toContain('### The metric');
    expect(render({ metrics: [] })).not.toContain('### The metric');
  });

  it('when changes shortly before were found, then they close the Root cause section, with the question', () => {
    const markdown = render({
      changes: [
        {
          id: '1',
          at: new Date('2026-05-04T09:50:00Z'),
          title: 'Deployed db 2.1',
          source: 'github',
          kind: 'deployment',
          url: 'https://app.datadoghq.com/event/event?id=1',
        },
      ],
    });
    expect(section(markdown, 'Root cause')).toMatch(
      /### Process factors\n\n_To fill: [^\n]+_\n\n### Changes shortly before\n\n- 09:50 UTC: \[Deployed db 2\.1\]\(https:\/\/app\.datadoghq\.com\/event\/event\?id=1\) \(github\)\n\n_Did one of these cause it\?_$/,
    );
    expect(render({ changes: [] })).not.toContain('Changes shortly before');
    expect(render({})).not.toContain('Changes shortly before');
  });
});
