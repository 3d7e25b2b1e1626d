/** The Google Cloud Monitoring source (src/sources/gcp): its fixtures, and what one fixture cannot show. */
import type { Alert } from '../../src/domain/alert';
import type { ValidationError } from '../../src/errors';
import { groupKeyOf, parseGcpNotification, policyIdOf } from '../../src/sources/gcp/gcp.adapter';
import {
  NATIVE_HOST_KEYS,
  isTestVersion,
  severityFromWord,
  transitionFromState,
} from '../../src/sources/gcp/gcp.mappings';
import type { GcpIncident } from '../../src/sources/gcp/gcp.payload';
import { gcpSource } from '../../src/sources/gcp/gcp.source';
import type { SourceContext } from '../../src/sources/source';
import { LIMITS, digestOf } from '../../src/payloads/values';
import { fixtureAlerts, onlyAlert, sourceContext, validationErrorOf } from '../helpers/source-tests';

const RECEIVED_AT = '2026-06-14T10:02:30.000Z';
const STARTED = 1781431200; // 2026-06-14T10:00:00Z
const ENDED = 1781431500; // 2026-06-14T10:05:00Z
const POLICY = 'projects/shop-prod/alertPolicies/8123';

/** An open incident (schema 1.2), with `incident` fields replaced or added. */
function bodyWith(incident: Record<string, unknown> = {}, root: Record<string, unknown> = {}) {
  return {
    version: '1.2',
    incident: {
      incident_id: '0.abc123',
      url: 'https://console.cloud.google.com/monitoring/alerting/incidents/0.abc123',
      started_at: STARTED,
      ended_at: null,
      state: 'open',
      summary: 'CPU utilization is above the threshold',
      policy_name: 'CPU high',
      condition_name: 'CPU > 80%',
      condition: { name: `${POLICY}/conditions/99`, conditionThreshold: { filter: 'metric.type="cpu"' } },
      severity: 'Warning',
      ...incident,
    },
    ...root,
  };
}

/** The context of a body whose raw text holds nothing this source reads. */
const contextFor = (overrides: Partial<SourceContext> = {}) => sourceContext('{}', overrides);

function alertOf(body: unknown, overrides: Partial<SourceContext> = {}): Alert {
  return onlyAlert(parseGcpNotification(body, contextFor(overrides)));
}

function refusalOf(body: unknown): ValidationError {
  return validationErrorOf(() => parseGcpNotification(body, contextFor()));
}

function incidentWith(fields: Partial<GcpIncident>): GcpIncident {
  return {
    version: '1.2',
    incidentId: '0.abc123',
    state: 'open',
    startedAt: STARTED,
    endedAt: null,
    startedText: String(STARTED),
    endedText: null,
    url: null,
    summary: null,
    severity: null,
    policyName: null,
    conditionName: null,
    conditionResource: null,
    conditionQuery: null,
    documentation: null,
    resourceType: null,
    resourceDisplayName: null,
    resourceLabels: null,
    metricLabels: null,
    userLabels: null,
    policyUserLabels: null,
    ...fields,
  };
}

describe('gcp source definition', () => {
  test('when the source is listed, then it is named gcp, reads JSON only, and neither signs nor has settings', () => {
    expect(gcpSource.name).toBe('gcp');
    expect(gcpSource.bodyFormats).toEqual(['json']);
    expect(gcpSource.signature).toBeUndefined();
    expect(gcpSource.settings).toBeUndefined();
  });

  test('when the source parses a notification, then it answers its one alert and no ignored reason', () => {
    expect(gcpSource.parse(bodyWith(), contextFor())).toEqual({
      alerts: [expect.objectContaining({ source: 'gcp' })],
    });
  });
});

describe('gcp identity', () => {
  test('when the lifecycle pair is read, then open and closed share groupKey and alertKey but not eventId', () => {
    const [trigger] = fixtureAlerts(gcpSource, 'gcp', 'vm-cpu-open');
    const [recovery] = fixtureAlerts(gcpSource, 'gcp', 'vm-cpu-closed');
    expect(trigger?.groupKey).toBe('gcp:incident:0.nq7x3k2m9pwz');
    expect(recovery?.groupKey).toBe(trigger?.groupKey);
    expect(recovery?.alertKey).toBe('gcp:incident:0.nq7x3k2m9pwz|*');
    expect(recovery?.alertKey).toBe(trigger?.alertKey);
    expect(recovery?.eventId).not.toBe(trigger?.eventId);
    expect(Date.parse(recovery!.at)).toBeGreaterThan(Date.parse(trigger!.at));
  });

  test('when a notification is read, then its eventId digests the incident id, the state word and both times as sent', () => {
    expect(alertOf(bodyWith()).eventId).toBe(`gcp:${digestOf('0.abc123', 'open', String(STARTED), '')}`);
    const closed = alertOf(bodyWith({ state: 'CLOSED', ended_at: ENDED }));
    expect(closed.eventId).toBe(`gcp:${digestOf('0.abc123', 'closed', String(STARTED), String(ENDED))}`);
    const zero = alertOf(bodyWith({ started_at: 0, ended_at: 0 }));
    expect(zero.eventId).toBe(`gcp:${digestOf('0.abc123', 'open', '0', '0')}`);
  });

  test('when the same notification is delivered twice, then both give the same eventId', () => {
    expect(alertOf(bodyWith()).eventId).toBe(alertOf(bodyWith()).eventId);
  });

  test('when an incident id is longer than LIMITS.text, then the groupKey holds its digest and cycleKey its capped text', () => {
    const longId = 'i'.repeat(LIMITS.text + 1);
    const alert = alertOf(bodyWith({ incident_id: longId }));
    expect(alert.groupKey).toBe(`gcp:incident:${digestOf(longId)}`);
    expect(alert.alertKey).toBe(`gcp:incident:${digestOf(longId)}|*`);
    expect(alert.cycleKey).toBe('i'.repeat(LIMITS.text));
    expect(groupKeyOf('i'.repeat(LIMITS.text))).toBe(`gcp:incident:${'i'.repeat(LIMITS.text)}`);
  });

  test('when any notification is read, then it has no scope and its cycle key is the incident id', () => {
    const alert = alertOf(bodyWith());
    expect(alert.scope).toBeNull();
    expect(alert.cycleKey).toBe('0.abc123');
    expect(alert.isTest).toBe(false);
  });
});

describe('gcp states, severities and tests', () => {
  test.each([
    ['open', 'triggered'],
    ['OPEN', 'triggered'],
    ['closed', 'recovered'],
    ['Closed', 'recovered'],
  ] as const)('when state is %s, then the transition is %s and the raw word is kept', (state, transition) => {
    expect(transitionFromState(state)).toBe(transition);
    const alert = alertOf(bodyWith({ state, ended_at: ENDED }));
    expect(alert.transition).toBe(transition);
    expect(alert.rawTransition).toBe(state);
  });

  test('when state is another word, then it is refused naming incident.state and the word', () => {
    expect(transitionFromState('acknowledged')).toBeNull();
    const error = refusalOf(bodyWith({ state: 'acknowledged' }));
    expect(error.field).toBe('incident.state');
    expect(error.message).toContain('unknown state "acknowledged"');
    expect(error.message).toContain('open or closed');
    expect(refusalOf(bodyWith({ state: undefined })).field).toBe('incident.state');
  });

  test.each([
    ['Critical', 'P1'],
    ['Error', 'P2'],
    ['Warning', 'P3'],
    ['CRITICAL', 'P1'],
    ['warning', 'P3'],
  ] as const)('when severity is %s, then it maps to %s', (word, severity) => {
    expect(severityFromWord(word)).toBe(severity);
    expect(alertOf(bodyWith({ severity: word })).severity).toBe(severity);
  });

  test('when severity is No severity, another word or absent, then the severity is null', () => {
    for (const word of ['No severity', 'no severity', 'Info'])
      expect(alertOf(bodyWith({ severity: word })).severity).toBeNull();
    expect(alertOf(bodyWith({ severity: undefined })).severity).toBeNull();
    expect(severityFromWord(null)).toBeNull();
  });

  test('when version is test in any case, then the alert is a test; any other version or none is not', () => {
    expect(isTestVersion('test')).toBe(true);
    expect(isTestVersion('TEST')).toBe(true);
    expect(isTestVersion('1.2')).toBe(false);
    expect(isTestVersion('testing')).toBe(false);
    expect(isTestVersion(null)).toBe(false);
    expect(alertOf(bodyWith({}, { version: 'test' })).isTest).toBe(true);
    expect(alertOf(bodyWith({}, { version: undefined })).isTest).toBe(false);
  });
});

describe('gcp event time', () => {
  test('when an incident opens, then it is read at started_at in seconds, not at ended_at', () => {
    expect(alertOf(bodyWith({ ended_at: ENDED }))).toMatchObject({
      at: '2026-06-14T10:00:00.000Z',
      atOrigin: 'source',
    });
  });

  test('when an incident closes, then it is read at ended_at, not at started_at', () => {
    expect(alertOf(bodyWith({ state: 'closed', ended_at: ENDED }))).toMatchObject({
      at: '2026-06-14T10:05:00.000Z',
      atOrigin: 'source',
    });
  });

  test('when started_at is a digit string, then it is read as epoch seconds', () => {
    expect(alertOf(bodyWith({ started_at: String(STARTED) })).at).toBe('2026-06-14T10:00:00.000Z');
  });

  test('when started_at is in milliseconds, then it is still read as seconds, which is no plausible time', () => {
    expect(alertOf(bodyWith({ started_at: STARTED * 1000 }))).toMatchObject({
      at: RECEIVED_AT,
      atOrigin: 'received',
    });
  });

  test('when started_at is 0 or missing, or a closed incident has no ended_at, then the receipt time is used', () => {
    for (const body of [
      bodyWith({ started_at: 0 }),
      bodyWith({ started_at: undefined }),
      bodyWith({ state: 'closed', ended_at: null }),
      bodyWith({ state: 'closed', ended_at: 0 }),
    ])
      expect(alertOf(body)).toMatchObject({ at: RECEIVED_AT, atOrigin: 'received' });
  });

  test('when a time is neither a number nor text, then it is refused naming it, whichever state is read', () => {
    expect(refusalOf(bodyWith({ started_at: { s: 1 } })).field).toBe('incident.started_at');
    expect(refusalOf(bodyWith({ started_at: { s: 1 } })).message).toContain('epoch seconds');
    expect(refusalOf(bodyWith({ ended_at: [ENDED] })).field).toBe('incident.ended_at');
    expect(refusalOf(bodyWith({ started_at: true })).field).toBe('incident.started_at');
    expect(refusalOf(bodyWith({ started_at: 'soon' })).field).toBe('incident.started_at');
  });
});

describe('gcp title, message and monitor', () => {
  test('when policy_name is missing, then the condition name is the title; when both are, then it is refused', () => {
    expect(alertOf(bodyWith()).title).toBe('CPU high');
    expect(alertOf(bodyWith({ policy_name: '' })).title).toBe('CPU > 80%');
    const error = refusalOf(bodyWith({ policy_name: undefined, condition_name: null }));
    expect(error.field).toBe('incident.policy_name');
    expect(error.message).toContain('condition_name');
  });

  test('when the policy name is long, then the title and the monitor name are capped', () => {
    const alert = alertOf(bodyWith({ policy_name: 'p'.repeat(700) }));
    expect(alert.title).toBe('p'.repeat(LIMITS.title));
    expect(alert.monitor.name).toBe('p'.repeat(LIMITS.title));
  });

  test('when summary is missing, then the message is the documentation content or text; with neither it is empty', () => {
    expect(alertOf(bodyWith()).message).toBe('CPU utilization is above the threshold');
    const doc = { content: 'Runbook: scale up', mime_type: 'text/markdown', subject: 's' };
    expect(alertOf(bodyWith({ summary: null, documentation: doc })).message).toBe('Runbook: scale up');
    expect(alertOf(bodyWith({ summary: null, documentation: 'Test documentation' })).message).toBe(
      'Test documentation',
    );
    expect(alertOf(bodyWith({ summary: null, documentation: { subject: 's' } })).message).toBe('');
    expect(alertOf(bodyWith({ summary: undefined })).message).toBe('');
  });

  test('when summary or documentation is long, then the message is capped', () => {
    expect(alertOf(bodyWith({ summary: 's'.repeat(5000) })).message).toBe('s'.repeat(LIMITS.message));
    const doc = { content: 'c'.repeat(5000) };
    expect(alertOf(bodyWith({ summary: null, documentation: doc })).message).toBe('c'.repeat(LIMITS.message));
    expect(alertOf(bodyWith({ summary: null, documentation: 'd'.repeat(5000) })).message).toBe(
      'd'.repeat(LIMITS.message),
    );
  });

  test('when documentation or its content has a wrong type, then it is refused naming it', () => {
    expect(refusalOf(bodyWith({ documentation: 42 })).field).toBe('incident.documentation');
    expect(refusalOf(bodyWith({ documentation: ['x'] })).message).toContain('text or an object');
    expect(refusalOf(bodyWith({ documentation: { content: { x: 1 } } })).field).toBe(
      'incident.documentation.content',
    );
  });

  test.each([
    [`${POLICY}/conditions/99`, 'CPU high', POLICY],
    [POLICY, 'CPU high', 'CPU high'],
    [`x${POLICY}/conditions/99`, 'CPU high', 'CPU high'],
    [`${POLICY}/conditions/99/extra`, 'CPU high', 'CPU high'],
    [null, null, 'CPU > 80%'],
  ])(
    'when condition.name is %p and policy_name %p, then the monitor id is %p',
    (conditionResource, policyName, id) => {
      const incident = incidentWith({ conditionResource, policyName, conditionName: 'CPU > 80%' });
      expect(policyIdOf(incident)).toBe(id);
    },
  );

  test('when neither a condition name nor a policy or condition name is sent, then the monitor id is null', () => {
    expect(policyIdOf(incidentWith({}))).toBeNull();
  });

  test('when the notification is read, then the monitor id comes from condition.name', () => {
    expect(alertOf(bodyWith()).monitor.id).toBe(POLICY);
  });

  test.each([
    ['conditionThreshold', 'filter'],
    ['conditionAbsent', 'filter'],
    ['conditionMatchedLog', 'filter'],
    ['conditionMonitoringQueryLanguage', 'query'],
    ['conditionPrometheusQueryLanguage', 'query'],
    ['conditionSql', 'query'],
  ])('when the condition is a %s, then its %s is the monitor query', (kind, key) => {
    const condition = { name: `${POLICY}/conditions/1`, [kind]: { [key]: ` ${kind} text ` } };
    expect(alertOf(bodyWith({ condition })).monitor.query).toBe(`${kind} text`);
  });

  test('when a condition kind has no query, then the next kind is looked at; with none, there is no query', () => {
    const condition = {
      conditionThreshold: { comparison: 'COMPARISON_GT' },
      conditionAbsent: { filter: 'f' },
    };
    expect(alertOf(bodyWith({ condition })).monitor.query).toBe('f');
    const both = { conditionThreshold: { filter: 'first' }, conditionSql: { query: 'last' } };
    expect(alertOf(bodyWith({ condition: both })).monitor.query).toBe('first');
    expect(alertOf(bodyWith({ condition: { name: 'c' } })).monitor.query).toBeNull();
    expect(alertOf(bodyWith({ condition: null })).monitor).toMatchObject({ query: null, id: 'CPU high' });
  });

  test('when a query is long, then it is capped at LIMITS.message', () => {
    const condition = { conditionMonitoringQueryLanguage: { query: 'q'.repeat(5000) } };
    expect(alertOf(bodyWith({ condition })).monitor.query).toBe('q'.repeat(LIMITS.message));
  });

  test('when the condition or a part of it has a wrong type, then it is refused naming it', () => {
    expect(refusalOf(bodyWith({ condition: 'cpu' })).field).toBe('incident.condition');
    expect(refusalOf(bodyWith({ condition: { conditionAbsent: 'x' } })).field).toBe(
      'incident.condition.conditionAbsent',
    );
    expect(refusalOf(bodyWith({ condition: { conditionSql: { query: [1] } } })).field).toBe(
      'incident.condition.conditionSql.query',
    );
    expect(refusalOf(bodyWith({ condition: { name: { x: 1 } } })).field).toBe('incident.condition.name');
  });

  test.each([
    [
      'https://console.cloud.google.com/monitoring/alerting/incidents/1',
      'https://console.cloud.google.com/monitoring/alerting/incidents/1',
    ],
    ['http://www.example.com', null],
    ['https://', null],
    ['https://a b', null],
    ['see https://x', null],
    [null, null],
  ])('when url is %p, then the monitor url is %p', (url, expected) => {
    expect(alertOf(bodyWith({ url })).monitor.url).toBe(expected);
  });
});

describe('gcp hosts, services and tags', () => {
  test('when NATIVE_HOST_KEYS is read, then it names the VM, node and pod label keys', () => {
    expect(NATIVE_HOST_KEYS).toEqual(['instance_name', 'node_name', 'pod_name']);
  });

  test('when resource or metric labels carry a native host key, then it is a host, resource labels first', () => {
    const alert = alertOf(
      bodyWith({
        resource: { type: 'k8s_node', labels: { node_name: 'node-1', pod_name: 'pod-1' } },
        metric: { labels: { instance_name: 'vm-1', node_name: 'node-1' } },
      }),
    );
    expect(alert.hosts).toEqual(['node-1', 'pod-1', 'vm-1']);
  });

  test('when a native host key is only in user or policy labels, then it is not a host', () => {
    const alert = alertOf(
      bodyWith({ metadata: { user_labels: { pod_name: 'p' } }, policy_user_labels: { node_name: 'n' } }),
    );
    expect(alert.hosts).toEqual([]);
  });

  test('when the resource is a Compute Engine VM, then its display name is a host; for other types it is not', () => {
    const vm = {
      resource: { type: 'gce_instance', labels: { instance_id: '123' } },
      resource_display_name: 'vm-9',
    };
    expect(alertOf(bodyWith(vm)).hosts).toEqual(['vm-9']);
    const run = { resource: { type: 'cloud_run_revision' }, resource_display_name: 'orders' };
    expect(alertOf(bodyWith(run)).hosts).toEqual([]);
    expect(alertOf(bodyWith({ resource_display_name: 'x' })).hosts).toEqual([]);
  });

  test('when each label set carries the context host and service keys, then all of them count, in order, once', () => {
    const alert = alertOf(
      bodyWith({
        resource: { type: 't', labels: { host: 'h1', service: 's1' } },
        metric: { labels: { machine: 'h2', app: 's2' } },
        metadata: { user_labels: { host: 'h3', service: 's1' } },
        policy_user_labels: { machine: 'h4', app: 's4' },
      }),
      { hostTagKeys: ['host', 'machine'], serviceTagKeys: ['service', 'app'] },
    );
    expect(alert.hosts).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(alert.services).toEqual(['s1', 's2', 's4']);
    expect(alert.tags).toEqual([
      { key: 'host', value: 'h1' },
      { key: 'service', value: 's1' },
      { key: 'machine', value: 'h2' },
      { key: 'app', value: 's2' },
      { key: 'host', value: 'h3' },
      { key: 'machine', value: 'h4' },
      { key: 'app', value: 's4' },
    ]);
  });

  test('when system labels are sent, then they are not tags', () => {
    const alert = alertOf(bodyWith({ metadata: { system_labels: { state: 'ACTIVE' } } }));
    expect(alert.tags).toEqual([]);
  });

  test('when a label key is __proto__, then it stays a plain tag and pollutes nothing', () => {
    const body = JSON.parse(
      JSON.stringify(bodyWith()).replace(
        '"state":"open"',
        '"state":"open","policy_user_labels":{"__proto__":"x","service":"cart"}',
      ),
    ) as unknown;
    const alert = alertOf(body);
    expect(alert.tags).toEqual([
      { key: '__proto__', value: 'x' },
      { key: 'service', value: 'cart' },
    ]);
    expect(alert.services).toEqual(['cart']);
    expect(({} as Record<string, unknown>).service).toBeUndefined();
  });

  test('when a label object has a wrong type, then it is refused naming it', () => {
    expect(refusalOf(bodyWith({ resource: 'vm' })).field).toBe('incident.resource');
    expect(refusalOf(bodyWith({ resource: { labels: 'a' } })).field).toBe('incident.resource.labels');
    expect(refusalOf(bodyWith({ resource: { type: {} } })).field).toBe('incident.resource.type');
    expect(refusalOf(bodyWith({ metric: [] })).field).toBe('incident.metric');
    expect(refusalOf(bodyWith({ metric: { labels: [] } })).field).toBe('incident.metric.labels');
    expect(refusalOf(bodyWith({ metadata: 1 })).field).toBe('incident.metadata');
    expect(refusalOf(bodyWith({ metadata: { user_labels: 'a' } })).field).toBe(
      'incident.metadata.user_labels',
    );
    expect(refusalOf(bodyWith({ policy_user_labels: ['a'] })).field).toBe('incident.policy_user_labels');
  });
});

describe('gcp refusals', () => {
  test('when the body or the incident is not an object, then it is refused naming it', () => {
    expect(refusalOf([bodyWith()]).field).toBe('body');
    expect(refusalOf({ version: '1.2', incident: 'x' }).field).toBe('incident');
    expect(refusalOf({ version: { v: 1 }, incident: bodyWith().incident }).field).toBe('version');
  });

  test('when incident_id is missing or not text, then it is refused naming it', () => {
    expect(refusalOf(bodyWith({ incident_id: '' })).field).toBe('incident.incident_id');
    expect(refusalOf(bodyWith({ incident_id: { id: 1 } })).field).toBe('incident.incident_id');
  });

  test('when a text field is an object, then it is refused naming it', () => {
    for (const key of [
      'url',
      'summary',
      'severity',
      'policy_name',
      'condition_name',
      'resource_display_name',
    ])
      expect(refusalOf(bodyWith({ [key]: { x: 1 } })).field).toBe(`incident.${key}`);
  });

  test('when the incident comes from a prototype, not the body itself, then it is not read', () => {
    const body = Object.create({ incident: bodyWith().incident }) as object;
    expect(refusalOf(body).field).toBe('incident');
  });

  test('when a field cannot be read at all, then the refusal names the payload instead of crashing', () => {
    const body = bodyWith();
    Object.defineProperty(body.incident, 'state', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const error = refusalOf(body);
    expect(error.field).toBe('payload');
    expect(error.message).toContain('boom');
  });
});
