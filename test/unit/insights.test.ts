/** Insights' figures, pure: percentiles by nearest rank, what each figure counts, and the rows. */
import { ROW_LIMIT } from '../../src/domain/insights';
import { durationFigures, percentile } from '../../src/domain/percentiles';
import { makeAlert } from '../helpers/alerts';
import { itemOf, juneIncident, juneInsights, postmortemOf } from '../helpers/insights';
import { appendTo, referenceIncident } from '../helpers/postmortems';

const minutes = (n: number) => n * 60;

describe('percentiles (nearest rank)', () => {
  it('when the values are known, then the median and p90 are the values at ranks ⌈p × n / 100⌉', () => {
    const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([percentile(oneToTen, 50), percentile(oneToTen, 90)]).toEqual([5, 9]);
    expect([percentile([10, 20, 30, 40], 50), percentile([10, 20, 30, 40], 90)]).toEqual([20, 40]);
    expect([percentile([7], 50), percentile([7], 90)]).toEqual([7, 7]);
    expect(percentile([], 50)).toBeNull();
    const oneToSeventy = Array.from({ length: 70 }, (_, i) => i + 1);
    expect(percentile(oneToSeventy, 90)).toBe(63);
    expect(percentile(oneToSeventy, 100)).toBe(70);
    expect(percentile(oneToSeventy, 1)).toBe(1);
    // 0.07 × 100 is 7.000000000000001 in floating point: the rank must still be 7.
    const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(oneToHundred, 7)).toBe(7);
  });

  it('when durations come unsorted, then their figures are those of the sorted values', () => {
    expect(durationFigures([30, 10, 20])).toEqual({ count: 3, medianSeconds: 20, p90Seconds: 30 });
    expect(durationFigures([])).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
  });

  it.each([0, 101, 50.5, Number.NaN])('when the percentile asked is %p, then it is refused', (p) => {
    expect(() => percentile([1, 2], p)).toThrow(RangeError);
  });
});

describe('computeInsights: time to recover and to acknowledge', () => {
  it('when some incidents are still open, then time to recover counts only the resolved ones', () => {
    const resolved = [10, 20, 30, 40, 50].map((m) => juneIncident({ ttr: minutes(m) }));
    const result = juneInsights({ incidents: [...resolved, juneIncident(), juneIncident()] });
    expect(result.totals.incidents).toBe(7);
    expect(result.totals.timeToRecover).toEqual({
      count: 5,
      medianSeconds: minutes(30),
      p90Seconds: minutes(50),
    });
  });

  it('when some incidents were never acknowledged, then they are left out of time to acknowledge', () => {
    const acked = [3, 1, 2].map((m) => juneIncident({ ack: minutes(m) }));
    const result = juneInsights({ incidents: [...acked, juneIncident(), juneIncident({ ttr: 60 })] });
    expect(result.totals.timeToAcknowledge).toEqual({
      count: 3,
      medianSeconds: minutes(2),
      p90Seconds: minutes(3),
    });
  });

  it('when nothing was acknowledged or resolved, then those figures are empty, not zero', () => {
    const result = juneInsights({ incidents: [juneIncident()] });
    expect(result.totals.timeToAcknowledge).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
    expect(result.totals.timeToRecover).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
  });

  it("when the alert reached Hindsight late, then both times still count from the monitor's detection", () => {
    // Detected 08:00:00, received 10 minutes later; acknowledged at 08:04, resolved at 08:30.
    const late = juneIncident({
      detectedAt: '2026-06-10T08:00:00.000Z',
      lagSeconds: 600,
      ack: 240,
      ttr: 1800,
    });
    const result = juneInsights({ incidents: [late] });
    expect(result.totals.timeToAcknowledge.medianSeconds).toBe(240);
    expect(result.totals.timeToRecover.medianSeconds).toBe(1800);
  });

  it('when the source acknowledged before a person did, then the first acknowledgement counts', () => {
    const person = juneIncident({ detectedAt: '2026-06-10T08:00:00.000Z', ack: 300 });
    const atSource = appendTo(
      person,
      makeAlert({ transition: 'acknowledged', at: '2026-06-10T08:01:30.000Z', groupKey: person.groupKey }),
    );
    expect(juneInsights({ incidents: [atSource] }).totals.timeToAcknowledge.medianSeconds).toBe(90);
  });

  it('when the incident is the reference one, then its figures are those of its postmortem', () => {
    const reference = referenceIncident();
    const result = juneInsights({
      incidents: [reference],
      period: { from: new Date('2019-06-28T00:00:00Z'), to: new Date('2019-06-29T00:00:00Z') },
    });
    // Detected 17:26:00 UTC, alice acknowledged at 17:31, the last page recovered at 18:58.
    expect(result.totals.timeToAcknowledge.medianSeconds).toBe(300);
    expect(result.totals.timeToRecover.medianSeconds).toBe(5520);
    // Only the first notification has a receipt time of its own (64 s late); the others carry their own time.
    expect(result.totals.deliveryLag).toEqual({ count: 1, medianSeconds: 64, p90Seconds: 64 });
    expect(result.byService.rows.map((r) => r.service)).toEqual(['booking', 'web']);
  });
});

describe('computeInsights: delivery lag', () => {
  it("when events were received after the monitor's time, then the lag is over every event, to the millisecond", () => {
    const result = juneInsights({
      incidents: [
        juneIncident({ lagSeconds: 1 }), // one event
        juneIncident({ lagSeconds: 3, ttr: 60 }), // trigger and recovery: two events
        juneIncident({ lagSeconds: 0, ttr: 60 }), // the monitor gave no time of its own: left out
        juneIncident({ lagSeconds: -0.5 }), // the monitor's clock runs ahead
        juneIncident({ lagSeconds: 0.123 }),
      ],
    });
    // Sorted: -0.5, 0.123, 1, 3, 3.
    expect(result.totals.deliveryLag).toEqual({ count: 5, medianSeconds: 1, p90Seconds: 3 });
  });

  it('when the only lags are sub-second, then they are not rounded away', () => {
    const result = juneInsights({
      incidents: [juneIncident({ lagSeconds: 0.25 }), juneIncident({ lagSeconds: 0.75 })],
    });
    expect(result.totals.deliveryLag).toEqual({ count: 2, medianSeconds: 0.25, p90Seconds: 0.75 });
  });
});

describe('computeInsights: rows per service and per source', () => {
  it('when an incident names two services, then it counts in each, and one naming none in the null row', () => {
    const both = juneIncident({ services: ['checkout', 'payments'], ttr: 600 });
    const checkout = juneIncident({ services: ['checkout'], ttr: 1200 });
    const none = juneIncident({ services: [], source: 'grafana' });
    const repeated = { ...juneIncident(), services: ['payments', 'search', 'payments'] };
    const result = juneInsights({ incidents: [both, checkout, none, repeated] });

    expect(result.totals.incidents).toBe(4);
    expect(result.byService.rows.map((r) => [r.service, r.incidents])).toEqual([
      ['checkout', 2],
      ['payments', 2],
      ['search', 1],
      [null, 1],
    ]);
    expect(result.byService.omitted).toBe(0);
    const row = (service: string) => result.byService.rows.find((r) => r.service === service)!;
    expect(row('checkout').timeToRecover).toEqual({ count: 2, medianSeconds: 600, p90Seconds: 1200 });
    expect(row('payments').timeToRecover).toEqual({ count: 1, medianSeconds: 600, p90Seconds: 600 });
    expect(result.bySource.rows.map((r) => [r.source, r.incidents])).toEqual([
      ['datadog', 3],
      ['grafana', 1],
    ]);
  });

  it(`when there are more than ${ROW_LIMIT} services, then the busiest ${ROW_LIMIT} come and the rest are counted as omitted`, () => {
    const services = Array.from({ length: ROW_LIMIT + 5 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
    const busiest = services[services.length - 1]!;
    const incidents = [...services, busiest, busiest].map((s) => juneIncident({ services: [s] }));
    const result = juneInsights({ incidents });
    expect(result.byService.rows).toHaveLength(ROW_LIMIT);
    expect(result.byService.omitted).toBe(5);
    expect(result.byService.rows[0]).toMatchObject({ service: busiest, incidents: 3 });
    // Equal counts come by name: the ones left out are the last names.
    expect(result.byService.rows[1]!.service).toBe('svc-000');
    expect(result.byService.rows.map((r) => r.service)).not.toContain('svc-203');
    expect(result.totals.incidents).toBe(ROW_LIMIT + 7);
  });

  it('when incidents lie on the period bounds, then `from` is in and `to` is out, with their postmortems and items', () => {
    const at = (iso: string) => juneIncident({ detectedAt: iso, ttr: 60 });
    const first = at('2026-06-01T00:00:00.000Z');
    const last = at('2026-06-30T23:59:59.999Z');
    const atTo = at('2026-07-01T00:00:00.000Z');
    const before = at('2026-05-31T23:59:59.999Z');
    const result = juneInsights({
      incidents: [before, first, last, atTo],
      postmortems: [postmortemOf(atTo, 'published'), postmortemOf(first, 'draft')],
      actionItems: [itemOf(before.id), itemOf(last.id, { deadline: '2026-06-01' })],
    });
    expect(result.totals.incidents).toBe(2);
    expect(result.totals.postmortems).toEqual({ published: 0, pending: 1 });
    expect(result.totals.actionItems).toEqual({ open: 1, overdue: 1 });
  });
});

describe('computeInsights: postmortems and action items', () => {
  it('when postmortems are drafted, in review or published, then pending counts the first two', () => {
    const [a, b, c, d] = [1, 2, 3, 4].map(() => juneIncident({ ttr: 60, services: ['web'] }));
    const result = juneInsights({
      incidents: [a!, b!, c!, d!],
      postmortems: [
        postmortemOf(a!, 'published'),
        postmortemOf(b!, 'draft'),
        postmortemOf(c!, 'in_review'),
        postmortemOf(juneIncident({ ttr: 60 }), 'published'), // of an incident not counted
      ],
    });
    expect(result.totals.postmortems).toEqual({ published: 1, pending: 2 });
    expect(result.byService.rows[0]!.postmortems).toEqual({ published: 1, pending: 2 });
  });

  it('when items are due before, on or after today, then only those open and due before today are overdue', () => {
    const [a, b] = [juneIncident({ services: ['web'] }), juneIncident({ services: ['api'] })];
    const result = juneInsights({
      incidents: [a, b],
      today: '2026-06-20',
      actionItems: [
        itemOf(a.id, { deadline: '2026-06-19' }), // overdue
        itemOf(a.id, { deadline: '2026-06-20' }), // due today: not overdue yet
        itemOf(b.id, { deadline: null }),
        itemOf(b.id, { deadline: '2026-06-01', status: 'done' }),
        itemOf('not-counted', { deadline: '2026-06-01' }),
      ],
    });
    expect(result.totals.actionItems).toEqual({ open: 3, overdue: 1 });
    const row = (service: string) => result.byService.rows.find((r) => r.service === service)!;
    expect(row('web').actionItems).toEqual({ open: 2, overdue: 1 });
    expect(row('api').actionItems).toEqual({ open: 1, overdue: 0 });
  });
});
