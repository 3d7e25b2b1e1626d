/**
 * The fixtures under test/fixtures/<source>/, one JSON file each, read the way the webhook route reads a
 * request: the bytes through readWebhookBody with the fixture's Content-Type, then the source's parse.
 *
 * A fixture: { description: "when ..., then ...", contentType, body (a JSON value, or the raw text, such as a
 * multipart body with its CRLFs), headers?,
 * env? (the source's settings variables), receivedAt?, lifecycle? ("trigger" | "recovery": the pair the
 * integration test plays), and one of expect (one alert, matched as a subset), expectAlerts (each alert, in
 * order), expectIgnored (a pattern the `ignored` reason matches, no alerts) or expectError ({ field }) }.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../src/errors';
import { parseWebhookBody, readWebhookBody, type WebhookBody } from '../../src/http/webhook-body';
import type { Source, SourceContext, SourceResult } from '../../src/sources';

export const FIXTURES_ROOT = join(__dirname, '..', 'fixtures');
export const FIXTURE_RECEIVED_AT = '2026-06-14T10:02:30Z';

export interface SourceFixture {
  file: string;
  description: string;
  contentType: string;
  body: unknown;
  headers?: Record<string, string>;
  env?: Record<string, string>;
  receivedAt?: string;
  context?: { receivedAt?: string; serviceTagKeys?: string[]; hostTagKeys?: string[] };
  lifecycle?: 'trigger' | 'recovery';
  expect?: Record<string, unknown>;
  expectAlerts?: Record<string, unknown>[];
  expectIgnored?: string;
  expectError?: { field: string };
}

export function fixturesOf(sourceName: string): SourceFixture[] {
  const dir = join(FIXTURES_ROOT, sourceName);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<SourceFixture, 'file'>),
    }));
}

export function fixtureNamed(sourceName: string, name: string): SourceFixture {
  const fixture = fixturesOf(sourceName).find((candidate) => candidate.file === `${name}.json`);
  if (fixture === undefined) throw new Error(`no fixture ${sourceName}/${name}.json`);
  return fixture;
}

/** The bytes a monitor would send for this fixture. */
export function rawBodyOf(fixture: SourceFixture): string {
  return typeof fixture.body === 'string' ? fixture.body : JSON.stringify(fixture.body);
}

/**
 * The context of a request received at FIXTURE_RECEIVED_AT, with the default tag keys, no settings and the
 * `headers` given (looked up by name in any case); `overrides` replace any of its fields.
 */
export function sourceContext(
  rawBody: string,
  overrides: Partial<SourceContext> = {},
  headers: Record<string, string> = {},
): SourceContext {
  const byName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    receivedAt: new Date(FIXTURE_RECEIVED_AT),
    rawBody,
    serviceTagKeys: ['service'],
    hostTagKeys: ['host'],
    header: (name) => byName.get(name.toLowerCase()),
    settings: undefined,
    ...overrides,
  };
}

/** The source's settings as config/index.ts would parse them from the fixture's variables. */
export function settingsFor(source: Source, env: Record<string, string> = {}): unknown {
  return source.settings === undefined ? undefined : source.settings.parse(env);
}

/** Runs the source over the fixture as the route would (the signature is the route's, not checked here). */
export async function readFixture(source: Source, fixture: SourceFixture): Promise<SourceResult> {
  const bytes = Buffer.from(rawBodyOf(fixture), 'utf8');
  return parseBodyOf(source, fixture, await readWebhookBody(bytes, fixture.contentType, source.bodyFormats));
}

/** readFixture, synchronously, for a fixture in any format but multipart/form-data (see parseWebhookBody). */
export function parseFixture(source: Source, fixture: SourceFixture): SourceResult {
  const bytes = Buffer.from(rawBodyOf(fixture), 'utf8');
  return parseBodyOf(source, fixture, parseWebhookBody(bytes, fixture.contentType, source.bodyFormats));
}

/** The source's parse of the fixture's body, with the request's headers (its Content-Type among them). */
function parseBodyOf(source: Source, fixture: SourceFixture, body: WebhookBody): SourceResult {
  return source.parse(
    body.value,
    sourceContext(
      body.raw,
      {
        receivedAt: new Date(fixture.receivedAt ?? fixture.context?.receivedAt ?? FIXTURE_RECEIVED_AT),
        serviceTagKeys: fixture.context?.serviceTagKeys ?? ['service'],
        hostTagKeys: fixture.context?.hostTagKeys ?? ['host'],
        settings: settingsFor(source, fixture.env),
      },
      { 'Content-Type': fixture.contentType, ...fixture.headers },
    ),
  );
}

/** The fixture's expected alerts, when it expects alerts. */
export function expectedAlerts(fixture: SourceFixture): Record<string, unknown>[] | null {
  if (fixture.expect !== undefined) return [fixture.expect];
  return fixture.expectAlerts ?? null;
}

const outcomesOf = (fixture: SourceFixture) =>
  [expectedAlerts(fixture), fixture.expectIgnored, fixture.expectError].filter(
    (outcome) => outcome !== undefined && outcome !== null,
  );

/**
 * The fixture table of one folder, as tests: the folder holds a lifecycle pair and says when/then with one
 * expected outcome per fixture, and each fixture gives its outcome through `sourceOf()` (called per test, so
 * a test builds its own source). Alerts are matched as subsets, with `source` set to the source's name.
 */
export function describeFixtureTable(folder: string, sourceOf: () => Source, minimum = 5): void {
  test('when its fixture folder is read, then it has a lifecycle, and each fixture says when/then and expects one outcome', () => {
    const fixtures = fixturesOf(folder);
    expect(fixtures.length).toBeGreaterThanOrEqual(minimum);
    expect(fixtures.filter((f) => f.lifecycle === 'trigger')).toHaveLength(1);
    expect(fixtures.filter((f) => f.lifecycle === 'recovery')).toHaveLength(1);
    for (const fixture of fixtures) {
      expect([fixture.file, fixture.description]).toEqual([
        fixture.file,
        expect.stringMatching(/^when .+, then .+/),
      ]);
      expect([fixture.file, outcomesOf(fixture).length]).toEqual([fixture.file, 1]);
    }
  });

  const table = fixturesOf(folder).map((fixture) => [fixture.file, fixture] as const);
  test.each(table)('%s', async (_file, fixture) => {
    const source = sourceOf();
    if (fixture.expectError !== undefined) {
      let thrown: unknown = null;
      try {
        await readFixture(source, fixture);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).field).toBe(fixture.expectError.field);
      return;
    }
    const result = await readFixture(source, fixture);
    if (fixture.expectIgnored !== undefined) {
      expect(result.alerts).toEqual([]);
      expect(result.ignored).toMatch(new RegExp(fixture.expectIgnored));
      return;
    }
    const expected = expectedAlerts(fixture) ?? [];
    expect(result.ignored).toBeUndefined();
    expect(result.alerts).toHaveLength(expected.length);
    expected.forEach((alert, i) => {
      expect(result.alerts[i]).toMatchObject({ source: source.name, ...alert });
    });
  });
}

/** A source's lifecycle pair: the trigger and the recovery the integration tests play. */
export function lifecycleOf(folder: string): { trigger: SourceFixture; recovery: SourceFixture } {
  const fixtures = fixturesOf(folder);
  const trigger = fixtures.find((f) => f.lifecycle === 'trigger');
  const recovery = fixtures.find((f) => f.lifecycle === 'recovery');
  if (trigger === undefined || recovery === undefined) throw new Error(`${folder} has no lifecycle pair`);
  return { trigger, recovery };
}
