/**
 * Replays for integration tests: deliveries (the bytes and headers a monitor sends) varied from the fixtures
 * under test/fixtures/<source>/ into episodes of their own (one builder per source, below), posted all at once
 * in a seeded shuffled order, and what the workers logged of each alert they ingested.
 *
 * A delivery names the events it carries (`dd T1`, `am web-2 firing`), in the order its alerts come: the test
 * says which event is which, and checks that the source gives one eventId to each name, however often and by
 * whichever peer it is sent.
 */
import request from 'supertest';
import { shuffle } from './load';
import { WEBHOOK_TOKEN, type Pipeline } from './pipeline';
import { fixtureNamed } from './source-fixtures';

export interface Delivery {
  /** What it stands for, in failure messages: `alertmanager N2 from peer-1`. */
  label: string;
  source: string;
  /** The events its alerts are, in order. */
  events: readonly string[];
  /** The bytes sent. */
  body: string;
  headers: Readonly<Record<string, string>>;
}

export interface Posted {
  delivery: Delivery;
  status: number;
  /** The eventId of each alert accepted, in the order of `delivery.events`. */
  eventIds: string[];
}

/** A deep copy of a fixture's body, to vary into a delivery. */
export function fixtureBody<T>(source: string, name: string): T {
  return structuredClone(fixtureNamed(source, name).body) as T;
}

/** A delivery of these events: the body as its JSON text (or the text given), with these headers. */
export function delivery(
  label: string,
  source: string,
  events: readonly string[],
  body: unknown,
  headers: Record<string, string> = {},
): Delivery {
  return { label, source, events, body: typeof body === 'string' ? body : JSON.stringify(body), headers };
}

/** The same delivery sent again: the same bytes, and the same headers unless others are given. */
export function again(sent: Delivery, headers: Record<string, string> = { ...sent.headers }): Delivery {
  return { ...sent, label: `${sent.label}, again`, headers };
}

/** Posts every delivery at once, in the order `random` shuffles them into; resolves once all are answered. */
export async function postAtOnce(
  pipeline: Pipeline,
  deliveries: readonly Delivery[],
  random: () => number,
): Promise<Posted[]> {
  return Promise.all(
    shuffle(deliveries, random).map(async (sent) => {
      let req = request(pipeline.app)
        .post(`/webhooks/${sent.source}`)
        .set('Authorization', `Bearer ${WEBHOOK_TOKEN}`)
        .set('Content-Type', 'application/json');
      for (const [name, value] of Object.entries(sent.headers)) req = req.set(name, value);
      const res = await req.send(sent.body);
      const accepted = (res.body as { accepted?: { eventId: string }[] }).accepted ?? [];
      return { delivery: sent, status: res.status, eventIds: accepted.map((a) => a.eventId) };
    }),
  );
}

/**
 * The eventId of each event name, from the answers; throws naming the event when a source gave one name two
 * eventIds, two names one eventId, or a delivery a number of alerts other than its events.
 */
export function eventIdsByName(posted: readonly Posted[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const { delivery: sent, eventIds } of posted) {
    if (eventIds.length !== sent.events.length)
      throw new Error(`${sent.label}: ${eventIds.length} alerts accepted for ${sent.events.length} events`);
    sent.events.forEach((name, i) => {
      const known = ids.get(name);
      if (known !== undefined && known !== eventIds[i])
        throw new Error(`${sent.label}: ${name} is ${eventIds[i]}, and was ${known} before`);
      ids.set(name, eventIds[i]!);
    });
  }
  const names = [...ids.keys()];
  const shared = names.find((name, i) => names.findIndex((other) => ids.get(other) === ids.get(name)) !== i);
  if (shared !== undefined) throw new Error(`${shared} has the eventId of another event: ${ids.get(shared)}`);
  return ids;
}

/** Each ingested alert's outcomes (`applied`, `duplicate`, `held`, `test`), by eventId, as the workers logged them. */
export function outcomesByEventId(logLines: readonly string[]): Map<string, string[]> {
  const outcomes = new Map<string, string[]>();
  for (const line of logLines) {
    if (!line.includes('"alert ingested"')) continue;
    const { eventId, outcome } = JSON.parse(line) as { eventId: string; outcome: string };
    outcomes.set(eventId, [...(outcomes.get(eventId) ?? []), outcome]);
  }
  return outcomes;
}

// Each source's deliveries, varied from its fixtures. Times are ISO-8601 text, as the monitors write them.

/** The delivery of one event: the fixture's body, changed by `change`. */
function varied<T>(
  source: string,
  fixture: string,
  event: string,
  change: (body: T) => void,
  headers: Record<string, string> = {},
): Delivery {
  const body = fixtureBody<T>(source, fixture);
  change(body);
  return delivery(`${source} ${event}`, source, [event], body, headers);
}

export function datadogDelivery(
  event: string,
  fields: { id: string; transition: 'Triggered' | 'Recovered'; at: string; cycleKey: string },
): Delivery {
  const scoped = `[${fields.transition} on {env:prod,service:checkout}] Checkout error rate above 5%`;
  return varied<Record<string, string>>('datadog', 'custom-triggered', event, (body) =>
    Object.assign(body, {
      id: fields.id,
      alert_transition: fields.transition,
      alert_cycle_key: fields.cycleKey,
      alert_title: scoped,
      event_title: `[P2] ${scoped}`,
      alert_type: fields.transition === 'Recovered' ? 'success' : 'error',
      date: String(Date.parse(fields.at)),
      last_updated: String(Date.parse(fields.at)),
    }),
  );
}

/** One alert of an Alertmanager-shaped notification (Alertmanager's, Grafana's). */
export interface ListedAlert {
  status: string;
  labels: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint: string;
}

interface AlertGroupBody {
  status: string;
  alerts: ListedAlert[];
  externalURL: string;
}

/** Go's zero time: the `endsAt` of an alert still firing. */
export const NOT_ENDED = '0001-01-01T00:00:00Z';

/** The first alert of the fixture's group as one episode (labels added, its fingerprint, its start): by status. */
export function listedAlert(
  source: string,
  fixture: string,
  episode: { labels?: Record<string, string>; fingerprint?: string; startsAt: string },
): (status: 'firing' | 'resolved', endsAt?: string) => ListedAlert {
  const [template] = fixtureBody<AlertGroupBody>(source, fixture).alerts;
  return (status, endsAt = NOT_ENDED) => ({
    ...template!,
    labels: { ...template!.labels, ...episode.labels },
    fingerprint: episode.fingerprint ?? template!.fingerprint,
    startsAt: episode.startsAt,
    endsAt,
    status,
  });
}

/** A notification of the fixture's group: its status, its sender's URL, and the `[event, alert]` it lists. */
export function alertGroupDelivery(
  label: string,
  source: string,
  fixture: string,
  notified: { status: 'firing' | 'resolved'; externalURL?: string; alerts: [string, ListedAlert][] },
): Delivery {
  const body = fixtureBody<AlertGroupBody>(source, fixture);
  body.status = notified.status;
  body.alerts = notified.alerts.map(([, alert]) => alert);
  if (notified.externalURL !== undefined) body.externalURL = notified.externalURL;
  return delivery(
    label,
    source,
    notified.alerts.map(([event]) => event),
    body,
  );
}

/** A PagerDuty V3 event about another incident; `id: null` leaves the event's id out (X-Webhook-Id names it). */
export function pagerDutyDelivery(
  event: string,
  fixture: string,
  fields: { id: string | null; incident: string; number: number; at: string },
  headers: Record<string, string> = {},
): Delivery {
  type Body = { event: { id?: string; occurred_at: string; data: object } };
  return varied<Body>(
    'pagerduty',
    fixture,
    event,
    (body) => {
      if (fields.id === null) delete body.event.id;
      else body.event.id = fields.id;
      body.event.occurred_at = fields.at;
      Object.assign(body.event.data, {
        id: fields.incident,
        number: fields.number,
        html_url: `https://acme.pagerduty.com/incidents/${fields.incident}`,
      });
    },
    headers,
  );
}

/** An Opsgenie action on another alert, done `at` (its updatedAt, in nanoseconds: whole seconds stay exact). */
export function opsgenieDelivery(
  event: string,
  fixture: string,
  fields: { alertId: string; alias: string; createdAt: string; at: string },
): Delivery {
  return varied<{ alert: object }>('opsgenie', fixture, event, (body) =>
    Object.assign(body.alert, {
      alertId: fields.alertId,
      alias: fields.alias,
      createdAt: Date.parse(fields.createdAt),
      updatedAt: Date.parse(fields.at) * 1e6,
    }),
  );
}

/**
 * A Sentry webhook: the fixture with its `data.event` (an issue alert) or `data.issue` (an issue webhook)
 * changed, sent at `sent.at` (Sentry-Hook-Timestamp: an issue webhook's time) with a Request-ID of its own.
 */
export function sentryDelivery(
  event: string,
  fixture: string,
  changed: { event?: object; issue?: object },
  sent: { requestId: string; at: string },
): Delivery {
  const headers = {
    ...fixtureNamed('sentry', fixture).headers,
    'Request-ID': sent.requestId,
    'Sentry-Hook-Timestamp': String(Math.floor(Date.parse(sent.at) / 1000)),
  };
  const change = (body: { data: Record<string, object> }) => {
    for (const [part, fields] of Object.entries(changed)) Object.assign(body.data[part]!, fields);
  };
  return varied('sentry', fixture, event, change, headers);
}

/** A generic alert about `alert` (a host) of `key`; `id: null` leaves the id out (the body's digest names it). */
export function genericDelivery(
  event: string,
  fields: { id: string | null; key: string; alert: string; status: string; at: string },
): Delivery {
  const { id, ...sent } = fields;
  return varied<Record<string, unknown>>('generic', 'triggered', event, (body) => {
    Object.assign(body, { ...sent, hosts: [fields.alert] });
    if (id === null) delete body.id;
    else body.id = id;
  });
}
