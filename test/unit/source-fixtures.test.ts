/**
 * Every source in the list, over every fixture in its folder: the table that a new fixture joins by being
 * written. Source-specific behaviour beyond one payload is tested in each source's own test file.
 */
import { ValidationError } from '../../src/errors';
import { SOURCES } from '../../src/sources';
import { expectedAlerts, fixturesOf, parseFixture, type SourceFixture } from '../helpers/source-fixtures';

const outcomes = (fixture: SourceFixture) =>
  [expectedAlerts(fixture), fixture.expectIgnored, fixture.expectError].filter(
    (x) => x !== undefined && x !== null,
  );

describe.each(SOURCES.map((source) => [source.name, source] as const))('%s fixtures', (name, source) => {
  test('when its fixture folder is read, then it has a lifecycle, and each fixture says when/then and expects one outcome', () => {
    const fixtures = fixturesOf(name);
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
    expect(fixtures.filter((f) => f.lifecycle === 'trigger')).toHaveLength(1);
    expect(fixtures.filter((f) => f.lifecycle === 'recovery')).toHaveLength(1);
    for (const fixture of fixtures) {
      expect([fixture.file, fixture.description]).toEqual([
        fixture.file,
        expect.stringMatching(/^when .+, then .+/),
      ]);
      expect([fixture.file, outcomes(fixture).length]).toEqual([fixture.file, 1]);
    }
  });

  test.each(fixturesOf(name).map((fixture) => [fixture.file, fixture] as const))('%s', (_file, fixture) => {
    if (fixture.expectError !== undefined) {
      let thrown: unknown = null;
      try {
        parseFixture(source, fixture);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).field).toBe(fixture.expectError.field);
      return;
    }
    const result = parseFixture(source, fixture);
    if (fixture.expectIgnored !== undefined) {
      expect(result.alerts).toEqual([]);
      expect(result.ignored).toMatch(new RegExp(fixture.expectIgnored));
      return;
    }
    const expected = expectedAlerts(fixture) ?? [];
    expect(result.ignored).toBeUndefined();
    expect(result.alerts).toHaveLength(expected.length);
    expected.forEach((alert, i) => {
      expect(result.alerts[i]).toMatchObject({ source: name, ...alert });
    });
  });
});
