import {
  normalizeScope,
  parseTags,
  scopeLabels,
  valuesForKeys,
} from '../../src/sources/datadog/datadog.tags';

/** `count` distinct tags `t0:v` .. `t<count-1>:v`. */
function distinctTags(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `t${i}:v`);
}

describe('parseTags', () => {
  test('when key and value have spaces around the colon, then both are trimmed', () => {
    expect(parseTags('env : prod')).toEqual([{ key: 'env', value: 'prod' }]);
  });

  test('when the list has empty entries, then they are skipped', () => {
    expect(parseTags('env:prod,, ,canary')).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'canary', value: '' },
    ]);
  });

  test('when a tag has no key before its colon, then it is dropped', () => {
    expect(parseTags([':prod', ' : x', 'team:core'])).toEqual([{ key: 'team', value: 'core' }]);
  });

  test('when a tag is longer than 1000 characters, then only its first 1000 are kept', () => {
    const [label] = parseTags([`k:${'v'.repeat(1500)}`]);
    expect(label).toEqual({ key: 'k', value: 'v'.repeat(998) });
  });

  test('when an array holds more than 500 distinct tags, then the first 500 are kept', () => {
    const labels = parseTags(distinctTags(600));
    expect(labels).toHaveLength(500);
    expect(labels[499]).toEqual({ key: 't499', value: 'v' });
  });

  test('when a text holds more than 500 distinct tags, then the first 500 are kept', () => {
    const labels = parseTags(distinctTags(600).join(','));
    expect(labels).toHaveLength(500);
    expect(labels[499]).toEqual({ key: 't499', value: 'v' });
  });

  test('when an array has 1000 duplicates before a new tag, then reading stops at the 1000th entry', () => {
    const tags = [...Array.from({ length: 1000 }, () => 'env:prod'), 'team:core'];
    expect(parseTags(tags)).toEqual([{ key: 'env', value: 'prod' }]);
  });

  test('when a text has 1000 duplicates before a new tag, then reading stops at the 1000th entry', () => {
    const text = [...Array.from({ length: 1000 }, () => 'env:prod'), 'team:core'].join(',');
    expect(parseTags(text)).toEqual([{ key: 'env', value: 'prod' }]);
  });

  test('when tags are missing or unrendered, then there are none', () => {
    expect([parseTags(null), parseTags(undefined), parseTags('$TAGS')]).toEqual([[], [], []]);
  });
});

describe('normalizeScope', () => {
  test('when the scope has empty parts, then they are dropped and the rest sorted', () => {
    expect(normalizeScope('host:web-1,, env:prod,')).toBe('env:prod,host:web-1');
  });

  test('when every part is * or empty, then there is no scope', () => {
    expect(normalizeScope(' * , ,')).toBeNull();
  });
});

describe('scopeLabels and valuesForKeys', () => {
  test('when a scope part names the key without a value, then it gives no value', () => {
    const labels = scopeLabels('host,host:web-1');
    expect(labels).toEqual([
      { key: 'host', value: '' },
      { key: 'host', value: 'web-1' },
    ]);
    expect(valuesForKeys(labels, ['host'])).toEqual(['web-1']);
  });

  test('when several labels carry the same value, then it is listed once, in order of appearance', () => {
    const labels = parseTags('service:api,app:web,service:api-2,app:api');
    expect(valuesForKeys(labels, ['service', 'app'])).toEqual(['api', 'web', 'api-2']);
  });
});
