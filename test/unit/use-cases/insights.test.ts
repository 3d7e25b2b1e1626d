/** loadInsights over the in-memory stores: what it loads, in how many calls, "today" in the zone, the cap. */
import { INSIGHTS_INCIDENT_LIMIT, loadInsights, type InsightsDeps } from '../../../src/use-cases/insights';
import { itemOf, postmortemOf, seededIncident } from '../../helpers/insights';
import {
  fixedClock,
  MemoryActionItemStore,
  MemoryIncidentStore,
  MemoryPostmortemStore,
  objectId,
} from '../../helpers/memory-stores';

const JUNE = { from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-07-01T00:00:00Z') };

function world(options: { timezone?: string; now?: string } = {}) {
  const incidents = new MemoryIncidentStore();
  const postmortems = new MemoryPostmortemStore();
  const actionItems = new MemoryActionItemStore();
  const deps: InsightsDeps = {
    incidents,
    postmortems,
    actionItems,
    timezone: options.timezone ?? 'UTC',
    now: fixedClock(options.now ?? '2026-06-20T12:00:00Z'),
  };
  let n = 0;
  const add = async (detectedAt: string, fields: { resolvedAfter?: number; services?: string[] } = {}) => {
    n += 1;
    const incident = seededIncident({
      id: objectId(n),
      detectedAt,
      services: fields.services ?? ['web'],
      ...(fields.resolvedAfter === undefined
        ? {}
        : { resolvedAt: new Date(Date.parse(detectedAt) + fields.resolvedAfter * 1000).toISOString() }),
    });
    expect(await incidents.insertCurrent(incident)).toBe('inserted');
    return incident;
  };
  return { deps, incidents, postmortems, actionItems, add };
}

describe('loadInsights', () => {
  it("when the period has incidents with postmortems and items, then the figures are theirs and the period's only", async () => {
    const w = world();
    const a = await w.add('2026-06-02T10:00:00.000Z', { resolvedAfter: 600, services: ['checkout'] });
    const b = await w.add('2026-06-03T10:00:00.000Z', { resolvedAfter: 1200, services: ['checkout'] });
    await w.add('2026-06-04T10:00:00.000Z', { services: ['search'] });
    const outside = await w.add('2026-07-01T00:00:00.000Z', { resolvedAfter: 60 });
    await w.postmortems.insert(postmortemOf(a, 'published'));
    await w.postmortems.insert(postmortemOf(b, 'draft'));
    await w.postmortems.insert(postmortemOf(outside, 'draft'));
    await w.actionItems.insert(itemOf(a.id, { deadline: '2026-06-10' }));
    await w.actionItems.insert(itemOf(outside.id, { deadline: '2026-06-10' }));

    const report = await loadInsights(w.deps, JUNE);
    expect(report).toMatchObject({
      truncated: false,
      incidentLimit: INSIGHTS_INCIDENT_LIMIT,
      requested: JUNE,
    });
    expect(report.period).toEqual(JUNE);
    expect(report.totals).toMatchObject({
      incidents: 3,
      timeToRecover: { count: 2, medianSeconds: 600, p90Seconds: 1200 },
      postmortems: { published: 1, pending: 1 },
      actionItems: { open: 1, overdue: 1 },
    });
    expect(report.byService.rows.map((r) => [r.service, r.incidents])).toEqual([
      ['checkout', 2],
      ['search', 1],
    ]);
  });

  it('when there are thousands of incidents, then each store is asked once, not once per incident', async () => {
    const w = world();
    for (let i = 0; i < 1500; i += 1) await w.add(new Date(Date.UTC(2026, 5, 2, 0, i)).toISOString());
    const listed = jest.spyOn(w.incidents, 'listDetectedBetween');
    const postmortems = jest.spyOn(w.postmortems, 'findStatuses');
    const items = jest.spyOn(w.actionItems, 'listForIncidents');
    const report = await loadInsights(w.deps, JUNE);
    expect(report.totals.incidents).toBe(1500);
    expect(listed.mock.calls).toEqual([[JUNE.from, JUNE.to, INSIGHTS_INCIDENT_LIMIT + 1]]);
    expect(postmortems).toHaveBeenCalledTimes(1);
    expect(items).toHaveBeenCalledTimes(1);
    expect(new Set(postmortems.mock.calls[0]![0])).toEqual(new Set(w.incidents.all().map((i) => i.id)));
  });

  it("when it is 23:30 UTC and the zone is Lagos (UTC+1), then today is Lagos's and yesterday's deadline is overdue", async () => {
    const deadlines = async (timezone: string) => {
      const w = world({ timezone, now: '2026-06-14T23:30:00Z' });
      const incident = await w.add('2026-06-02T10:00:00.000Z');
      await w.actionItems.insert(itemOf(incident.id, { deadline: '2026-06-14' }));
      const report = await loadInsights(w.deps, JUNE);
      return { today: report.today, actionItems: report.totals.actionItems };
    };
    expect(await deadlines('Africa/Lagos')).toEqual({
      today: '2026-06-15',
      actionItems: { open: 1, overdue: 1 },
    });
    expect(await deadlines('UTC')).toEqual({ today: '2026-06-14', actionItems: { open: 1, overdue: 0 } });
  });

  it('when more incidents than the limit were detected, then the earliest count and the period ends where the first left out was detected', async () => {
    const w = world();
    const times = ['02', '03', '04', '05', '06'].map((d) => `2026-06-${d}T10:00:00.000Z`);
    for (const t of times) await w.add(t, { resolvedAfter: 60 });
    const report = await loadInsights(w.deps, JUNE, 3);
    expect(report).toMatchObject({ truncated: true, incidentLimit: 3, requested: JUNE });
    expect(report.period).toEqual({ from: JUNE.from, to: new Date(times[3]!) });
    expect(report.totals.incidents).toBe(3);
    expect(report.weeks.map((w) => [w.weekStart, w.partial, w.incidents])).toEqual([['2026-06-01', true, 3]]);
  });

  it('when exactly as many incidents as the limit were detected, then nothing is truncated', async () => {
    const w = world();
    for (const d of ['02', '03', '04']) await w.add(`2026-06-${d}T10:00:00.000Z`);
    const report = await loadInsights(w.deps, JUNE, 3);
    expect(report).toMatchObject({ truncated: false, period: JUNE });
    expect(report.totals.incidents).toBe(3);
  });

  it('when incidents beyond the limit were detected in the same millisecond as the last counted, then those before it count', async () => {
    const w = world();
    await w.add('2026-06-02T10:00:00.000Z');
    for (let i = 0; i < 3; i += 1) await w.add('2026-06-03T10:00:00.000Z');
    const report = await loadInsights(w.deps, JUNE, 2);
    expect(report.truncated).toBe(true);
    expect(report.period.to).toEqual(new Date('2026-06-03T10:00:00.000Z'));
    expect(report.totals.incidents).toBe(1);
  });

  it('when more incidents than the limit share one millisecond, then the first of them by id count', async () => {
    const w = world();
    for (let i = 0; i < 4; i += 1) await w.add('2026-06-03T10:00:00.000Z');
    const report = await loadInsights(w.deps, JUNE, 3);
    expect(report.truncated).toBe(true);
    expect(report.period.to).toEqual(new Date('2026-06-03T10:00:00.001Z'));
    expect(report.totals.incidents).toBe(3);
  });
});
