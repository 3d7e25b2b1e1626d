/**
 * The Sentry source: its fixtures (as the generic fixture table runs them), then what one fixture cannot
 * show: identities across Sentry's retries, every mapping entry, the resource dispatch, times, bounds,
 * refusals, and the signature.
 */
import type { ValidationError } from '../../src/errors';
import { parseSentryWebhook } from '../../src/sources/sentry/sentry.adapter';
import {
  issueAction,
  metricAlertAction,
  severityOfLevel,
  trackedResource,
} from '../../src/sources/sentry/sentry.mappings';
import { signSentryBody, verifySentrySignature } from '../../src/sources/sentry/sentry.signature';
import { sentrySource } from '../../src/sources/sentry/sentry.source';
import type { SignedRequest, SourceContext } from '../../src/sources/source';
import { LIMITS } from '../../src/payloads/values';
import { fixtureAlerts, onlyAlertIn, sourceContext, validationErrorOf } from '../helpers/source-tests';

/** The context of the body sent with these headers. */
const contextFor = (
  body: unknown,
  headers: Record<string, string> = {},
  overrides: Partial<SourceContext> = {},
) => sourceContext(JSON.stringify(body), overrides, headers);

function issueAlert(event: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  return {
    action: 'triggered',
    installation: { uuid: 'inst-1' },
    data: {
      triggered_rule: 'Errors in prod',
      event: {
        event_id: 'ev-1',
        issue_id: '42',
        title: 'TypeError: boom',
        level: 'error',
        datetime: '2026-06-14T10:00:00Z',
        web_url: 'https://acme.sentry.io/issues/42/events/ev-1/',
        tags: [['environment', 'production']],
        ...event,
      },
      ...data,
    },
  };
}

function metricAlert(
  action = 'critical',
  incident: Record<string, unknown> = {},
  data: Record<string, unknown> = {},
) {
  return {
    action,
    data: {
      description_text: '100 events in the last 10 minutes',
      description_title: 'Critical: Too many errors',
      web_url: 'https://acme.sentry.io/alerts/7/',
      metric_alert: {
        id: '900',
        date_started: '2026-06-14T09:50:00Z',
        date_detected: '2026-06-14T10:00:00Z',
        date_closed: null,
        projects: ['api'],
        alert_rule: {
          id: '7',
          name: 'Too many errors',
          aggregate: 'count()',
          query: 'level:error',
          projects: ['api'],
        },
        ...incident,
      },
      ...data,
    },
  };
}

function issueEvent(
  action = 'resolved',
  issue: Record<string, unknown> = {},
  root: Record<string, unknown> = {},
) {
  return {
    action,
    actor: { type: 'user', id: 1, name: 'Jane Doe' },
    data: {
      issue: {
        id: '42',
        title: 'TypeError: boom',
        level: 'error',
        lastSeen: '2026-06-14T10:00:00Z',
        web_url: 'https://acme.sentry.io/issues/42/',
        project: { slug: 'api' },
        ...issue,
      },
    },
    ...root,
  };
}

const EVENT_ALERT = { 'Sentry-Hook-Resource': 'event_alert' };
const METRIC = { 'Sentry-Hook-Resource': 'metric_alert' };
const ISSUE = { 'Sentry-Hook-Resource': 'issue', 'Sentry-Hook-Timestamp': '1781432400' };

function parseOne(body: unknown, headers: Record<string, string>, overrides: Partial<SourceContext> = {}) {
  return onlyAlertIn(parseSentryWebhook(body, contextFor(body, headers, overrides)));
}

function refusal(body: unknown, headers: Record<string, string> = EVENT_ALERT): ValidationError {
  return validationErrorOf(() => parseSentryWebhook(body, contextFor(body, headers)));
}

describe('sentry identities', () => {
  test('when the lifecycle trigger and recovery are parsed, then they share group and alert keys but not event ids', () => {
    const trigger = fixtureAlerts(sentrySource, 'sentry', 'event-alert-triggered')[0]!;
    const recovery = fixtureAlerts(sentrySource, 'sentry', 'issue-resolved')[0]!;
    expect(recovery.groupKey).toBe(trigger.groupKey);
    expect(recovery.alertKey).toBe(trigger.alertKey);
    expect(recovery.eventId).not.toBe(trigger.eventId);
    expect(new Date(recovery.at).getTime()).toBeGreaterThan(new Date(trigger.at).getTime());
  });

  test.each([
    ['an issue alert', issueAlert(), EVENT_ALERT],
    ['a metric alert', metricAlert(), METRIC],
    ['an issue resolution', issueEvent(), ISSUE],
  ])(
    'when Sentry retries %s with a new Request-ID, timestamp and bytes, then the event id is the same',
    (_what, body, headers) => {
      const first = parseOne(body, { ...headers, 'Request-ID': 'a'.repeat(32) });
      const retry = parseOne(
        body,
        { ...headers, 'Request-ID': 'b'.repeat(32), 'Sentry-Hook-Timestamp': '1781432700' },
        { rawBody: JSON.stringify(body, null, 1) },
      );
      expect(retry.eventId).toBe(first.eventId);
      expect(first.eventId).toMatch(/^sentry:[0-9a-f]{32}$/);
    },
  );

  test.each([
    ['another event', issueAlert({ event_id: 'ev-2' })],
    ['another rule', issueAlert({}, { triggered_rule: 'Other rule' })],
    ['another issue', issueAlert({ issue_id: '43' })],
  ])('when an issue alert is about %s, then its event id differs', (_what, body) => {
    expect(parseOne(body, EVENT_ALERT).eventId).not.toBe(parseOne(issueAlert(), EVENT_ALERT).eventId);
  });

  test('when an issue alert carries no event id, then the bytes decide', () => {
    expect(parseOne(issueAlert({ event_id: undefined }), EVENT_ALERT).eventId).toMatch(
      /^sha256:[0-9a-f]{64}$/,
    );
  });

  test.each([
    ['another action', metricAlert('warning')],
    ['another metric value', metricAlert('critical', {}, { description_text: '900 events' })],
    ['another link', metricAlert('critical', {}, { web_url: 'https://acme.sentry.io/alerts/8/' })],
    ['another incident', metricAlert('critical', { id: '901' })],
  ])('when a metric alert differs by %s, then its event id differs', (_what, body) => {
    expect(parseOne(body, METRIC).eventId).not.toBe(parseOne(metricAlert(), METRIC).eventId);
  });

  test('when a metric alert has neither description nor link, then its event id is still the incident and action', () => {
    const bare = metricAlert('critical', {}, { description_text: undefined, web_url: undefined });
    expect(parseOne(bare, METRIC).eventId).toBe(parseOne(bare, METRIC).eventId);
    expect(parseOne(bare, METRIC).eventId).not.toBe(parseOne(metricAlert(), METRIC).eventId);
  });

  test.each([
    ['a later regression', issueEvent('resolved', { lastSeen: '2026-06-14T11:00:00Z' })],
    ['another person', issueEvent('resolved', {}, { actor: { name: 'Sam Lee' } })],
    ['another action', issueEvent('assigned')],
    ['another issue', issueEvent('resolved', { id: '43' })],
  ])('when an issue webhook differs by %s, then its event id differs', (_what, body) => {
    expect(parseOne(body, ISSUE).eventId).not.toBe(parseOne(issueEvent(), ISSUE).eventId);
  });

  test('when an issue webhook has no lastSeen, then its event id is still stable', () => {
    const body = issueEvent('resolved', { lastSeen: undefined });
    expect(parseOne(body, ISSUE).eventId).toBe(parseOne(body, ISSUE).eventId);
  });
});

describe('sentry mappings', () => {
  test.each([
    ['fatal', 'P1'],
    ['error', 'P2'],
    ['warning', 'P3'],
    ['info', 'P4'],
    ['debug', 'P5'],
    ['ERROR', 'P2'],
  ])('when the level is %s, then the severity is %s', (level, severity) => {
    expect(severityOfLevel(level)).toBe(severity);
    expect(parseOne(issueAlert({ level }), EVENT_ALERT).severity).toBe(severity);
    expect(parseOne(issueEvent('resolved', { level }), ISSUE).severity).toBe(severity);
  });

  test.each([null, 'critical', 'sample', '__proto__'])(
    'when the level is %j, then there is no severity',
    (level) => {
      expect(severityOfLevel(level)).toBeNull();
    },
  );

  test('when the event has no level, then its level tag says it', () => {
    const body = issueAlert({ level: undefined, tags: [['level', 'warning']] });
    expect(parseOne(body, EVENT_ALERT).severity).toBe('P3');
    expect(parseOne(issueAlert({ level: undefined, tags: [] }), EVENT_ALERT).severity).toBeNull();
  });

  test.each([
    ['critical', 'triggered', 'P1'],
    ['warning', 'warn', 'P3'],
    ['resolved', 'recovered', null],
    ['CRITICAL', 'triggered', 'P1'],
  ])(
    'when a metric alert action is %s, then the transition is %s with severity %s',
    (action, transition, severity) => {
      expect(metricAlertAction(action)).toEqual({ transition, severity });
      const alert = parseOne(metricAlert(action), METRIC);
      expect([alert.transition, alert.severity, alert.rawTransition]).toEqual([transition, severity, action]);
    },
  );

  test.each([
    ['resolved', 'recovered'],
    ['assigned', 'acknowledged'],
  ])('when an issue action is %s, then the transition is %s', (action, transition) => {
    expect(issueAction(action)).toEqual({ transition, severity: null });
    expect(parseOne(issueEvent(action), ISSUE).transition).toBe(transition);
  });

  test.each(['created', 'unresolved', 'archived', 'ignored', 'constructor'])(
    'when an issue action is %s, then it is not tracked and the reason names it',
    (action) => {
      expect(issueAction(action)).toBeNull();
      const body = issueEvent(action);
      expect(parseSentryWebhook(body, contextFor(body, ISSUE))).toEqual({
        alerts: [],
        ignored: `issue.${action} is not tracked (issue alert rules open incidents)`,
      });
    },
  );

  test.each([
    ['event_alert', 'event_alert'],
    ['metric_alert', 'metric_alert'],
    ['issue', 'issue'],
    ['Metric-Alert', 'metric_alert'],
    ['installation', null],
    ['error', null],
    ['comment', null],
    ['hasOwnProperty', null],
  ])('when the resource is %s, then it is tracked as %s', (resource, tracked) => {
    expect(trackedResource(resource)).toBe(tracked);
  });

  test.each(['escalated', 'toString', ''])(
    'when a metric alert action is %j, then it is no known action',
    (action) => {
      expect(metricAlertAction(action)).toBeNull();
    },
  );
});

describe('sentry resources', () => {
  test.each([
    ['installation', 'deleted', 'installation.deleted carries no alert'],
    ['error', 'created', 'error.created carries no alert'],
    ['comment', 'created', 'comment.created carries no alert'],
  ])('when the resource is %s, then the %s event is ignored by name', (resource, action, reason) => {
    const body = { action, data: {} };
    expect(parseSentryWebhook(body, contextFor(body, { 'Sentry-Hook-Resource': resource }))).toEqual({
      alerts: [],
      ignored: reason,
    });
  });

  test('when an untracked resource has no action text, then the reason names the resource alone, capped', () => {
    const body = { action: { x: 1 } };
    const long = `seer${'x'.repeat(300)}`;
    const result = parseSentryWebhook(body, contextFor(body, { 'Sentry-Hook-Resource': long }));
    expect(result.ignored).toBe(`${long.slice(0, 100)} carries no alert`);
    const action = 'y'.repeat(300);
    const named = parseSentryWebhook({ action }, contextFor({ action }, { 'Sentry-Hook-Resource': 'seer' }));
    expect(named.ignored).toBe(`seer.${action.slice(0, 100)} carries no alert`);
  });

  test.each([
    ['a metric alert', metricAlert(), 'sentry:metric-alert:900'],
    ['an issue alert', issueAlert(), 'sentry:issue:42'],
    ['an issue', issueEvent(), 'sentry:issue:42'],
  ])('when %s comes without Sentry-Hook-Resource, then its data says what it is', (_what, body, groupKey) => {
    expect(parseOne(body, {}).groupKey).toBe(groupKey);
    expect(parseOne(body, { 'Sentry-Hook-Resource': '  ' }).groupKey).toBe(groupKey);
  });

  test('when neither the header nor the data says what it is, then the refusal names the header', () => {
    expect(refusal({ action: 'created', data: { installation: {} } }, {}).field).toBe('Sentry-Hook-Resource');
    expect(refusal({ action: 'created' }, {}).field).toBe('Sentry-Hook-Resource');
  });

  test('when a tracked resource has no action, or not as text, then the refusal names action', () => {
    expect(refusal({ data: {} }, EVENT_ALERT).field).toBe('action');
    expect(refusal({ ...issueEvent(), action: ['resolved'] }, ISSUE).field).toBe('action');
  });

  test('when an issue alert action is not triggered, then no alert and 2xx, the reason naming it', () => {
    const body = { ...issueAlert(), action: 'resolved' };
    expect(parseSentryWebhook(body, contextFor(body, EVENT_ALERT))).toEqual({
      alerts: [],
      ignored: 'event_alert.resolved is not tracked',
    });
  });

  test('when a metric alert action is unknown (the code of Sentry knows an open), then no alert and 2xx, the reason naming it', () => {
    for (const action of ['open', 'escalated']) {
      const body = metricAlert(action);
      expect(parseSentryWebhook(body, contextFor(body, METRIC))).toEqual({
        alerts: [],
        ignored: `metric_alert.${action} is not tracked`,
      });
    }
  });

  test('when an untracked action is very long, then the reason repeats only its start', () => {
    const body = metricAlert('x'.repeat(5000));
    const { ignored } = parseSentryWebhook(body, contextFor(body, METRIC));
    expect(ignored!.length).toBeLessThan(200);
  });

  test.each([
    ['a body that is a list', [], EVENT_ALERT, 'payload'],
    ['an issue alert without data', { action: 'triggered' }, EVENT_ALERT, 'data'],
    ['an issue alert without its event', { action: 'triggered', data: {} }, EVENT_ALERT, 'data.event'],
    ['a metric alert without its incident', { action: 'critical', data: {} }, METRIC, 'data.metric_alert'],
    [
      'a metric alert without an incident id',
      metricAlert('critical', { id: null }),
      METRIC,
      'data.metric_alert.id',
    ],
    ['an issue webhook without its issue', { action: 'resolved', data: {} }, ISSUE, 'data.issue'],
    [
      'an issue webhook without an issue id',
      issueEvent('resolved', { id: undefined }),
      ISSUE,
      'data.issue.id',
    ],
    [
      'a rule that is text',
      metricAlert('critical', { alert_rule: 'rule' }),
      METRIC,
      'data.metric_alert.alert_rule',
    ],
    [
      'projects that are text',
      metricAlert('critical', { projects: 'api' }),
      METRIC,
      'data.metric_alert.projects',
    ],
    ['a project that is a list', issueEvent('resolved', { project: ['api'] }), ISSUE, 'data.issue.project'],
  ])('when %s is sent, then the refusal names %s', (_what, body, headers, field) => {
    expect(refusal(body, headers).field).toBe(field);
  });
});

describe('sentry issue alerts', () => {
  test('when the event sends no datetime, then its epoch timestamp is its time; with neither, the receipt time', () => {
    const byTimestamp = parseOne(issueAlert({ datetime: undefined, timestamp: 1781431260.5 }), EVENT_ALERT);
    expect(byTimestamp.at).toBe('2026-06-14T10:01:00.500Z');
    const none = parseOne(issueAlert({ datetime: undefined }), EVENT_ALERT);
    expect([none.at, none.atOrigin]).toEqual(['2026-06-14T10:02:30.000Z', 'received']);
  });

  test('when the event datetime is no time, then the refusal names it', () => {
    expect(refusal(issueAlert({ datetime: 'soon' })).field).toBe('data.event.datetime');
  });

  test('when title and message are missing, then the issue names it and metadata or culprit says it', () => {
    const bare = parseOne(issueAlert({ title: undefined }), EVENT_ALERT);
    expect([bare.title, bare.message]).toEqual(['Sentry issue 42', '']);
    expect(
      parseOne(issueAlert({ message: 'Explicit', metadata: { value: 'meta' } }), EVENT_ALERT).message,
    ).toBe('Explicit');
    expect(
      parseOne(issueAlert({ message: '', metadata: { value: 'meta' }, culprit: 'c' }), EVENT_ALERT).message,
    ).toBe('meta');
    expect(parseOne(issueAlert({ metadata: {}, culprit: 'in main' }), EVENT_ALERT).message).toBe('in main');
  });

  test('when the title or message is longer than its cap, then it is cut', () => {
    const alert = parseOne(
      issueAlert({ title: 't'.repeat(LIMITS.title + 1), message: 'm'.repeat(LIMITS.message + 1) }),
      EVENT_ALERT,
    );
    expect([alert.title.length, alert.message.length]).toEqual([LIMITS.title, LIMITS.message]);
  });

  test('when no rule is named, then the monitor is named by the title, and a non-http link is dropped', () => {
    const alert = parseOne(
      issueAlert({ web_url: 'javascript:alert(1)' }, { triggered_rule: undefined }),
      EVENT_ALERT,
    );
    expect(alert.monitor).toEqual({ id: null, name: 'TypeError: boom', url: null, query: null });
  });

  test('when the sample_event tag is yes, then it is a test; any other value is not', () => {
    expect(parseOne(issueAlert({ tags: [['sample_event', 'yes']] }), EVENT_ALERT).isTest).toBe(true);
    expect(parseOne(issueAlert({ tags: [['sample_event', 'no']] }), EVENT_ALERT).isTest).toBe(false);
    expect(parseOne(issueAlert({ tags: [['other', 'yes']] }), EVENT_ALERT).isTest).toBe(false);
  });

  test('when tags name services and hosts, then the chosen keys and server_name say them, once each', () => {
    const tags = [
      ['server_name', 'web-1'],
      ['host', 'web-1'],
      ['host', 'web-2'],
      ['app', 'checkout'],
      ['service', 'api'],
    ];
    const alert = parseOne(issueAlert({ tags }), EVENT_ALERT, { serviceTagKeys: ['app', 'service'] });
    expect(alert.hosts).toEqual(['web-1', 'web-2']);
    expect(alert.services).toEqual(['checkout', 'api']);
  });

  test('when tags come as {key, value} objects or odd pairs, then the readable ones are labels', () => {
    const tags = [{ key: 'env', value: 'prod' }, ['solo'], [1, 'x'], ['__proto__', 'p'], ['n', 5]];
    expect(parseOne(issueAlert({ tags }), EVENT_ALERT).tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'solo', value: '' },
      { key: '__proto__', value: 'p' },
      { key: 'n', value: '5' },
    ]);
  });

  test('when a tag is neither a pair nor an object, then the refusal names it', () => {
    expect(refusal(issueAlert({ tags: [['a', 'b'], 'env:prod'] })).field).toBe('data.event.tags[1]');
  });

  test('when there are more tags than the label cap, then they are refused rather than cut', () => {
    const tags = Array.from({ length: LIMITS.labels + 1 }, (_, i) => [`k${i}`, 'v']);
    expect(refusal(issueAlert({ tags })).field).toBe('data.event.tags');
    expect(parseOne(issueAlert({ tags: tags.slice(1) }), EVENT_ALERT).tags).toHaveLength(LIMITS.labels);
  });

  test('when the action is written in another case, then it is still a trigger, kept as sent', () => {
    const alert = parseOne({ ...issueAlert(), action: 'Triggered' }, EVENT_ALERT);
    expect([alert.transition, alert.rawTransition]).toEqual(['triggered', 'Triggered']);
  });

  test('when the rule label or the culprit is longer than its cap, then it is cut', () => {
    const rule = 'r'.repeat(LIMITS.title + 10);
    const culprit = 'c'.repeat(LIMITS.message + 10);
    const alert = parseOne(
      issueAlert({ culprit, metadata: undefined }, { triggered_rule: rule }),
      EVENT_ALERT,
    );
    expect([alert.monitor.id?.length, alert.monitor.name.length, alert.message.length]).toEqual([
      LIMITS.title,
      LIMITS.title,
      LIMITS.message,
    ]);
  });

  test('when the link is written in upper case, then it is still an http(s) link', () => {
    expect(
      parseOne(issueAlert({ web_url: 'HTTPS://ACME.SENTRY.IO/issues/42/' }), EVENT_ALERT).monitor.url,
    ).toBe('HTTPS://ACME.SENTRY.IO/issues/42/');
  });
});

describe('sentry metric alerts', () => {
  test('when the rule has no name, then the description title names it, else the incident', () => {
    const unnamed = { alert_rule: { id: '7' } };
    expect(parseOne(metricAlert('critical', unnamed), METRIC).title).toBe('Critical: Too many errors');
    const bare = parseOne(
      metricAlert('critical', { alert_rule: undefined }, { description_title: undefined }),
      METRIC,
    );
    expect([bare.title, bare.monitor.id, bare.monitor.query]).toEqual([
      'Sentry metric alert 900',
      null,
      null,
    ]);
  });

  test.each([
    [{ aggregate: 'count()', query: 'level:error' }, 'count() where level:error'],
    [{ aggregate: 'p95(transaction.duration)', query: '' }, 'p95(transaction.duration)'],
    [{ query: 'level:error' }, 'level:error'],
  ])('when the rule is %j, then the monitor query is %s', (rule, query) => {
    expect(parseOne(metricAlert('critical', { alert_rule: rule }), METRIC).monitor.query).toBe(query);
  });

  test('when the incident names no projects, then the rule projects are the services', () => {
    const alert = parseOne(
      metricAlert('critical', { projects: [], alert_rule: { name: 'r', projects: ['web', 'api'] } }),
      METRIC,
    );
    expect(alert.services).toEqual(['web', 'api']);
    expect(alert.tags).toEqual([
      { key: 'project', value: 'web' },
      { key: 'project', value: 'api' },
    ]);
  });

  test('when the rule has an environment, then it is a tag, and tags with the chosen keys are services or hosts', () => {
    const body = metricAlert('critical', { alert_rule: { name: 'r', environment: 'prod' } });
    const alert = parseOne(body, METRIC, { serviceTagKeys: ['environment'], hostTagKeys: ['project'] });
    expect(alert.tags).toEqual([
      { key: 'project', value: 'api' },
      { key: 'environment', value: 'prod' },
    ]);
    expect([alert.services, alert.hosts]).toEqual([['api', 'prod'], ['api']]);
  });

  test('when a trigger has no detection time, then its start is its time; with neither, the receipt time', () => {
    expect(parseOne(metricAlert('critical', { date_detected: null }), METRIC).at).toBe(
      '2026-06-14T09:50:00.000Z',
    );
    const none = parseOne(metricAlert('warning', { date_detected: null, date_started: null }), METRIC);
    expect([none.at, none.atOrigin]).toEqual(['2026-06-14T10:02:30.000Z', 'received']);
  });

  test('when a resolution has date_closed, then that is its time, not the detection nor the sending', () => {
    const body = metricAlert('resolved', { date_closed: '2026-06-14T10:15:00Z' });
    expect(parseOne(body, { ...METRIC, 'Sentry-Hook-Timestamp': '1781432400' }).at).toBe(
      '2026-06-14T10:15:00.000Z',
    );
  });

  test('when a resolution has neither date_closed nor a send time, then it takes the receipt time', () => {
    const alert = parseOne(metricAlert('resolved'), METRIC);
    expect([alert.at, alert.atOrigin]).toEqual(['2026-06-14T10:02:30.000Z', 'received']);
  });

  test('when the send time is no time, then the refusal names the header', () => {
    expect(refusal(metricAlert('resolved'), { ...METRIC, 'Sentry-Hook-Timestamp': 'now' }).field).toBe(
      'Sentry-Hook-Timestamp',
    );
  });

  test('when the description is missing, then the message is empty, and a non-http link is dropped', () => {
    const alert = parseOne(
      metricAlert('critical', {}, { description_text: undefined, web_url: 'ftp://x' }),
      METRIC,
    );
    expect([alert.message, alert.monitor.url, alert.cycleKey]).toEqual(['', null, '900']);
  });

  test('when the rule name or the description is longer than its cap, then it is cut', () => {
    const body = metricAlert(
      'critical',
      { alert_rule: { name: 'n'.repeat(LIMITS.title + 1) } },
      { description_text: 'd'.repeat(LIMITS.message + 1) },
    );
    const alert = parseOne(body, METRIC);
    expect([alert.title.length, alert.message.length]).toEqual([LIMITS.title, LIMITS.message]);
  });

  test('when a project is not text, then the refusal names the item', () => {
    expect(refusal(metricAlert('critical', { projects: ['api', { slug: 'x' }] }), METRIC).field).toBe(
      'data.metric_alert.projects[1]',
    );
  });
});

describe('sentry issue webhooks', () => {
  test('when an issue is resolved by Sentry itself or by nobody named, then the message says so', () => {
    expect(parseOne(issueEvent('resolved', {}, { actor: { name: 'Sentry' } }), ISSUE).message).toBe(
      'Resolved by Sentry',
    );
    expect(parseOne(issueEvent('resolved', {}, { actor: undefined }), ISSUE).message).toBe('Resolved');
  });

  test('when an issue is assigned, then the message names the assignee by name or email, and who did it', () => {
    const named = issueEvent('assigned', { assignedTo: { name: 'Sam Lee', email: 'sam@x' } });
    expect(parseOne(named, ISSUE).message).toBe('Assigned to Sam Lee by Jane Doe');
    const byEmail = issueEvent('assigned', { assignedTo: { email: 'sam@x' } }, { actor: undefined });
    expect(parseOne(byEmail, ISSUE).message).toBe('Assigned to sam@x');
    expect(parseOne(issueEvent('assigned', { assignedTo: null }), ISSUE).message).toBe(
      'Assigned by Jane Doe',
    );
  });

  test('when a resolved issue still names an assignee, then the message does not', () => {
    expect(parseOne(issueEvent('resolved', { assignedTo: { name: 'Sam' } }), ISSUE).message).toBe(
      'Resolved by Jane Doe',
    );
  });

  test('when the issue sends no web_url, then its permalink is the link; non-http links are dropped', () => {
    const permalink = issueEvent('resolved', {
      web_url: undefined,
      permalink: 'https://acme.sentry.io/share/42/',
    });
    expect(parseOne(permalink, ISSUE).monitor.url).toBe('https://acme.sentry.io/share/42/');
    expect(parseOne(issueEvent('resolved', { web_url: 'data:x' }), ISSUE).monitor.url).toBeNull();
  });

  test('when the issue has no title and no project, then the issue id names it and it has no service', () => {
    const alert = parseOne(issueEvent('resolved', { title: undefined, project: undefined }), ISSUE);
    expect([alert.title, alert.services, alert.tags, alert.hosts]).toEqual(['Sentry issue 42', [], [], []]);
  });

  test('when the project is a chosen host or service key, then it is said once', () => {
    const alert = parseOne(issueEvent(), ISSUE, { serviceTagKeys: ['project'], hostTagKeys: ['project'] });
    expect([alert.services, alert.hosts]).toEqual([['api'], ['api']]);
  });

  test('when no send time is given, then the issue webhook takes the receipt time', () => {
    const alert = parseOne(issueEvent(), { 'Sentry-Hook-Resource': 'issue' });
    expect([alert.at, alert.atOrigin, alert.isTest, alert.cycleKey]).toEqual([
      '2026-06-14T10:02:30.000Z',
      'received',
      false,
      null,
    ]);
  });
});

describe('sentry issue webhook edges', () => {
  test('when the actor is not an object, then the refusal names actor', () => {
    expect(refusal(issueEvent('resolved', {}, { actor: 'Jane' }), ISSUE).field).toBe('actor');
  });

  test('when an untracked issue action is long, then the reason repeats only its start', () => {
    const action = 'a'.repeat(300);
    const body = issueEvent(action);
    expect(parseSentryWebhook(body, contextFor(body, ISSUE)).ignored).toBe(
      `issue.${'a'.repeat(100)} is not tracked (issue alert rules open incidents)`,
    );
  });
});

function signedRequest(raw: string, headers: Record<string, string>): SignedRequest {
  const byName = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    raw: Buffer.from(raw, 'utf8'),
    header: (name) => byName.get(name.toLowerCase()),
    now: new Date('2026-06-14T10:02:30Z'),
    toleranceSeconds: 300,
  };
}

describe('sentry signature', () => {
  const secret = 'client-secret-0123456789abcdef';
  const raw = '{"action":"triggered","data":{}}';

  test('when the body is signed with the client secret, then it verifies, in any hex case and with spaces', () => {
    const signature = signSentryBody(raw, secret);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(verifySentrySignature(signedRequest(raw, { 'Sentry-Hook-Signature': signature }), secret)).toBe(
      true,
    );
    const loose = ` ${signature.toUpperCase()} `;
    expect(verifySentrySignature(signedRequest(raw, { 'sentry-hook-signature': loose }), secret)).toBe(true);
    expect(sentrySource.signature?.header).toBe('Sentry-Hook-Signature');
    expect(sentrySource.signature?.verify).toBe(verifySentrySignature);
  });

  test('when the body or the secret differs, then it does not verify', () => {
    const signature = signSentryBody(raw, secret);
    expect(
      verifySentrySignature(signedRequest(`${raw} `, { 'Sentry-Hook-Signature': signature }), secret),
    ).toBe(false);
    expect(
      verifySentrySignature(signedRequest(raw, { 'Sentry-Hook-Signature': signature }), `${secret}x`),
    ).toBe(false);
  });

  test('when the secret was rotated, then a body signed with the old one is refused and the new one verifies', () => {
    const rotated = 'rotated-secret-fedcba9876543210';
    const old = signSentryBody(raw, secret);
    expect(verifySentrySignature(signedRequest(raw, { 'Sentry-Hook-Signature': old }), rotated)).toBe(false);
    const fresh = signSentryBody(raw, rotated);
    expect(verifySentrySignature(signedRequest(raw, { 'Sentry-Hook-Signature': fresh }), rotated)).toBe(true);
  });

  test.each([
    ['missing', {}],
    ['empty', { 'Sentry-Hook-Signature': '' }],
    ['too short', { 'Sentry-Hook-Signature': 'ab'.repeat(31) }],
    ['too long', { 'Sentry-Hook-Signature': 'ab'.repeat(33) }],
    ['not hex', { 'Sentry-Hook-Signature': 'zz'.repeat(32) }],
    ['prefixed', { 'Sentry-Hook-Signature': `sha256=${'ab'.repeat(32)}` }],
  ])('when the signature is %s, then it does not verify and nothing throws', (_what, headers) => {
    expect(verifySentrySignature(signedRequest(raw, headers), secret)).toBe(false);
  });

  test('when Sentry-Hook-Timestamp is old, then a good signature still verifies: the timestamp is not signed', () => {
    const headers = {
      'Sentry-Hook-Signature': signSentryBody(raw, secret),
      'Sentry-Hook-Timestamp': '1000000000',
    };
    expect(verifySentrySignature(signedRequest(raw, headers), secret)).toBe(true);
  });
});
