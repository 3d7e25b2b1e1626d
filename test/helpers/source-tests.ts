/**
 * What the unit tests of the sources (test/unit/<source>.*.test.ts) share beyond their fixture tables: the
 * context the webhook route hands a source, a body parsed with it, the alerts it must give, the ValidationError
 * it must throw, and the alerts of one fixture.
 *
 * A body is sent as its JSON text (`rawBody`); a test that reads other bytes passes `{ rawBody }` in the
 * overrides, and one that needs settings passes `{ settings }`.
 */
import type { Alert } from '../../src/domain/alert';
import { ValidationError } from '../../src/errors';
import type { Source, SourceContext, SourceResult } from '../../src/sources/source';
import { fixtureNamed, parseFixture, sourceContext } from './source-fixtures';

export { sourceContext } from './source-fixtures';

/** What parses a body: a source, or an adapter wrapped as `{ parse: parseXWebhook }` (only `parse` is read). */
export type Parser = Pick<Source, 'parse'>;

/** The body parsed as if sent as its JSON text (`''` for undefined). */
export function parseBody(
  parser: Parser,
  body: unknown,
  overrides: Partial<SourceContext> = {},
): SourceResult {
  return parser.parse(body, sourceContext(JSON.stringify(body) ?? '', overrides));
}

/** The alerts of a result that must give alerts: it is not ignored. */
function alertsIn(result: SourceResult): Alert[] {
  expect(result.ignored).toBeUndefined();
  return result.alerts;
}

/** The one alert of a list that must hold exactly one. */
export function onlyAlert(alerts: readonly Alert[]): Alert {
  expect(alerts).toHaveLength(1);
  return alerts[0]!;
}

/** The one alert of a result that must give exactly one, and not be ignored. */
export function onlyAlertIn(result: SourceResult): Alert {
  return onlyAlert(alertsIn(result));
}

/** The alerts of a body that must give alerts (see parseBody). */
export function alertsOf(parser: Parser, body: unknown, overrides: Partial<SourceContext> = {}): Alert[] {
  return alertsIn(parseBody(parser, body, overrides));
}

/** The one alert of a body that must give exactly one (see parseBody). */
export function onlyAlertOf(parser: Parser, body: unknown, overrides: Partial<SourceContext> = {}): Alert {
  return onlyAlertIn(parseBody(parser, body, overrides));
}

/** The ValidationError `read` throws; the test fails when it throws anything else, or nothing. */
export function validationErrorOf(read: () => unknown): ValidationError {
  let thrown: unknown = null;
  try {
    read();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ValidationError);
  return thrown as ValidationError;
}

/** The field of the ValidationError `read` throws (see validationErrorOf). */
export function validationFieldOf(read: () => unknown): string {
  return validationErrorOf(read).field;
}

/** The ValidationError parsing the body throws (see parseBody and validationErrorOf). */
export function parseErrorOf(
  parser: Parser,
  body: unknown,
  overrides: Partial<SourceContext> = {},
): ValidationError {
  return validationErrorOf(() => parseBody(parser, body, overrides));
}

/** The alerts of the fixture test/fixtures/<folder>/<name>.json, read as the route reads it. */
export function fixtureAlerts(source: Source, folder: string, name: string): Alert[] {
  return parseFixture(source, fixtureNamed(folder, name)).alerts;
}

/** The one alert of a fixture that must give exactly one. */
export function onlyFixtureAlert(source: Source, folder: string, name: string): Alert {
  return onlyAlert(fixtureAlerts(source, folder, name));
}
