import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config';
import { configProblemsOf } from '../helpers/config';
import { MAX_MAPPING_FILE_BYTES, loadGenericMappings } from '../../config/generic';

const EXAMPLE = readFileSync(
  path.join(__dirname, '..', '..', 'config', 'generic-examples', 'example-ci.json'),
  'utf8',
);
const base = { WEBHOOK_TOKEN: 'w'.repeat(20), API_TOKEN: 'a'.repeat(20) };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hindsight-mappings-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A mapping file `<name>.json`: the example's, renamed. */
function writeMapping(
  name: string,
  edit: (mapping: Record<string, unknown>) => void = () => undefined,
): void {
  const mapping = JSON.parse(EXAMPLE) as Record<string, unknown>;
  mapping.name = name;
  edit(mapping);
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(mapping));
}

const problemsOf = configProblemsOf;

describe('loadGenericMappings', () => {
  test('when the default directory does not exist, then no endpoint is mapped and nothing is wrong', () => {
    expect(loadGenericMappings({}, dir)).toEqual({ sources: [], problems: [] });
  });

  test('when a named directory does not exist, then GENERIC_MAPPINGS_DIR is named', () => {
    const result = loadGenericMappings({ GENERIC_MAPPINGS_DIR: path.join(dir, 'nope') });
    expect(result.sources).toEqual([]);
    expect(result.problems).toEqual([
      expect.stringMatching(/^GENERIC_MAPPINGS_DIR: cannot read the directory .*nope \(ENOENT\)$/),
    ]);
  });

  test('when the directory holds mappings and other files, then each .json is one endpoint, in name order', () => {
    writeMapping('zeta-ci');
    writeMapping('alpha-ci');
    writeFileSync(path.join(dir, 'README.md'), '# not a mapping');
    const result = loadGenericMappings({ GENERIC_MAPPINGS_DIR: dir });
    expect(result.problems).toEqual([]);
    expect(result.sources.map((s) => [s.name, s.bodyFormats])).toEqual([
      ['generic/alpha-ci', ['json']],
      ['generic/zeta-ci', ['json']],
    ]);
  });

  test('when mappings are wrong, then each problem names the variable, the endpoint and the field, and the good ones still load', () => {
    writeMapping('good');
    writeMapping('bad-cel', (m) => {
      (m.fields as Record<string, string>).status = 'alert.result ==';
    });
    writeMapping('bad-field', (m) => {
      (m.fields as Record<string, string>).colour = 'alert.name';
    });
    writeFileSync(path.join(dir, 'half.json'), '{"name": ');
    const result = loadGenericMappings({ GENERIC_MAPPINGS_DIR: dir });
    expect(result.sources.map((s) => s.name)).toEqual(['generic/good']);
    expect(result.problems).toEqual([
      expect.stringMatching(/^GENERIC_MAPPINGS_DIR: generic\/bad-cel: fields\.status: /),
      expect.stringMatching(/^GENERIC_MAPPINGS_DIR: generic\/bad-field: fields\.colour: unknown field/),
      expect.stringMatching(/^GENERIC_MAPPINGS_DIR: half\.json: file: is not JSON/),
    ]);
  });

  test('when a mapping file is too large, then it is refused by name', () => {
    writeFileSync(path.join(dir, 'huge.json'), ' '.repeat(MAX_MAPPING_FILE_BYTES + 1));
    expect(loadGenericMappings({ GENERIC_MAPPINGS_DIR: dir }).problems).toEqual([
      `GENERIC_MAPPINGS_DIR: huge.json: file: is larger than ${MAX_MAPPING_FILE_BYTES} bytes`,
    ]);
  });
});

describe('loadConfig with mapped endpoints', () => {
  test('when a mapping is loaded, then it is served after the list, with the shared token or its own', () => {
    writeMapping('ci-jobs');
    const shared = loadConfig({ ...base, GENERIC_MAPPINGS_DIR: dir });
    expect(shared.webhookSources.at(-1)?.name).toBe('generic/ci-jobs');
    expect(shared.webhookTokens['generic/ci-jobs']).toBe(base.WEBHOOK_TOKEN);
    const own = loadConfig({
      ...base,
      GENERIC_MAPPINGS_DIR: dir,
      WEBHOOK_TOKEN_GENERIC_CI_JOBS: 'c'.repeat(24),
    });
    expect(own.webhookTokens['generic/ci-jobs']).toBe('c'.repeat(24));
  });

  test('when a mapping is bad or its token too short, then the start is refused naming both', () => {
    writeMapping('ci-jobs');
    writeMapping('broken', (m) => {
      delete (m.fields as Record<string, string>).title;
    });
    expect(
      problemsOf({ ...base, GENERIC_MAPPINGS_DIR: dir, WEBHOOK_TOKEN_GENERIC_CI_JOBS: 'short' }),
    ).toEqual([
      expect.stringMatching(/^GENERIC_MAPPINGS_DIR: generic\/broken: fields\.title: /),
      'WEBHOOK_TOKEN_GENERIC_CI_JOBS: must be at least 16 characters',
    ]);
  });
});
