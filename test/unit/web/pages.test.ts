/** The pages' pure parts: Markdown rendering, escaping of hostile text in the views, times, links and the chart. */
import { renderMarkdown } from '../../../src/web/markdown';
import { CHART, metricCharts } from '../../../src/web/metric-chart';
import { lateness, safeHref, shownTime } from '../../../src/web/page-format';
import { renderView } from '../../../src/web/views';

const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`;
const person = { name: `eve${HOSTILE}`, csrfToken: 'tok"en', via: 'session' as const };

describe('Markdown as the pages show it', () => {
  it('when it carries raw HTML, then the HTML is shown as text', () => {
    const html = renderMarkdown(`**bold** ${HOSTILE}`);
    expect(html).toContain('<strong>bold</strong>');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('when it links, then http(s) and mailto links are kept without a referrer, and other schemes are not links', () => {
    const html = renderMarkdown(
      '[a](https://example.com/x) [b](javascript:alert(1)) [c](data:text/html,x) [d](mailto:a@b.c) [e](vbscript:x)',
    );
    expect(html).toContain('<a href="https://example.com/x" rel="noopener noreferrer nofollow">a</a>');
    expect(html).toContain('<a href="mailto:a@b.c" rel="noopener noreferrer nofollow">d</a>');
    expect(html).not.toMatch(/href="(javascript|data|vbscript):/);
  });

  it('when it embeds an image, then no image is loaded', () => {
    expect(renderMarkdown('![x](https://tracker.example.com/p.png)')).not.toContain('<img');
  });
});

describe('the views escape what monitors and people wrote', () => {
  const incidentRow = {
    id: '0123456789abcdef01234567',
    title: HOSTILE,
    status: 'open',
    severity: HOSTILE,
    source: 'datadog',
    services: HOSTILE,
    detectedAt: { text: '2026-06-14 10:05:00', zone: 'CEST', iso: '2026-06-14T08:05:00.000Z' },
    duration: '5 min so far',
    postmortem: null,
  };

  it('when an incident list shows hostile titles, services and names, then none of it is markup', () => {
    const html = renderView('incidents', {
      title: HOSTILE,
      person,
      filters: { service: `"><script>x</script>` },
      sources: ['datadog'],
      timezone: 'Europe/Paris',
      open: { rows: [incidentRow], more: false },
      recent: { rows: [] },
      nextPage: null,
      live: true,
    });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('"><script>x</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('value="tok&quot;en"');
    expect(html).toContain('Signed in as <strong data-testid="signed-in-as">eve&lt;script&gt;');
  });

  it('when an incident page shows hostile alerts, timeline and monitors, then none of it is markup', () => {
    const at = { text: 't', zone: 'UTC', iso: 'i' };
    const html = renderView('incident', {
      title: HOSTILE,
      person,
      incident: {
        id: '0123456789abcdef01234567',
        title: HOSTILE,
        status: 'open',
        severity: 'P1',
        source: 'datadog',
        services: [HOSTILE],
        hosts: [HOSTILE],
        detectedAt: at,
        resolvedAt: null,
        duration: null,
        monitors: [{ name: HOSTILE, href: null, query: HOSTILE }],
        alerts: [{ key: HOSTILE, scope: HOSTILE, status: 'triggered', triggeredAt: at, recoveredAt: null }],
        timeline: [{ at, kind: 'note', message: HOSTILE, late: null }],
        acknowledgedBy: [HOSTILE],
      },
      acknowledgedByMe: false,
      postmortem: null,
      charts: [],
      timezone: 'UTC',
    });
    expect(html).not.toMatch(/<script>alert|<img src=x/);
    expect(html.split('&lt;script&gt;alert(1)&lt;/script&gt;').length - 1).toBeGreaterThanOrEqual(8);
  });
});

describe('times and links on the pages', () => {
  it('when a time is shown, then it is in the zone with seconds and the zone name of that instant', () => {
    expect(shownTime(new Date('2026-06-14T08:05:09Z'), 'Europe/Paris')).toEqual({
      text: '2026-06-14 10:05:09',
      zone: 'CEST',
      iso: '2026-06-14T08:05:09.000Z',
    });
    expect(shownTime(new Date('2026-12-14T08:05:09Z'), 'Europe/Paris').zone).toBe('CET');
  });

  it('when an event arrived a minute or more after the monitor time, then how late is said', () => {
    const at = new Date('2026-06-14T08:00:00Z');
    expect(lateness(at, new Date('2026-06-14T08:00:59Z'))).toBeNull();
    expect(lateness(at, new Date('2026-06-14T08:04:00Z'))).toBe("arrived 4 min after the monitor's time");
  });

  it('when a monitor link is not http(s), then it is not a link', () => {
    expect(safeHref('https://app.datadoghq.com/monitors/1')).toBe('https://app.datadoghq.com/monitors/1');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
    expect(safeHref(null)).toBeNull();
    expect(safeHref(`https://x.example/${'a'.repeat(2001)}`)).toBeNull();
  });
});

describe('the metric chart', () => {
  const detectedAt = new Date('2026-06-14T08:10:00Z');
  const resolvedAt = new Date('2026-06-14T08:40:00Z');
  const from = Date.parse('2026-06-14T08:00:00Z');
  const metric = (points: [number, number | null][], threshold = 5) => ({
    monitorId: '1',
    query: 'avg(last_5m):avg:errors{*} > 5',
    comparator: '>' as const,
    threshold,
    fromSeconds: from / 1000,
    toSeconds: from / 1000 + 3600,
    figures: {} as never,
    impactLine: 'Peak 10 at 10:20 CEST',
    series: [{ expression: null, scope: null, metric: null, unit: null, intervalSeconds: 60, points }],
    snapshotUrl: null,
  });

  it('when a series is stored, then it is drawn over the window, with a gap at a missing point, and detection and resolution marked', () => {
    const [chart] = metricCharts(
      {
        metrics: [
          metric([
            [from, 0],
            [from + 1_800_000, 10],
            [from + 2_400_000, null],
            [from + 3_600_000, 0],
          ]),
        ],
        detectedAt,
        resolvedAt,
      },
      'Europe/Paris',
    );
    expect(chart!.paths).toHaveLength(1);
    const left = CHART.left;
    const right = CHART.width - CHART.right;
    expect(chart!.paths[0]).toMatch(new RegExp(`^M${left} \\S+ L${(left + right) / 2} \\S+ M${right} \\S+$`));
    expect(chart!.marks.map((m) => m.label)).toEqual(['detected 10:10 CEST', 'resolved 10:40 CEST']);
    expect(chart!.marks[0]!.x).toBeCloseTo(left + ((right - left) * 10) / 60, 0);
    expect(chart!.threshold!.label).toBe('threshold 5');
    // The peak (10, plus a margin) is above the threshold line, which is above zero.
    expect(chart!.threshold!.y).toBeGreaterThan(CHART.top);
    expect(chart!.threshold!.y).toBeLessThan(CHART.height - CHART.bottom);
    expect(chart!.description).toContain('Peak 10 at 10:20 CEST');
  });

  it('when nothing has a value, or no metric is stored, then there is no chart', () => {
    expect(metricCharts({ metrics: [metric([[from, null]])], detectedAt, resolvedAt }, 'UTC')).toEqual([]);
    expect(metricCharts({ detectedAt, resolvedAt }, 'UTC')).toEqual([]);
  });
});
