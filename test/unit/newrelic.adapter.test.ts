/**
 * The New Relic source: its fixtures (as the generic fixture table runs them), then what one fixture cannot
 * show: the pairing of an issue's notifications, every mapping entry, the time each transition reads, the
 * bounds on lists, and the refusals.
 */
import { parseNewRelicWebhook } from '../../src/sources/newrelic/newrelic.adapter';
import { severityOf, transitionOf } from '../../src/sources/newrelic/newrelic.mappings';
import { newrelicSource } from '../../src/sources/newrelic/newrelic.source';
import type { SourceContext } from '../../src/sources/source';
import { LIMITS } from '../../src/payloads/values';
import { fixtureAlerts, onlyAlert, parseBody, parseErrorOf, sourceContext } from '../helpers/source-tests';

function issue(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'issue-1',
    issueUrl: 'https://one.newrelic.com/issues/issue-1',
    title: 'Error rate high',
    priority: 'CRITICAL',
    state: 'ACTIVATED',
    trigger: 'STATE_CHANGE',
    createdAt: 1781431200000,
    updatedAt: 1781431230000,
    alertConditionNames: ['Error rate'],
    ...overrides,
  };
}

/** The one alert of the body (whether or not an ignored reason comes with it). */
function parseOne(body: unknown, overrides: Partial<SourceContext> = {}) {
  return onlyAlert(parseBody(newrelicSource, body, overrides).alerts);
}

describe('newrelic issue identity', () => {
  test('when the lifecycle trigger and recovery are parsed, then they share group and alert keys but not event ids', () => {
    const trigger = fixtureAlerts(newrelicSource, 'newrelic', 'default-activated')[0]!;
    const recovery = fixtureAlerts(newrelicSource, 'newrelic', 'default-closed')[0]!;
    expect(recovery.groupKey).toBe(trigger.groupKey);
    expect(recovery.alertKey).toBe(trigger.alertKey);
    expect(recovery.eventId).not.toBe(trigger.eventId);
    expect(trigger.eventId).toMatch(/^newrelic:[0-9a-f]{32}$/);
    expect(new Date(recovery.at).getTime()).toBeGreaterThan(new Date(trigger.at).getTime());
  });

  test('when the same notification is delivered twice with other whitespace, then its event id is the same', () => {
    const body = issue();
    const first = parseOne(body);
    const again = parseNewRelicWebhook(body, sourceContext(JSON.stringify(body, null, 2)));
    expect(again.alerts[0]!.eventId).toBe(first.eventId);
  });

  test.each([
    ['state', { state: 'CLOSED' }],
    ['trigger', { trigger: 'PRIORITY_CHANGED' }],
    ['update time', { updatedAt: 1781431290000 }],
    ['issue', { id: 'issue-2' }],
  ])('when only the %s differs, then the event id differs', (_what, change) => {
    expect(parseOne(issue(change)).eventId).not.toBe(parseOne(issue()).eventId);
  });

  test('when updatedAt is not sent, then the bytes decide the event id', () => {
    const body = issue({ updatedAt: undefined });
    expect(parseOne(body).eventId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('when the issue id comes as issueId, then it keys the group, and id wins when both are sent', () => {
    expect(parseOne(issue({ id: undefined, issueId: 'issue-9' })).groupKey).toBe('newrelic:issue:issue-9');
    expect(parseOne(issue({ issueId: 'issue-9' })).groupKey).toBe('newrelic:issue:issue-1');
  });

  test('when the example issue id is sent, then it is a test, and any other id is not', () => {
    expect(parseOne(issue({ id: 'd1b1f3fd-995a-4066-88ab-8ce4f6960654' })).isTest).toBe(true);
    expect(parseOne(issue()).isTest).toBe(false);
  });
});

describe('newrelic mappings', () => {
  test.each([
    ['CREATED', 'triggered'],
    ['ACTIVATED', 'triggered'],
    ['ACKNOWLEDGED', 'acknowledged'],
    ['CLOSED', 'recovered'],
    ['closed', 'recovered'],
  ])('when the state is %s, then the transition is %s', (state, transition) => {
    expect(transitionOf(state, null)).toEqual({ transition, raw: state });
    expect(parseOne(issue({ state })).transition).toBe(transition);
  });

  test('when an activated issue comes with trigger USER_ACTION, then it is an acknowledgement named by the trigger', () => {
    expect(transitionOf('ACTIVATED', 'USER_ACTION')).toEqual({
      transition: 'acknowledged',
      raw: 'USER_ACTION',
    });
    expect(transitionOf('ACTIVATED', 'user action')).toEqual({
      transition: 'acknowledged',
      raw: 'user action',
    });
    expect(parseOne(issue({ trigger: undefined, triggerEvent: 'USER_ACTION' })).transition).toBe(
      'acknowledged',
    );
  });

  test.each([
    ['CLOSED', 'USER_ACTION', 'recovered'],
    ['CREATED', 'USER_ACTION', 'triggered'],
    ['ACTIVATED', 'INCIDENT_ADDED', 'triggered'],
    ['ACTIVATED', 'PRIORITY_CHANGED', 'triggered'],
  ])('when the state is %s and the trigger %s, then the transition is %s', (state, trigger, transition) => {
    expect(transitionOf(state, trigger)).toEqual({ transition, raw: state });
  });

  test.each(['RESOLVED', 'open', '', 'constructor', '__proto__'])(
    'when the state is %j, then it is no known transition',
    (state) => {
      expect(transitionOf(state, null)).toBeNull();
    },
  );

  test.each([
    ['CRITICAL', 'P1'],
    ['HIGH', 'P2'],
    ['MEDIUM', 'P3'],
    ['LOW', 'P4'],
    ['low', 'P4'],
  ])('when the priority is %s, then the severity is %s', (priority, severity) => {
    expect(severityOf(priority)).toBe(severity);
    expect(parseOne(issue({ priority })).severity).toBe(severity);
  });

  test.each([null, 'URGENT', 'toString', ''])(
    'when the priority is %j, then there is no severity',
    (priority) => {
      expect(severityOf(priority)).toBeNull();
    },
  );

  test('when the state is unknown, then the refusal names state and quotes the word', () => {
    const error = parseErrorOf(newrelicSource, issue({ state: 'RESOLVED' }));
    expect(error.field).toBe('state');
    expect(error.message).toContain('"RESOLVED"');
  });
});

describe('newrelic event times', () => {
  test('when an activated issue sends activatedAt, then that is its time, ahead of createdAt', () => {
    const alert = parseOne(issue({ activatedAt: 1781431260000 }));
    expect([alert.at, alert.atOrigin]).toEqual(['2026-06-14T10:01:00.000Z', 'source']);
  });

  test('when a trigger has neither activatedAt nor createdAt, then its update time is its time', () => {
    expect(parseOne(issue({ createdAt: undefined })).at).toBe('2026-06-14T10:00:30.000Z');
  });

  test('when a close sends closedAt, then that is its time; without it, the update time', () => {
    expect(parseOne(issue({ state: 'CLOSED', closedAt: 1781431320000 })).at).toBe('2026-06-14T10:02:00.000Z');
    expect(parseOne(issue({ state: 'CLOSED' })).at).toBe('2026-06-14T10:00:30.000Z');
  });

  test('when an acknowledgement sends acknowledgedAt, then that is its time; without it, the update time', () => {
    const state = 'ACKNOWLEDGED';
    expect(parseOne(issue({ state, acknowledgedAt: 1781431290000 })).at).toBe('2026-06-14T10:01:30.000Z');
    expect(parseOne(issue({ state })).at).toBe('2026-06-14T10:00:30.000Z');
  });

  test('when a close has no time at all, then it keeps the receipt time and says so', () => {
    const alert = parseOne(issue({ state: 'CLOSED', updatedAt: undefined, createdAt: undefined }));
    expect([alert.at, alert.atOrigin]).toEqual(['2026-06-14T10:02:30.000Z', 'received']);
  });

  test('when a time is an ISO text, then it is read as one', () => {
    expect(parseOne(issue({ createdAt: '2026-06-14T09:59:00Z' })).at).toBe('2026-06-14T09:59:00.000Z');
  });

  test('when a time is no time, then the refusal names it', () => {
    expect(parseErrorOf(newrelicSource, issue({ createdAt: 'yesterday' })).field).toBe('createdAt');
    expect(parseErrorOf(newrelicSource, issue({ state: 'CLOSED', closedAt: { at: 1 } })).field).toBe(
      'closedAt',
    );
  });
});

describe('newrelic title, message and monitor', () => {
  test('when title is missing, then issueTitle, else the first condition, else the issue id names it', () => {
    expect(parseOne(issue({ title: undefined, issueTitle: 'From issueTitle' })).title).toBe(
      'From issueTitle',
    );
    expect(parseOne(issue({ title: undefined })).title).toBe('Error rate');
    expect(parseOne(issue({ title: '  ', alertConditionNames: [] })).title).toBe('New Relic issue issue-1');
  });

  test('when the title is longer than the cap, then it is cut to the cap', () => {
    expect(parseOne(issue({ title: 'x'.repeat(LIMITS.title + 50) })).title).toHaveLength(LIMITS.title);
  });

  test('when a description is sent, then it is the message; else the lists say what is affected', () => {
    expect(parseOne(issue({ description: 'Runbook: restart' })).message).toBe('Runbook: restart');
    expect(parseOne(issue({ details: 'From details' })).message).toBe('From details');
    expect(parseOne(issue({ alertConditionNames: undefined })).message).toBe('');
    const alert = parseOne(
      issue({ alertPolicyNames: ['A', 'B'], impactedEntities: ['web'], totalIncidents: 3 }),
    );
    expect(alert.message).toBe('Policies: A, B\nConditions: Error rate\nEntities: web\nIncidents: 3');
  });

  test('when the description or the condition naming the issue is longer than its cap, then it is cut', () => {
    expect(parseOne(issue({ description: 'd'.repeat(LIMITS.message + 1) })).message).toHaveLength(
      LIMITS.message,
    );
    const condition = 'c'.repeat(LIMITS.title + 100);
    expect(parseOne(issue({ title: undefined, alertConditionNames: [condition] })).title).toHaveLength(
      LIMITS.title,
    );
  });

  test('when the issue URL is not http(s), then the monitor has none; issuePageUrl is read too', () => {
    expect(parseOne(issue({ issueUrl: 'javascript:alert(1)' })).monitor.url).toBeNull();
    expect(parseOne(issue({ issueUrl: undefined, issuePageUrl: 'http://nr.example/i' })).monitor.url).toBe(
      'http://nr.example/i',
    );
  });

  test('when no condition is named, then the monitor is the issue', () => {
    const alert = parseOne(issue({ alertConditionNames: undefined }));
    expect(alert.monitor).toEqual({
      id: 'issue-1',
      name: 'Error rate high',
      url: 'https://one.newrelic.com/issues/issue-1',
      query: null,
    });
    expect(alert.cycleKey).toBe('issue-1');
  });
});

describe('newrelic services, hosts and tags', () => {
  test('when entities are names, then they are services, deduplicated with the service labels', () => {
    const alert = parseOne(issue({ impactedEntities: ['web', 'web', 'api'], labels: { service: 'api' } }));
    expect(alert.services).toEqual(['web', 'api']);
    expect(alert.hosts).toEqual([]);
  });

  test('when entities are objects, then a HOST is a host and any other type or none a service', () => {
    const alert = parseOne(
      issue({
        impactedEntities: [
          { name: 'db-1', type: 'host' },
          { name: 'svc', type: 'SERVICE' },
          { name: 'plain' },
          { type: 'HOST' },
          null,
        ],
      }),
    );
    expect(alert.hosts).toEqual(['db-1']);
    expect(alert.services).toEqual(['svc', 'plain']);
  });

  test('when labels and tags maps are sent, then scalars and lists of scalars become labels, other values not', () => {
    const alert = parseOne(
      issue({
        alertConditionNames: undefined,
        labels: { env: 'prod', count: 3, on: true, nested: { a: 1 }, list: ['a', { b: 1 }, 2] },
        tags: { host: ['h-1'], ' ': 'blank key' },
      }),
      { hostTagKeys: ['host'] },
    );
    expect(alert.tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'count', value: '3' },
      { key: 'on', value: 'true' },
      { key: 'list', value: 'a' },
      { key: 'list', value: '2' },
      { key: 'host', value: 'h-1' },
    ]);
    expect(alert.hosts).toEqual(['h-1']);
  });

  test('when a label map is a list or text, then the refusal names it', () => {
    expect(parseErrorOf(newrelicSource, issue({ labels: ['env:prod'] })).field).toBe('labels');
    expect(parseErrorOf(newrelicSource, issue({ tags: 'env:prod' })).field).toBe('tags');
  });

  test('when a list item has the wrong type, then the refusal names the item', () => {
    expect(parseErrorOf(newrelicSource, issue({ alertConditionNames: [['nested']] })).field).toBe(
      'alertConditionNames[0]',
    );
    expect(parseErrorOf(newrelicSource, issue({ sources: 'newrelic' })).field).toBe('sources');
    expect(parseErrorOf(newrelicSource, issue({ impactedEntities: [{ name: { x: 1 } }] })).field).toBe(
      'impactedEntities[0].name',
    );
    expect(parseErrorOf(newrelicSource, issue({ impactedEntities: [{ name: 'a', type: [1] }] })).field).toBe(
      'impactedEntities[0].type',
    );
  });

  test('when a list is longer than the label cap, then it is refused rather than cut', () => {
    const names = Array.from({ length: LIMITS.labels + 1 }, (_, i) => `p${i}`);
    expect(parseErrorOf(newrelicSource, issue({ alertPolicyNames: names })).field).toBe('alertPolicyNames');
    expect(parseOne(issue({ alertPolicyNames: names.slice(1) })).tags.length).toBeLessThanOrEqual(
      LIMITS.labels,
    );
  });

  test('when a label value is longer than the text cap, then it is cut to the cap', () => {
    const alert = parseOne(
      issue({ alertConditionNames: undefined, labels: { env: 'v'.repeat(LIMITS.text + 9) } }),
    );
    expect(alert.tags[0]!.value).toHaveLength(LIMITS.text);
  });

  test('when a label map has more keys than the cap, then only the first ones are read', () => {
    const labels = Object.fromEntries(Array.from({ length: LIMITS.labels + 5 }, (_, i) => [`k${i}`, 'v']));
    const alert = parseOne(issue({ alertConditionNames: undefined, labels }));
    expect(alert.tags).toHaveLength(LIMITS.labels);
    expect(alert.tags.at(-1)).toEqual({ key: `k${LIMITS.labels - 1}`, value: 'v' });
  });

  test('when label keys and values carry spaces, then they are trimmed; a key longer than the cap is cut', () => {
    const long = 'k'.repeat(LIMITS.text + 3);
    const alert = parseOne(
      issue({ alertConditionNames: undefined, labels: { ' env ': ' prod ', [long]: 'v' } }),
    );
    expect(alert.tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'k'.repeat(LIMITS.text), value: 'v' },
    ]);
  });

  test('when an entity is a list, then the refusal names the item', () => {
    expect(parseErrorOf(newrelicSource, issue({ impactedEntities: [['web']] })).field).toBe(
      'impactedEntities[0]',
    );
  });

  test('when a hostile __proto__ label is sent, then no object prototype is touched', () => {
    const body = JSON.parse(
      '{"id":"i","state":"ACTIVATED","labels":{"__proto__":"x","service":"s"}}',
    ) as unknown;
    const alert = parseOne(body);
    expect(alert.tags).toContainEqual({ key: '__proto__', value: 'x' });
    expect(alert.services).toEqual(['s']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('newrelic refusals', () => {
  test.each([
    ['an array', []],
    ['null', null],
    ['text', 'ACTIVATED'],
  ])('when the body is %s, then the refusal names the payload', (_what, body) => {
    expect(parseErrorOf(newrelicSource, body).field).toBe('payload');
  });

  test('when the id is an object, then the refusal names id', () => {
    expect(parseErrorOf(newrelicSource, issue({ id: { value: 'x' } })).field).toBe('id');
  });

  test('when neither id nor issueId is sent, then the refusal says which template variable to use', () => {
    const error = parseErrorOf(newrelicSource, issue({ id: undefined }));
    expect([error.field, error.message]).toEqual(['id', expect.stringContaining('issueId')]);
  });

  test('when the state is a number or missing, then the refusal names state', () => {
    expect(parseErrorOf(newrelicSource, issue({ state: 3 })).field).toBe('state');
    expect(parseErrorOf(newrelicSource, issue({ state: undefined })).field).toBe('state');
  });
});
