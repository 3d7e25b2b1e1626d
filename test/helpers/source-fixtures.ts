/**
 * The fixtures under test/fixtures/<source>/, one JSON file each, read the way the webhook route reads a
 * request: the bytes through parseWebhookBody with the fixture's Content-Type, then the source's parse.
 *
 * A fixture: { description: "when ..., then ...", contentType, body (a JSON value, or the raw text), headers?,
 * env? (the source's settings variables), receivedAt?, lifecycle? ("trigger" | "recovery": the pair the
 * integration test plays), and one of expect (one alert, matched as a subset), expectAlerts (each alert, in
 * order), expectIgnored (a pattern the `ignored` reason matches, no alerts) or expectError ({ field }) }.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseWebhookBody } from '../../src/http/webhook-body';
import type { Source, SourceResult } from '../../src/sources';

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

/** The source's settings as config/index.ts would parse them from the fixture's variables. */
export function settingsFor(source: Source, env: Record<string, string> = {}): unknown {
  return source.settings === undefined ? undefined : source.settings.parse(env);
}

/** Runs the source over the fixture as the route would (the signature is the route's, not checked here). */
export function parseFixture(source: Source, fixture: SourceFixture): SourceResult {
  const headers = new Map(Object.entries(fixture.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const body = parseWebhookBody(
    Buffer.from(rawBodyOf(fixture), 'utf8'),
    fixture.contentType,
    source.bodyFormats,
  );
  return source.parse(body.value, {
    receivedAt: new Date(fixture.receivedAt ?? fixture.context?.receivedAt ?? FIXTURE_RECEIVED_AT),
    rawBody: body.raw,
    serviceTagKeys: fixture.context?.serviceTagKeys ?? ['service'],
    hostTagKeys: fixture.context?.hostTagKeys ?? ['host'],
    header: (name) => headers.get(name.toLowerCase()),
    settings: settingsFor(source, fixture.env),
  });
}

/** The fixture's expected alerts, when it expects alerts. */
export function expectedAlerts(fixture: SourceFixture): Record<string, unknown>[] | null {
  if (fixture.expect !== undefined) return [fixture.expect];
  return fixture.expectAlerts ?? null;
}
