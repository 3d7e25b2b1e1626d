/** The incident's timeline in a postmortem's words, with late deliveries marked. */
import type { AlertTransition } from '../../src/domain/alert';
import type { TimelineKind } from '../../src/domain/incident';
import {
  condensedTimeline,
  POSTMORTEM_TIMELINE_LIMIT,
  postmortemTimeline,
} from '../../src/domain/postmortem-timeline';
import { at, makeAlert } from '../helpers/alerts';
import { incidentFrom, type Delivery } from '../helpers/postmortems';

/** One alert going through every kind of notification: it fires, warns, goes silent, recovers, fires again. */
function everyKind(scope: string | null): Delivery[] {
  const steps: [AlertTransition, string][] = [
    ['triggered', '10:00'],
    ['warn', '10:05'],
    ['no_data', '10:10'],
    ['recovered', '10:15'],
    ['retriggered', '10:20'],
    ['recovered', '10:25'],
  ];
  return steps.map(([transition, hhmm]) => ({ alert: makeAlert({ transition, at: at(hhmm), scope }) }));
}

const textsOf = (deliveries: Delivery[], people: Parameters<typeof incidentFrom>[2] = {}) =>
  postmortemTimeline(incidentFrom('inc-1', deliveries, people), 60).entries.map((e) => [e.kind, e.text]);

describe('postmortemTimeline: entry texts', () => {
  it('when the alert has a scope, then each entry names it', () => {
    expect(textsOf(everyKind('url:/'))).toEqual([
      ['triggered', 'Alert triggered on url:/'],
      ['warn', 'Warning on url:/'],
      ['no_data', 'No data from url:/'],
      ['recovered', 'url:/ recovered'],
      ['resolved', 'All alerts recovered: incident resolved'],
      ['retriggered', 'Alert triggered again on url:/'],
      ['reopened', 'Incident reopened'],
      ['recovered', 'url:/ recovered'],
      ['resolved', 'All alerts recovered: incident resolved'],
    ]);
  });

  it('when the alert has no scope (a simple monitor), then the entries say what happened and nothing more', () => {
    expect(textsOf(everyKind(null))).toEqual([
      ['triggered', 'Alert triggered'],
      ['warn', 'Warning'],
      ['no_data', 'No data'],
      ['recovered', 'Alert recovered'],
      ['resolved', 'All alerts recovered: incident resolved'],
      ['retriggered', 'Alert triggered again'],
      ['reopened', 'Incident reopened'],
      ['recovered', 'Alert recovered'],
      ['resolved', 'All alerts recovered: incident resolved'],
    ]);
  });

  it('when the stored incident lists no alerts (kept before alerts were), then the scope comes from its events', () => {
    const incident = incidentFrom('inc-1', [
      { alert: makeAlert({ transition: 'triggered', at: at('10:00'), scope: 'url:/login' }) },
      { alert: makeAlert({ transition: 'recovered', at: at('10:30'), scope: 'url:/login' }) },
    ]);
    const texts = postmortemTimeline({ ...incident, alerts: [] }, 60).entries.map((e) => e.text);
    expect(texts).toEqual([
      'Alert triggered on url:/login',
      'url:/login recovered',
      'All alerts recovered: incident resolved',
    ]);
  });
});

describe('postmortemTimeline: people', () => {
  it('when two people acknowledge, then each entry names its own person', () => {
    const texts = textsOf(
      [{ alert: makeAlert({ transition: 'triggered', at: at('10:00'), scope: 'url:/' }) }],
      {
        acks: [
          { by: 'alice', at: new Date(at('10:02')), receivedAt: new Date(at('10:02')) },
          { by: 'bob', at: new Date(at('10:04')), receivedAt: new Date(at('10:04')) },
        ],
      },
    );
    expect(texts).toEqual([
      ['triggered', 'Alert triggered on url:/'],
      ['acknowledged', 'Acknowledged by alice'],
      ['acknowledged', 'Acknowledged by bob'],
    ]);
  });

  it('when a note has blank lines or spaces around it, then the entry shows its author and the text trimmed', () => {
    const texts = textsOf(
      [{ alert: makeAlert({ transition: 'triggered', at: at('10:00'), scope: 'url:/' }) }],
      {
        notes: [
          {
            id: 'n1',
            author: 'alice',
            text: '\n  rolled back the header change  \n',
            at: new Date(at('10:10')),
            receivedAt: new Date(at('10:10')),
          },
          {
            id: 'n2',
            author: 'bob',
            text: 'servers restarted',
            at: new Date(at('10:12')),
            receivedAt: new Date(at('10:12')),
          },
        ],
      },
    );
    expect(texts).toEqual([
      ['triggered', 'Alert triggered on url:/'],
      ['note', 'Note by alice: rolled back the header change'],
      ['note', 'Note by bob: servers restarted'],
    ]);
  });
});

describe('postmortemTimeline: delivery lag', () => {
  const lagsOf = (deliveries: Delivery[], people: Parameters<typeof incidentFrom>[2] = {}) =>
    postmortemTimeline(incidentFrom('inc-1', deliveries, people), 60).entries.map((e) => [
      e.kind,
      e.deliveryLagSeconds,
    ]);

  it('when a notification arrives exactly the threshold late, then its lag is shown; a second less, it is not', () => {
    expect(
      lagsOf([
        {
          alert: makeAlert({ transition: 'triggered', at: at('10:00'), scope: 'url:/' }),
          receivedAt: '2026-06-14T10:01:00.000Z',
        },
        {
          alert: makeAlert({ transition: 'triggered', at: at('10:05'), scope: 'url:/login' }),
          receivedAt: '2026-06-14T10:05:59.000Z',
        },
      ]),
    ).toEqual([
      ['triggered', 60],
      ['triggered', null],
    ]);
  });

  it('when a late recovery resolves the incident, then the lag is on the recovery, not on the resolution', () => {
    expect(
      lagsOf([
        { alert: makeAlert({ transition: 'triggered', at: at('10:00'), scope: 'url:/' }) },
        {
          alert: makeAlert({ transition: 'recovered', at: at('10:30'), scope: 'url:/' }),
          receivedAt: '2026-06-14T10:32:30.000Z',
        },
      ]),
    ).toEqual([
      ['triggered', null],
      ['recovered', 150],
      ['resolved', null],
    ]);
  });

  it('when a note is written long after what it tells, then it carries no lag', () => {
    expect(
      lagsOf([{ alert: makeAlert({ transition: 'triggered', at: at('10:00'), scope: 'url:/' }) }], {
        notes: [
          {
            id: 'n1',
            author: 'alice',
            text: 'the header change went out at 09:55',
            at: new Date(at('10:01')),
            receivedAt: new Date(at('11:00')),
          },
        ],
        acks: [{ by: 'bob', at: new Date(at('10:02')), receivedAt: new Date(at('10:20')) }],
      }),
    ).toEqual([
      ['triggered', null],
      ['note', null],
      ['acknowledged', null],
    ]);
  });
});

describe('condensedTimeline: a long incident in a postmortem', () => {
  const kinds = (n: number, at: Record<number, TimelineKind> = {}) =>
    Array.from({ length: n }, (_, i) => ({ i, kind: at[i] ?? 'retriggered' }));

  it('when a timeline has at most the limit of entries, then all are told', () => {
    const entries = kinds(POSTMORTEM_TIMELINE_LIMIT);
    expect(condensedTimeline(entries)).toEqual({ kept: entries, omitted: 0 });
  });

  it('when a monitor renotified 10,000 times, then the first and last 100 are told, with every resolution, reopening and person between, in order', () => {
    const entries = kinds(10_000, { 500: 'resolved', 501: 'reopened', 4000: 'note', 7000: 'acknowledged' });
    const { kept, omitted } = condensedTimeline(entries);
    const told = kept.map((e) => e.i);
    expect(told).toEqual([
      ...Array.from({ length: 100 }, (_, i) => i),
      500,
      501,
      4000,
      7000,
      ...Array.from({ length: 100 }, (_, i) => 9_900 + i),
    ]);
    expect(omitted).toBe(10_000 - told.length);
  });

  it('when a flapping incident has more resolutions than fit, then the earliest fill the limit and the rest are counted', () => {
    const flaps: Record<number, TimelineKind> = Object.fromEntries(
      Array.from({ length: 1_000 }, (_, k) => [200 + k, 'resolved']),
    );
    const { kept, omitted } = condensedTimeline(kinds(5_000, flaps));
    expect(kept).toHaveLength(POSTMORTEM_TIMELINE_LIMIT);
    expect(kept.slice(100, 200).map((e) => e.i)).toEqual(Array.from({ length: 100 }, (_, k) => 200 + k));
    expect(kept.at(-1)!.i).toBe(4_999);
    expect(omitted).toBe(5_000 - POSTMORTEM_TIMELINE_LIMIT);
  });
});
