/**
 * Every source in the list, over every fixture in its folder: the table that a new fixture joins by being
 * written. Source-specific behaviour beyond one payload is tested in each source's own test file.
 */
import { SOURCES } from '../../src/sources';
import { describeFixtureTable } from '../helpers/source-fixtures';

describe.each(SOURCES.map((source) => [source.name, source] as const))('%s fixtures', (name, source) => {
  describeFixtureTable(name, () => source);
});
