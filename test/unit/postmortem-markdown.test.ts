/**
 * The rendered postmortem against golden files (test/fixtures/postmortem/*.md), compared byte for byte. The
 * golden files are the spec: read them as the on-call engineer would.
 *
 * The Lagos goldens say `WAT`, as the reference report does; ICU versions that name the zone `GMT+1` may read
 * that name instead, consistently throughout (the documented alternatives of test/helpers/postmortems.ts,
 * never a name asked from Intl).
 *
 * `UPDATE_GOLDEN=1` rewrites the golden files from the renderer (Lagos names written back as `WAT`) and then
 * fails each golden test, since a file compared with itself proves nothing: read the diff, then rerun without
 * UPDATE_GOLDEN. CI never sets it (.ci/run unsets it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Postmortem } from '../../src/domain/postmortem';
import { draftPostmortemFacts, redraftPostmortem } from '../../src/domain/postmortem-draft';
import { presentPostmortemJson, renderPostmortemMarkdown } from '../../src/domain/postmortem-markdown';
import { makeAlert } from '../helpers/alerts';
import {
  actionItem,
  incidentFrom,
  LAGOS_NAMES,
  referenceIncident,
  REFERENCE_URL,
} from '../helpers/postmortems';
import { FILLED_ITEMS, FILLED_SECTIONS } from '../helpers/postmortem-sections';

const GOLDEN_DIR = join(__dirname, '../fixtures/postmortem');

/** How the goldens spell a zone (the key), and the names it may read in instead (the first is that spelling). */
type ZoneSpellings = Record<string, readonly string[]>;

function expectGolden(file: string, markdown: string, zones: ZoneSpellings = {}): void {
  const path = join(GOLDEN_DIR, file);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, Object.entries(zones).reduce(inGoldenSpelling, markdown));
    throw new Error(
      `UPDATE_GOLDEN=1: golden file ${file} rewritten, not compared; read its diff, then rerun without UPDATE_GOLDEN`,
    );
  }
  // Every way the golden may read: each zone's spelling replaced by one of its names, the same throughout.
  const readings = Object.entries(zones).reduce(
    (texts, [spelling, names]) =>
      texts.flatMap((text) => names.map((name) => text.replace(nameRegExp(spelling), name))),
    [readFileSync(path, 'utf8')],
  );
  // Compared with the matching reading, else with the golden's own spelling, so a failure shows its diff.
  expect(markdown).toBe(readings.find((reading) => reading === markdown) ?? readings[0]);
}

function inGoldenSpelling(text: string, [spelling, names]: [string, readonly string[]]): string {
  return names.reduce((out, name) => out.replace(nameRegExp(name), spelling), text);
}

function nameRegExp(name: string): RegExp {
  return new RegExp(`(?<![\\w+-])${name.replace(/[+]/g, '\\+')}(?![\\w+-])`, 'g');
}

const draftedAt = new Date('2019-06-28T19:00:00Z');

function referenceDraft(): Postmortem {
  const facts = draftPostmortemFacts(referenceIncident(), {
    timezone: 'Africa/Lagos',
    incidentUrl: REFERENCE_URL,
  });
  return redraftPostmortem(null, facts, draftedAt);
}

describe('renderPostmortemMarkdown (golden files)', () => {
  it('when the reference incident resolves, then the draft reads like the reference report', () => {
    expectGolden('reference-incident-draft.md', renderPostmortemMarkdown(referenceDraft(), []), {
      WAT: LAGOS_NAMES,
    });
  });

  it('when people wrote every section and the action items, then the published postmortem shows them', () => {
    const published: Postmortem = {
      ...referenceDraft(),
      status: 'published',
      sections: FILLED_SECTIONS,
      version: 9,
      publishedAt: new Date('2019-07-02T10:00:00Z'),
    };
    expectGolden('reference-incident-published.md', renderPostmortemMarkdown(published, FILLED_ITEMS), {
      WAT: LAGOS_NAMES,
    });
  });

  it('when summer time starts during the incident, then every time carries the zone name of its instant', () => {
    const postmortem = redraftPostmortem(
      null,
      draftPostmortemFacts(parisIncident(), parisOptions),
      draftedAt,
    );
    const items = [
      actionItem({ id: 'p1', incidentId: 'inc-paris-dst', task: 'Page on 5xx rate, not only on errors' }),
    ];
    expectGolden('dst-change-draft.md', renderPostmortemMarkdown(postmortem, items));
  });
});

describe('renderPostmortemMarkdown: incidents over midnight and reopened ones', () => {
  it('when the incident runs past midnight in the zone, then the summary and timeline carry dates', () => {
    const incident = incidentFrom('inc-night', [
      { alert: makeAlert({ transition: 'triggered', at: '2019-06-28T22:50:00Z' }) },
      { alert: makeAlert({ transition: 'recovered', at: '2019-06-28T23:40:00Z' }) },
    ]);
    const options = { timezone: 'Africa/Lagos', incidentUrl: 'https://h.example/i' };
    const lines = renderPostmortemMarkdown(
      redraftPostmortem(null, draftPostmortemFacts(incident, options), draftedAt),
      [],
    ).split('\n');
    // The zone's name as the start line gives it: one of the documented ones, and the same on every line.
    const start = '- Start: 2019-06-28 23:50 ';
    const name = lines.find((line) => line.startsWith(start))?.slice(start.length);
    expect(LAGOS_NAMES).toContain(name);
    expect(lines).toEqual(
      expect.arrayContaining([
        '- Date: 2019-06-28 to 2019-06-29',
        `- Start: 2019-06-28 23:50 ${name}`,
        `- End: 2019-06-29 00:40 ${name}`,
        `- 2019-06-28 23:50 ${name}: Alert triggered on host:web-1`,
        `- 2019-06-29 00:40 ${name}: All alerts recovered: incident resolved`,
      ]),
    );
  });

  it('when the incident reopened before it resolved, then the summary says how often', () => {
    const incident = incidentFrom('inc-again', [
      { alert: makeAlert({ transition: 'triggered', at: '2026-06-14T10:00:00Z' }) },
      { alert: makeAlert({ transition: 'recovered', at: '2026-06-14T10:10:00Z' }) },
      { alert: makeAlert({ transition: 'triggered', at: '2026-06-14T10:20:00Z' }) },
      { alert: makeAlert({ transition: 'recovered', at: '2026-06-14T10:30:00Z' }) },
    ]);
    const facts = draftPostmortemFacts(incident, { timezone: 'UTC', incidentUrl: 'https://h.example/i' });
    const markdown = renderPostmortemMarkdown(redraftPostmortem(null, facts, draftedAt), []);
    expect(markdown).toContain('- Reopened: once\n');
    expect(markdown).toContain('- 10:20 UTC: Incident reopened\n');
  });

  it('when the monitor renotified 400 times, then the timeline tells its first and last 100 entries and says where the rest are', () => {
    const start = Date.parse('2026-06-14T10:00:00Z');
    const incident = incidentFrom('inc-long', [
      ...Array.from({ length: 400 }, (_, i) => ({
        alert: makeAlert({
          transition: i === 0 ? 'triggered' : 'retriggered',
          at: new Date(start + i * 60_000).toISOString(),
        }),
      })),
      { alert: makeAlert({ transition: 'recovered', at: new Date(start + 400 * 60_000).toISOString() }) },
    ]);
    const facts = draftPostmortemFacts(incident, { timezone: 'UTC', incidentUrl: 'https://h.example/i' });
    expect(facts.timeline).toHaveLength(200);
    expect(facts.timelineOmitted).toBe(402 - 200);
    const markdown = renderPostmortemMarkdown(redraftPostmortem(null, facts, draftedAt), []);
    expect(markdown).toContain(
      "_202 more entries, the monitors' repeated notifications, are on the incident's page._",
    );
    expect(markdown).toContain('All alerts recovered: incident resolved');
  });
});

describe('presentPostmortemJson', () => {
  // Built for each test, not when the file loads: mutation testing then knows which tests use it.
  let published: Postmortem;
  let json: ReturnType<typeof presentPostmortemJson>;
  beforeEach(() => {
    published = {
      ...referenceDraft(),
      status: 'published',
      sections: FILLED_SECTIONS,
      publishedAt: new Date('2019-07-02T10:00:00Z'),
    };
    json = presentPostmortemJson(published, FILLED_ITEMS);
  });

  it('when presented, then it is plain JSON with ISO-8601 UTC times', () => {
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json.facts.detectedAt).toBe('2019-06-28T17:26:00.000Z');
    expect(json.facts.timeline[0]?.receivedAt).toBe('2019-06-28T17:27:04.000Z');
    expect(json.publishedAt).toBe('2019-07-02T10:00:00.000Z');
    expect(json.actionItems[0]?.createdAt).toBe('2019-07-01T09:00:00.000Z');
  });

  it('when presented, then it carries the sections, what blocks publication and the document', () => {
    expect(json.sections).toEqual(FILLED_SECTIONS);
    expect(json.missingForPublication).toEqual([]);
    expect(json.markdown).toBe(renderPostmortemMarkdown(published, FILLED_ITEMS));
    expect(presentPostmortemJson(referenceDraft(), []).missingForPublication).toHaveLength(2);
  });
});

const parisOptions = {
  timezone: 'Europe/Paris',
  incidentUrl: 'https://hindsight.example.com/api/incidents/inc-paris-dst',
};

/** Paris moves to summer time at 01:00 UTC on 2026-03-29: the incident runs from 01:30 CET to 03:30 CEST. */
function parisIncident() {
  const api = (scope: string, transition: 'triggered' | 'recovered', at: string) =>
    makeAlert({
      transition,
      at,
      scope,
      groupKey: 'datadog:monitor:501',
      title: 'API 5xx rate',
      severity: 'P2',
      services: ['api'],
      monitor: { id: '501', name: 'API 5xx rate', url: 'https://app.datadoghq.eu/monitors/501', query: null },
    });
  return incidentFrom(
    'inc-paris-dst',
    [
      { alert: api('host:api-1', 'triggered', '2026-03-29T00:30:00.000Z') },
      {
        alert: api('host:api-2', 'triggered', '2026-03-29T00:55:00.000Z'),
        receivedAt: '2026-03-29T01:09:00.000Z',
      },
      { alert: api('host:api-1', 'recovered', '2026-03-29T01:10:00.000Z') },
      { alert: api('host:api-2', 'recovered', '2026-03-29T01:30:00.000Z') },
    ],
    {
      acks: [
        { by: 'bob', at: new Date('2026-03-29T00:50:00Z'), receivedAt: new Date('2026-03-29T00:50:00Z') },
      ],
    },
  );
}
