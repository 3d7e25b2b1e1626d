/**
 * Mapped endpoints: the example mapping over its fixtures (test/fixtures/generic-mappings/example-ci/), the
 * compile errors of bad mapping files (…/compile-errors/), and how a mapping is applied.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../src/errors';
import type { Source } from '../../src/sources';
import {
  GenericMappingError,
  applyMapping,
  compileMapping,
  mapPayload,
  mappedGenericSource,
  type CompiledMapping,
} from '../../src/sources/generic/mapping';
import { LIMITS } from '../../src/payloads/values';
import { FIXTURES_ROOT, fixtureNamed, parseFixture, describeFixtureTable } from '../helpers/source-fixtures';

const EXAMPLE_FILE = join(__dirname, '..', '..', 'config', 'generic-examples', 'example-ci.json');
const EXAMPLE_FIXTURES = 'generic-mappings/example-ci';

const exampleSource = (): Source =>
  mappedGenericSource(compileMapping(EXAMPLE_FILE, readFileSync(EXAMPLE_FILE, 'utf8')));

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an error');
}

describe('example-ci mapping fixtures', () => {
  describeFixtureTable(EXAMPLE_FIXTURES, exampleSource, 8);

  test('when the trigger and recovery fixtures are parsed, then they share groupKey and alertKey and differ in eventId', () => {
    const source = exampleSource();
    const [trigger] = parseFixture(source, fixtureNamed(EXAMPLE_FIXTURES, 'pipeline-failed')).alerts;
    const [recovery] = parseFixture(source, fixtureNamed(EXAMPLE_FIXTURES, 'pipeline-fixed')).alerts;
    expect([recovery!.groupKey, recovery!.alertKey]).toEqual([trigger!.groupKey, trigger!.alertKey]);
    expect(recovery!.eventId).not.toBe(trigger!.eventId);
    expect(Date.parse(recovery!.at)).toBeGreaterThan(Date.parse(trigger!.at));
  });

  test('when the example source is read, then it is generic/example-ci taking JSON', () => {
    const source = exampleSource();
    expect(source.name).toBe('generic/example-ci');
    expect(source.bodyFormats).toEqual(['json']);
  });
});

interface CompileErrorFixture {
  file: string;
  description: string;
  fileName: string;
  mapping: unknown;
  expectMessage: string;
}

function compileErrorFixtures(): CompileErrorFixture[] {
  const dir = join(FIXTURES_ROOT, 'generic-mappings', 'compile-errors');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<CompileErrorFixture, 'file'>),
    }));
}

describe('mapping compile errors', () => {
  test('when the folder is read, then each fixture says when/then', () => {
    const fixtures = compileErrorFixtures();
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    for (const fixture of fixtures)
      expect([fixture.file, fixture.description]).toEqual([
        fixture.file,
        expect.stringMatching(/^when .+, then .+/),
      ]);
  });

  test.each(compileErrorFixtures().map((fixture) => [fixture.file, fixture] as const))(
    '%s',
    (_file, fixture) => {
      const thrown = errorOf(() => compileMapping(fixture.fileName, fixture.mapping));
      expect(thrown).toBeInstanceOf(GenericMappingError);
      expect(thrown.message).toMatch(new RegExp(fixture.expectMessage));
    },
  );
});

const FIELDS = { key: 'alert.id', title: 'alert.name', status: 'alert.state' };

function compiled(mapping: Record<string, unknown>, fileName = 'test.json'): CompiledMapping {
  return compileMapping(fileName, { name: 'test', ...mapping });
}

describe('compileMapping', () => {
  test('when a mapping is compiled, then it keeps its name, source, fields and normalized status words', () => {
    const mapping = compiled({
      alerts: 'payload.items',
      fields: { ...FIELDS, severity: "'P1'" },
      statusMap: { 'Timed-Out': 'triggered', skipped: 'ignore' },
    });
    expect(mapping.name).toBe('test');
    expect(mapping.source).toBe('generic/test');
    expect(mapping.alerts).not.toBeNull();
    expect([...mapping.fields.keys()]).toEqual(['status', 'key', 'title', 'severity']);
    expect([...mapping.statusWords]).toEqual([
      ['timedout', 'triggered'],
      ['skipped', 'ignore'],
    ]);
  });

  test('when a mapping has no alerts expression or statusMap, then the payload is the one alert and no words are added', () => {
    const mapping = compiled({ fields: FIELDS });
    expect(mapping.alerts).toBeNull();
    expect(mapping.statusWords.size).toBe(0);
  });

  test('when the file name has folders, then only its base name must match', () => {
    expect(compileMapping('config/generic/test.json', { name: 'test', fields: FIELDS }).name).toBe('test');
    expect(compileMapping('C:\\hindsight\\generic\\test.json', { name: 'test', fields: FIELDS }).name).toBe(
      'test',
    );
  });

  test('when the name has 40 characters, then it is taken; 41 are refused', () => {
    const name = 'a'.repeat(40);
    expect(compileMapping(`${name}.json`, { name, fields: FIELDS }).name).toBe(name);
    expect(errorOf(() => compileMapping(`${name}b.json`, { name: `${name}b`, fields: FIELDS })).message).toBe(
      `${name}b.json: name: must be 1 to 40 lower-case letters, digits or -`,
    );
  });

  test('when a CEL error is long, then the compile error keeps its first 300 characters', () => {
    const thrown = errorOf(() => compiled({ fields: { ...FIELDS, title: `${'a.'.repeat(400)}` } }));
    expect(thrown.message.length).toBeLessThanOrEqual('generic/test: fields.title: '.length + 300);
  });

  test('when the mapping is given as text, then it is parsed as JSON', () => {
    expect(compileMapping('test.json', JSON.stringify({ name: 'test', fields: FIELDS })).source).toBe(
      'generic/test',
    );
  });

  test('when two statusMap words normalize to one word with the same meaning, then the mapping is taken', () => {
    const mapping = compiled({
      fields: FIELDS,
      statusMap: { timed_out: 'triggered', 'Timed-Out': 'triggered' },
    });
    expect(mapping.statusWords.get('timedout')).toBe('triggered');
  });

  test('when an expression is longer than the cap, then the error names its field', () => {
    const long = `'${'x'.repeat(2000)}'`;
    expect(errorOf(() => compiled({ fields: { ...FIELDS, message: long } })).message).toBe(
      'generic/test: fields.message: is longer than 2000 characters',
    );
  });

  test('when a compile error is thrown, then it carries the endpoint and the field', () => {
    const thrown = errorOf(() => compiled({ fields: { ...FIELDS, title: '(' } })) as GenericMappingError;
    expect(thrown.name).toBe('GenericMappingError');
    expect(thrown.endpoint).toBe('generic/test');
    expect(thrown.field).toBe('fields.title');
  });
});

describe('applyMapping', () => {
  test('when the payload is the alert, then the fields are read from it', () => {
    const inputs = applyMapping(
      compiled({ fields: { key: 'payload.k', title: 'payload.t', status: 'payload.s' } }),
      {
        k: 'x',
        t: 'T',
        s: 'ok',
      },
    );
    expect(inputs).toEqual([
      expect.objectContaining({ key: 'x', title: 'T', status: 'ok', transition: 'recovered' }),
    ]);
  });

  test('when the alerts expression gives items, then `alert` is each item and `payload` the whole body', () => {
    const mapping = compiled({
      alerts: 'payload.items',
      fields: { ...FIELDS, message: "payload.source + ':' + alert.name" },
    });
    const body = {
      source: 'cron',
      items: [
        { id: 1, name: 'a', state: 'firing' },
        { id: 2, name: 'b', state: 'resolved' },
      ],
    };
    expect(applyMapping(mapping, body).map((i) => [i.key, i.transition, i.message])).toEqual([
      ['1', 'triggered', 'cron:a'],
      ['2', 'recovered', 'cron:b'],
    ]);
  });

  test('when a field expression fails on one item, then the error names the field and the item', () => {
    const mapping = compiled({ alerts: 'payload.items', fields: FIELDS });
    const body = {
      items: [
        { id: 1, name: 'a', state: 'firing' },
        { id: 2, state: 'firing' },
      ],
    };
    const thrown = errorOf(() => applyMapping(mapping, body)) as ValidationError;
    expect(thrown.field).toBe('fields.title');
    expect(thrown.message).toBe('fields.title: field not found: name (item 1 of the alerts list)');
  });

  test('when the payload is the alert and a field fails, then the error names the field only', () => {
    const thrown = errorOf(() => applyMapping(compiled({ fields: FIELDS }), { id: 1, state: 'firing' }));
    expect(thrown.message).toBe('fields.title: field not found: name');
  });

  test('when an expression names an unknown variable, then the error says which variables there are', () => {
    const thrown = errorOf(() =>
      applyMapping(compiled({ fields: { ...FIELDS, key: 'body.id' } }), { state: 'firing' }),
    );
    expect(thrown.message).toBe('fields.key: unresolved attribute (the variables are payload and alert)');
  });

  test('when the statusMap ignores an item, then its other fields are never evaluated', () => {
    const mapping = compiled({ alerts: 'payload.items', fields: FIELDS, statusMap: { running: 'ignore' } });
    const mapped = mapPayload(mapping, {
      items: [{ state: 'Running' }, { id: 3, name: 'c', state: 'firing' }],
    });
    expect(mapped.items).toBe(2);
    expect(mapped.ignoredStatuses).toEqual(['Running']);
    expect(mapped.inputs.map((input) => input.key)).toEqual(['3']);
  });

  test('when an ignored status is read again for the reason, then its expression is not evaluated twice', () => {
    // One evaluation iterates 60,000 items; two would pass the request's budget of 100,000.
    const mapping = compiled({
      fields: { ...FIELDS, status: "payload.l.exists(x, x < 0) ? 'firing' : 'running'" },
      statusMap: { running: 'ignore' },
    });
    const mapped = mapPayload(mapping, { l: Array.from({ length: 60_000 }, () => 1) });
    expect(mapped.ignoredStatuses).toEqual(['running']);
  });

  test('when every item is ignored, then the source says which statuses it ignored, once each', () => {
    const source = mappedGenericSource(
      compiled({
        alerts: 'payload.items',
        fields: FIELDS,
        statusMap: { running: 'ignore', queued: 'ignore' },
      }),
    );
    const result = parseFixture(source, {
      file: 'x.json',
      description: 'x',
      contentType: 'application/json',
      body: { items: [{ state: 'running' }, { state: 'queued' }, { state: 'running' }] },
    });
    expect(result).toEqual({ alerts: [], ignored: 'the mapping ignores status "running", "queued"' });
  });

  test('when the alerts list is empty, then the source says it found no alerts', () => {
    const source = mappedGenericSource(compiled({ alerts: 'payload.items', fields: FIELDS }));
    const result = parseFixture(source, {
      file: 'x.json',
      description: 'x',
      contentType: 'application/json',
      body: { items: [] },
    });
    expect(result).toEqual({ alerts: [], ignored: 'the mapping found no alerts in the payload' });
  });

  test('when the alerts expression gives no list, then the error names alerts', () => {
    const thrown = errorOf(() =>
      applyMapping(compiled({ alerts: 'payload.items', fields: FIELDS }), { items: 'x' }),
    );
    expect(thrown.message).toBe('alerts: must give a list, not a string');
  });

  test('when the alerts list is longer than the cap, then it is refused', () => {
    const mapping = compiled({ alerts: 'payload.items', fields: FIELDS });
    const items = Array.from({ length: LIMITS.alerts + 1 }, (_, i) => ({ id: i, name: 'n', state: 'ok' }));
    expect(errorOf(() => applyMapping(mapping, { items })).message).toBe(
      'alerts: gave 1001 items; at most 1000 are taken',
    );
    expect(applyMapping(mapping, { items: items.slice(1) })).toHaveLength(LIMITS.alerts);
  });

  test('when two items give the same id, then the second is refused naming fields.id', () => {
    const mapping = compiled({ alerts: 'payload.items', fields: { ...FIELDS, id: "'same'" } });
    const items = [
      { id: 1, name: 'a', state: 'ok' },
      { id: 2, name: 'b', state: 'ok' },
    ];
    expect(errorOf(() => applyMapping(mapping, { items })).message).toBe(
      'fields.id: repeats the id of alert 0; each alert needs its own',
    );
  });

  test('when expressions give CEL values, then they become the generic fields', () => {
    const mapping = compiled({
      fields: {
        ...FIELDS,
        at: "timestamp('2026-06-14T10:00:00.250Z')",
        severity: '2',
        services: "['a', 'b']",
        labels: "{'env': 'prod', 'n': 3}",
        test: 'true',
        cycle: '7u',
        link: "'https://example.com/' + alert.name",
      },
    });
    const [input] = applyMapping(mapping, { id: 'i', name: 'x', state: 'ok' });
    expect(input).toMatchObject({
      key: 'i',
      at: new Date('2026-06-14T10:00:00.250Z'),
      severity: 'P2',
      services: ['a', 'b'],
      labels: [
        { key: 'env', value: 'prod' },
        { key: 'n', value: '3' },
      ],
      isTest: true,
      cycle: '7',
      link: 'https://example.com/x',
    });
  });

  test('when a field gives a type the format refuses, then the error names the mapped field', () => {
    const thrown = errorOf(() =>
      applyMapping(compiled({ fields: { ...FIELDS, test: "'yes'" } }), {
        id: 1,
        name: 'n',
        state: 'ok',
      }),
    );
    expect(thrown.message).toBe('fields.test: must be true or false');
  });

  test('when a field is not mapped, then it is absent', () => {
    const [input] = applyMapping(compiled({ fields: FIELDS }), { id: 'i', name: 'n', state: 'warn' });
    expect(input).toMatchObject({ id: null, alert: null, at: null, severity: null, link: null, message: '' });
  });
});
