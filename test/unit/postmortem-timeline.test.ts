/** The incident's timeline in a postmortem's words, with late deliveries marked. */
import type { AlertTransition } from '../../src/domain/alert';
import { postmortemTimeline } from '../../src/domain/postmortem-timeline';
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
  postmortemTimeline(incidentFrom('inc-1', deliveries, people), 60).map((e) => [e.kind, e.text]);

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
    const texts = postmortemTimeline({ ...incident, alerts: [] }, 60).map((e) => e.text);
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
    postmortemTimeline(incidentFrom('inc-1', deliveries, people), 60).map((e) => [
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
