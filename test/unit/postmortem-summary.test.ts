/** The phrases of the draft's issue summary, at the edges of their lists and of their time ranges. */
import {
  affectedPhrase,
  monitorPhrase,
  plural,
  scopePhrase,
  sourceName,
  timeRange,
} from '../../src/domain/postmortem-summary';

const names = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + i));

describe('lists in the issue summary', () => {
  it('when exactly five services are affected, then all five are named', () => {
    expect(affectedPhrase(names(5), [])).toBe('affecting a, b, c, d, e');
  });

  it('when six services are affected, then five are named and one is counted', () => {
    expect(affectedPhrase(names(6), [])).toBe('affecting a, b, c, d, e and 1 more');
  });

  it('when nine scopes alerted, then five are named and four counted', () => {
    expect(scopePhrase(names(9))).toBe(' on 9 scopes (a, b, c, d, e and 4 more)');
  });

  it('when exactly five scopes alerted, then all are named', () => {
    expect(scopePhrase(names(5))).toBe(' on 5 scopes (a, b, c, d, e)');
  });

  it('when one scope or none alerted, then it is named alone or the phrase is empty', () => {
    expect(scopePhrase(['url:/'])).toBe(' on url:/');
    expect(scopePhrase([])).toBe('');
  });

  it('when no service is tagged, then the summary says so, with the hosts counted', () => {
    expect(affectedPhrase([], ['web-1'])).toBe('affecting no tagged service (1 host)');
    expect(affectedPhrase(['web'], ['web-1', 'web-2'])).toBe('affecting web (2 hosts)');
  });
});

describe('monitors in the issue summary', () => {
  const monitor = (name: string) => ({ id: null, name, url: null, query: null });

  it.each([
    [[], 'Datadog monitor'],
    [['A'], 'Datadog monitor “A”'],
    [['A', 'B'], 'Datadog monitors “A” and “B”'],
    [['A', 'B', 'C'], 'Datadog monitors “A”, “B” and “C”'],
  ])('when the monitors are %j, then they read %j', (monitorNames, phrase) => {
    expect(monitorPhrase('datadog', monitorNames.map(monitor))).toBe(phrase);
  });

  it('when the source is named, then its first letter is upper-cased and the rest kept', () => {
    expect(sourceName('datadog')).toBe('Datadog');
    expect(sourceName('pagerDuty')).toBe('PagerDuty');
    expect(sourceName('')).toBe('');
  });

  it.each([
    [0, '0 hosts'],
    [1, '1 host'],
    [2, '2 hosts'],
  ])('when %d hosts are counted, then it reads %j', (count, words) => {
    expect(plural(count, 'host')).toBe(words);
  });
});

describe('time ranges in the issue summary', () => {
  it('when it starts and ends on one day, then clock times with the zone once', () => {
    expect(timeRange(new Date('2026-06-14T10:02:00Z'), new Date('2026-06-14T10:49:00Z'), 'UTC')).toBe(
      'From 10:02 to 10:49 UTC',
    );
  });

  it('when it ends on another day in the zone, then both ends carry their date', () => {
    expect(timeRange(new Date('2026-06-14T23:30:00Z'), new Date('2026-06-15T00:10:00Z'), 'UTC')).toBe(
      'From 2026-06-14 23:30 to 2026-06-15 00:10 UTC',
    );
  });

  it('when the zone changes its name in between, then each end carries its own', () => {
    // Europe/Paris moved from CET to CEST at 01:00 UTC on 2026-03-29.
    expect(
      timeRange(new Date('2026-03-29T00:30:00Z'), new Date('2026-03-29T01:30:00Z'), 'Europe/Paris'),
    ).toBe('From 01:30 CET to 03:30 CEST');
  });
});
