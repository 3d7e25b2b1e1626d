/**
 * Real incidents for postmortem tests, grown with the domain's own builders, and the reference incident of
 * /work/shared/reference: 404s on the home, login and booking pages from 18:26 to 19:58 WAT on 2019-06-28.
 */
import type { Alert, AlertTransition } from '../../src/domain/alert';
import type { Incident, IncidentAcknowledgement, IncidentNote } from '../../src/domain/incident';
import { acknowledge, addNote, appendAlerts, newIncident } from '../../src/domain/incident-building';
import type { ProjectionRules } from '../../src/domain/incident-projection';
import type { ActionItem } from '../../src/domain/postmortem';
import { makeAlert } from './alerts';

/**
 * The short names a zone may carry at an instant, by ICU version, written out here: expected values are never
 * asked from Intl, which is what the code under test does. Africa/Lagos is `WAT` (as the reference report and
 * the golden files write it) in some ICU versions, `GMT+1` in others (this machine's Node 20 with ICU 78).
 */
const ZONE_NAMES: readonly { zone: string; from: string; until: string; names: readonly string[] }[] = [
  {
    zone: 'Africa/Lagos',
    from: '2019-01-01T00:00:00Z',
    until: '2027-01-01T00:00:00Z',
    names: ['WAT', 'GMT+1'],
  },
];

/** The documented short names of the zone at that instant; throws for a zone and instant not in the table. */
export function zoneNamesAt(timeZone: string, at: Date): readonly string[] {
  const entry = ZONE_NAMES.find(
    (e) => e.zone === timeZone && Date.parse(e.from) <= at.getTime() && at.getTime() < Date.parse(e.until),
  );
  if (entry === undefined)
    throw new Error(`no documented short names for ${timeZone} at ${at.toISOString()}`);
  return entry.names;
}

/** Africa/Lagos's short names on the reference day: `WAT`, the golden files' spelling, first. */
export const LAGOS_NAMES = zoneNamesAt('Africa/Lagos', new Date('2019-06-28T12:00:00Z'));

/** A pattern matching any one of the names, and nothing else, for a RegExp. */
export function anyOf(names: readonly string[]): string {
  return `(?:${names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
}

export const RULES: ProjectionRules = { openingTransitions: new Set(['triggered', 'retriggered']) };
export const BUILT_AT = new Date('2030-01-01T00:00:00Z');

export interface Delivery {
  alert: Alert;
  /** When Hindsight received it; the alert's own time when left out. */
  receivedAt?: string;
}

/** An incident grown delivery by delivery, then noted and acknowledged, the way the use-cases do it. */
export function incidentFrom(
  id: string,
  deliveries: readonly Delivery[],
  people: { notes?: IncidentNote[]; acks?: IncidentAcknowledgement[] } = {},
): Incident {
  const received = deliveries.map((d) => ({
    alert: d.alert,
    receivedAt: new Date(d.receivedAt ?? d.alert.at),
  }));
  const [first, ...rest] = received;
  if (first === undefined) throw new Error('an incident needs a first alert');
  let incident = newIncident(id, first.alert.groupKey, [first], RULES, BUILT_AT);
  for (const r of rest) incident = appendTo(incident, r.alert, r.receivedAt.toISOString());
  for (const ack of people.acks ?? []) incident = acknowledge(incident, ack, BUILT_AT);
  for (const note of people.notes ?? []) incident = addNote(incident, note, BUILT_AT);
  return incident;
}

/** The incident with one more delivery. */
export function appendTo(incident: Incident, alert: Alert, receivedAt: string = alert.at): Incident {
  return appendAlerts(incident, [{ alert, receivedAt: new Date(receivedAt) }], RULES, BUILT_AT).next;
}

export const HOME_MONITOR = {
  id: '1234',
  name: 'Home page 404s',
  url: 'https://app.datadoghq.com/monitors/1234',
  query: 'sum(last_5m):sum:trace.http.request.hits{http.status_code:404} by {url} > 100',
};

/** An alert of the reference incident's monitor on one page. */
export function homePageAlert(
  scope: string,
  transition: AlertTransition,
  at: string,
  where: { services: string[]; hosts: string[] },
): Alert {
  return makeAlert({
    transition,
    at,
    scope,
    groupKey: 'datadog:monitor:1234',
    title: 'Home page 404s',
    severity: 'P1',
    message: 'More than 100 requests answered 404 in 5 minutes',
    monitor: HOME_MONITOR,
    ...where,
  });
}

export const REFERENCE_ID = 'inc-2019-06-28-home-404';
export const REFERENCE_URL = `https://hindsight.example.com/incidents/${REFERENCE_ID}`;

/**
 * The reference incident: the home page alert fires at 17:26 UTC (18:26 WAT) and reaches Hindsight 64 s late,
 * login and booking follow; alice acknowledges and notes the rollback; the last page recovers at 18:58 UTC.
 */
export function referenceIncident(): Incident {
  const web1 = { services: ['web'], hosts: ['web-1'] };
  const web2 = { services: ['web'], hosts: ['web-2'] };
  const booking = { services: ['booking'], hosts: ['web-2'] };
  return incidentFrom(
    REFERENCE_ID,
    [
      {
        alert: homePageAlert('url:/', 'triggered', '2019-06-28T17:26:00.000Z', web1),
        receivedAt: '2019-06-28T17:27:04.000Z',
      },
      { alert: homePageAlert('url:/login', 'triggered', '2019-06-28T17:26:30.000Z', web2) },
      { alert: homePageAlert('url:/booking', 'triggered', '2019-06-28T17:27:00.000Z', booking) },
      { alert: homePageAlert('url:/login', 'recovered', '2019-06-28T18:41:00.000Z', web2) },
      { alert: homePageAlert('url:/booking', 'recovered', '2019-06-28T18:52:00.000Z', booking) },
      { alert: homePageAlert('url:/', 'recovered', '2019-06-28T18:58:00.000Z', web1) },
    ],
    {
      acks: [
        { by: 'alice', at: new Date('2019-06-28T17:31:00Z'), receivedAt: new Date('2019-06-28T17:31:00Z') },
      ],
      notes: [
        {
          id: 'n1',
          author: 'alice',
          text: 'the header file’s href points to localhost',
          at: new Date('2019-06-28T17:40:00Z'),
          receivedAt: new Date('2019-06-28T17:40:00Z'),
        },
        {
          id: 'n2',
          author: 'alice',
          text: 'rolled back the header change',
          at: new Date('2019-06-28T18:15:00Z'),
          receivedAt: new Date('2019-06-28T18:16:00Z'),
        },
      ],
    },
  );
}

export function actionItem(overrides: Partial<ActionItem> & { id: string; task: string }): ActionItem {
  const createdAt = new Date('2019-07-01T09:00:00Z');
  return {
    incidentId: REFERENCE_ID,
    owner: null,
    deadline: null,
    status: 'open',
    createdAt,
    updatedAt: createdAt,
    completedAt: null,
    version: 1,
    ...overrides,
  };
}

/** The reference incident, reopened by url:/ at 20:10 WAT and resolved again at 20:26 WAT. */
export function reopenedReference(): Incident {
  const where = { services: ['web'], hosts: ['web-1'] };
  return [
    homePageAlert('url:/', 'retriggered', '2019-06-28T19:10:00.000Z', where),
    homePageAlert('url:/', 'recovered', '2019-06-28T19:26:00.000Z', where),
  ].reduce((incident, alert) => appendTo(incident, alert), referenceIncident());
}
