/** The Azure Monitor source (src/sources/azure): its fixtures, and what one fixture cannot show. */
import type { Alert } from '../../src/domain/alert';
import type { ValidationError } from '../../src/errors';
import {
  groupKeyOf,
  parseAzureAlert,
  resourceHosts,
  resourceNameOf,
} from '../../src/sources/azure/azure.adapter';
import { severityFromLevel, transitionFromCondition } from '../../src/sources/azure/azure.mappings';
import type { AzureEssentials } from '../../src/sources/azure/azure.payload';
import { azureSource } from '../../src/sources/azure/azure.source';
import type { SourceContext } from '../../src/sources/source';
import { LIMITS, digestOf } from '../../src/payloads/values';
import {
  fixtureAlerts,
  onlyAlert,
  parseBody,
  sourceContext,
  validationErrorOf,
} from '../helpers/source-tests';

const RECEIVED_AT = '2026-06-14T10:02:30.000Z';
const ALERT_ID =
  '/subscriptions/5f2c8e61-3a7d-4b9e-8c21-6d0f4a9b7e13/providers/Microsoft.AlertsManagement/alerts/8b1d4c2e-6f3a-4e5b-9c7d-1a2b3c4d5e6f';

type Essentials = Record<string, unknown>;

/** A fired metric alert in the common schema, with `essentials` fields replaced or added. */
function bodyWith(essentials: Essentials = {}, data: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: ALERT_ID,
        alertRule: 'cpu-high',
        severity: 'Sev2',
        signalType: 'Metric',
        monitorCondition: 'Fired',
        monitoringService: 'Platform',
        alertTargetIDs: [],
        configurationItems: [],
        firedDateTime: '2026-06-14T10:00:00.1234567Z',
        description: 'CPU above 80%',
        ...essentials,
      },
      alertContext: {},
      ...data,
    },
  };
}

function alertOf(body: unknown, overrides: Partial<SourceContext> = {}): Alert {
  return onlyAlert(parseAzureAlert(body, sourceContext(JSON.stringify(body), overrides)));
}

function refusalOf(body: unknown, rawBody = JSON.stringify(body)): ValidationError {
  return validationErrorOf(() => parseAzureAlert(body, sourceContext(rawBody)));
}

function essentialsWith(lists: Partial<AzureEssentials>): AzureEssentials {
  return {
    alertId: ALERT_ID,
    alertRule: null,
    alertRuleId: null,
    severity: null,
    signalType: null,
    monitorCondition: 'Fired',
    monitoringService: null,
    alertTargetIds: [],
    configurationItems: [],
    firedDateTime: null,
    resolvedDateTime: null,
    description: null,
    investigationLink: null,
    ...lists,
  };
}

describe('azure source definition', () => {
  test('when the source is listed, then it is named azure, reads JSON only, and neither signs nor has settings', () => {
    expect(azureSource.name).toBe('azure');
    expect(azureSource.bodyFormats).toEqual(['json']);
    expect(azureSource.signature).toBeUndefined();
    expect(azureSource.settings).toBeUndefined();
  });

  test('when the source parses a notification, then it answers its one alert and no ignored reason', () => {
    const body = bodyWith();
    const result = parseBody(azureSource, body);
    expect(result).toEqual({ alerts: [expect.objectContaining({ source: 'azure' })] });
  });
});

describe('azure identity', () => {
  test('when the lifecycle pair is read, then trigger and recovery share groupKey and alertKey but not eventId', () => {
    const [trigger] = fixtureAlerts(azureSource, 'azure', 'metric-fired');
    const [recovery] = fixtureAlerts(azureSource, 'azure', 'metric-resolved');
    expect(trigger?.groupKey).toBe(`azure:alert:${ALERT_ID}`);
    expect(recovery?.groupKey).toBe(trigger?.groupKey);
    expect(recovery?.alertKey).toBe(`azure:alert:${ALERT_ID}|*`);
    expect(recovery?.alertKey).toBe(trigger?.alertKey);
    expect(recovery?.eventId).not.toBe(trigger?.eventId);
    expect(Date.parse(recovery!.at)).toBeGreaterThan(Date.parse(trigger!.at));
  });

  test('when a notification is read, then its eventId digests the alertId, the condition and that condition’s time', () => {
    const fired = alertOf(bodyWith());
    expect(fired.eventId).toBe(`azure:${digestOf(ALERT_ID, 'Fired', '2026-06-14T10:00:00.1234567Z')}`);
    const resolved = alertOf(
      bodyWith({ monitorCondition: 'Resolved', resolvedDateTime: '2026-06-14T10:05:00.7654321Z' }),
    );
    expect(resolved.eventId).toBe(`azure:${digestOf(ALERT_ID, 'Resolved', '2026-06-14T10:05:00.7654321Z')}`);
  });

  test('when a resolved notification has no resolvedDateTime, then its eventId digests an empty time', () => {
    const resolved = alertOf(bodyWith({ monitorCondition: 'Resolved' }));
    expect(resolved.eventId).toBe(`azure:${digestOf(ALERT_ID, 'Resolved', '')}`);
  });

  test('when the same notification is delivered twice, then both give the same eventId', () => {
    expect(alertOf(bodyWith()).eventId).toBe(alertOf(bodyWith()).eventId);
  });

  test('when an alertId is longer than LIMITS.text, then the groupKey holds its digest and cycleKey its capped text', () => {
    const longId = `${ALERT_ID}/${'x'.repeat(LIMITS.text)}`;
    const alert = alertOf(bodyWith({ alertId: longId }));
    expect(alert.groupKey).toBe(`azure:alert:${digestOf(longId)}`);
    expect(alert.alertKey).toBe(`azure:alert:${digestOf(longId)}|*`);
    expect(alert.cycleKey).toBe(longId.slice(0, LIMITS.text));
  });

  test('when an alertId is exactly LIMITS.text long, then the groupKey keeps it readable', () => {
    const id = 'a'.repeat(LIMITS.text);
    expect(groupKeyOf(id)).toBe(`azure:alert:${id}`);
    expect(groupKeyOf(`${id}b`)).toBe(`azure:alert:${digestOf(`${id}b`)}`);
  });

  test('when any notification is read, then it has no scope and is never marked a test', () => {
    const alert = alertOf(bodyWith({ alertRule: 'Test Alert Rule' }));
    expect(alert.scope).toBeNull();
    expect(alert.isTest).toBe(false);
    expect(alert.source).toBe('azure');
  });
});

describe('azure transitions and severities', () => {
  test.each([
    ['Fired', 'triggered'],
    ['FIRED', 'triggered'],
    ['Resolved', 'recovered'],
    ['resolved', 'recovered'],
  ] as const)(
    'when monitorCondition is %s, then the transition is %s and the raw word is kept',
    (word, transition) => {
      const alert = alertOf(bodyWith({ monitorCondition: word, resolvedDateTime: '2026-06-14T10:01:00Z' }));
      expect(alert.transition).toBe(transition);
      expect(alert.rawTransition).toBe(word);
      expect(transitionFromCondition(word)).toBe(transition);
    },
  );

  test('when monitorCondition is a word Azure does not send, then it is refused, naming the field and the word', () => {
    expect(transitionFromCondition('Acknowledged')).toBeNull();
    const error = refusalOf(bodyWith({ monitorCondition: 'Acknowledged' }));
    expect(error.field).toBe('data.essentials.monitorCondition');
    expect(error.message).toContain('unknown condition "Acknowledged"');
    expect(error.message).toContain('Fired or Resolved');
  });

  test.each([
    ['Sev0', 'P1'],
    ['Sev1', 'P2'],
    ['Sev2', 'P3'],
    ['Sev3', 'P4'],
    ['Sev4', 'P5'],
    ['sev0', 'P1'],
    ['SEV4', 'P5'],
  ] as const)('when severity is %s, then it maps to %s', (level, severity) => {
    expect(severityFromLevel(level)).toBe(severity);
    expect(alertOf(bodyWith({ severity: level })).severity).toBe(severity);
  });

  test('when severity is absent, null or unknown, then the severity is null', () => {
    expect(severityFromLevel(null)).toBeNull();
    expect(severityFromLevel('Sev5')).toBeNull();
    expect(severityFromLevel('Critical')).toBeNull();
    expect(alertOf(bodyWith({ severity: null })).severity).toBeNull();
    expect(alertOf(bodyWith({ severity: 'Sev5' })).severity).toBeNull();
  });
});

describe('azure event time', () => {
  test('when an alert fires, then it is read at firedDateTime even when a resolvedDateTime is present', () => {
    const alert = alertOf(bodyWith({ resolvedDateTime: '2026-06-14T10:01:00Z' }));
    expect(alert).toMatchObject({ at: '2026-06-14T10:00:00.123Z', atOrigin: 'source' });
  });

  test('when an alert resolves, then it is read at resolvedDateTime, not firedDateTime', () => {
    const alert = alertOf(
      bodyWith({ monitorCondition: 'Resolved', resolvedDateTime: '2026-06-14T10:01:00.9999999Z' }),
    );
    expect(alert).toMatchObject({ at: '2026-06-14T10:01:00.999Z', atOrigin: 'source' });
  });

  test('when firedDateTime has nine fractional digits or an offset, then it is still read', () => {
    expect(alertOf(bodyWith({ firedDateTime: '2026-06-14T10:00:00.123456789Z' })).at).toBe(
      '2026-06-14T10:00:00.123Z',
    );
    expect(alertOf(bodyWith({ firedDateTime: '2026-06-14T12:00:00+02:00' })).at).toBe(
      '2026-06-14T10:00:00.000Z',
    );
  });

  test('when firedDateTime is missing, implausibly old or far ahead, then the receipt time is used and said so', () => {
    for (const firedDateTime of [undefined, null, '', '1999-12-31T23:59:59Z', '2026-06-14T12:00:00Z']) {
      expect(alertOf(bodyWith({ firedDateTime }))).toMatchObject({
        at: RECEIVED_AT,
        atOrigin: 'received',
      });
    }
  });

  test('when firedDateTime is within the hour ahead of receipt, then it is kept', () => {
    expect(alertOf(bodyWith({ firedDateTime: '2026-06-14T11:02:00Z' })).atOrigin).toBe('source');
  });

  test('when the chosen time is not a time, then it is refused naming that field', () => {
    expect(refusalOf(bodyWith({ firedDateTime: 'soon' })).field).toBe('data.essentials.firedDateTime');
    expect(refusalOf(bodyWith({ firedDateTime: { at: 1 } })).field).toBe('data.essentials.firedDateTime');
    const resolved = bodyWith({ monitorCondition: 'Resolved', resolvedDateTime: 'later' });
    expect(refusalOf(resolved).field).toBe('data.essentials.resolvedDateTime');
  });
});

describe('azure title, message and monitor', () => {
  test('when alertRule is missing, then the title falls back to the description, the monitoring service, then a fixed name', () => {
    expect(alertOf(bodyWith({ alertRule: null })).title).toBe('CPU above 80%');
    expect(alertOf(bodyWith({ alertRule: null, description: null })).title).toBe('Platform');
    const bare = alertOf(bodyWith({ alertRule: null, description: '', monitoringService: null }));
    expect(bare.title).toBe('Azure Monitor alert');
    expect(bare.monitor.name).toBe('Azure Monitor alert');
    expect(bare.message).toBe('');
  });

  test('when the rule name and description are long, then the title and the message are capped', () => {
    const alert = alertOf(bodyWith({ alertRule: 'r'.repeat(600), description: 'd'.repeat(5000) }));
    expect(alert.title).toBe('r'.repeat(LIMITS.title));
    expect(alert.monitor.name).toBe('r'.repeat(LIMITS.title));
    expect(alert.message).toBe('d'.repeat(LIMITS.message));
    const titled = alertOf(bodyWith({ alertRule: null, description: 'd'.repeat(5000) }));
    expect(titled.title).toBe('d'.repeat(LIMITS.title));
  });

  test('when the description has surrounding space, then the message is trimmed', () => {
    expect(alertOf(bodyWith({ description: '  CPU high \n' })).message).toBe('CPU high');
  });

  test('when alertRuleId or alertRuleID is sent, then it is the monitor id; else the rule name is', () => {
    expect(alertOf(bodyWith({ alertRuleId: '/rules/a' })).monitor.id).toBe('/rules/a');
    expect(alertOf(bodyWith({ alertRuleID: '/rules/b' })).monitor.id).toBe('/rules/b');
    expect(alertOf(bodyWith({ alertRuleId: '/rules/a', alertRuleID: '/rules/b' })).monitor.id).toBe(
      '/rules/a',
    );
    expect(alertOf(bodyWith()).monitor.id).toBe('cpu-high');
    expect(alertOf(bodyWith({ alertRule: null })).monitor.id).toBeNull();
  });

  test.each([
    ['https://portal.azure.com/#blade/x', 'https://portal.azure.com/#blade/x'],
    ['HTTPS://PORTAL.AZURE.COM/x', 'HTTPS://PORTAL.AZURE.COM/x'],
    ['http://portal.azure.com/x', null],
    ['https://', null],
    ['https:///path', null],
    ['https://portal.azure.com/a b', null],
    ['javascript:alert(1)//https://x', null],
    [null, null],
  ])('when investigationLink is %p, then the monitor url is %p', (link, url) => {
    expect(alertOf(bodyWith({ investigationLink: link })).monitor.url).toBe(url);
  });

  test('when any alert is read, then the monitor has no query and the cycle key is the alertId', () => {
    const alert = alertOf(bodyWith());
    expect(alert.monitor.query).toBeNull();
    expect(alert.cycleKey).toBe(ALERT_ID);
  });
});

describe('azure hosts, services and tags', () => {
  test.each([
    ['/subscriptions/s/resourcegroups/g/providers/microsoft.compute/virtualmachines/web-1', 'web-1'],
    ['/subscriptions/s/virtualmachines/web-1/', 'web-1'],
    ['web-1', 'web-1'],
    ['a/ b /', 'b'],
    ['///', null],
  ])('when a resource id is %p, then its name is %p', (id, name) => {
    expect(resourceNameOf(id)).toBe(name);
  });

  test('when configurationItems and alertTargetIDs name the same resource in another case, then it is one host in the item’s case', () => {
    const essentials = essentialsWith({
      configurationItems: ['Test-VM', 'db-1'],
      alertTargetIds: ['/s/virtualmachines/test-vm', '/s/virtualmachines/cache-1', '///'],
    });
    expect(resourceHosts(essentials)).toEqual(['Test-VM', 'db-1', 'cache-1']);
  });

  test('when customProperties carry host and service keys, then they add hosts and services after the resources', () => {
    const alert = alertOf(
      bodyWith(
        { configurationItems: ['web-1'], alertTargetIDs: ['/x/virtualmachines/web-1'] },
        { customProperties: { app: 'shop', service: 'cart', node: 'web-1', host: 'db-1' } },
      ),
      { serviceTagKeys: ['service', 'app'], hostTagKeys: ['host', 'node'] },
    );
    expect(alert.services).toEqual(['shop', 'cart']);
    expect(alert.hosts).toEqual(['web-1', 'db-1']);
  });

  test('when a list item is null, then it is skipped; when it is an object, then it is refused naming its index', () => {
    expect(alertOf(bodyWith({ configurationItems: [null, 'web-1'] })).hosts).toEqual(['web-1']);
    const error = refusalOf(bodyWith({ alertTargetIDs: ['/x/web-1', { id: 'web-2' }] }));
    expect(error.field).toBe('data.essentials.alertTargetIDs[1]');
    expect(refusalOf(bodyWith({ configurationItems: 'web-1' })).field).toBe(
      'data.essentials.configurationItems',
    );
  });

  test('when a resource list holds more than LIMITS.labels items, then it is refused; at the cap it is read', () => {
    const atCap = Array.from({ length: LIMITS.labels }, (_, i) => `vm-${i}`);
    expect(alertOf(bodyWith({ configurationItems: atCap })).hosts).toHaveLength(LIMITS.labels);
    const error = refusalOf(bodyWith({ configurationItems: [...atCap, 'one-more'] }));
    expect(error.field).toBe('data.essentials.configurationItems');
  });

  test('when monitoringService and signalType are sent, then they are tags after the custom properties, once each', () => {
    const alert = alertOf(bodyWith({}, { customProperties: { env: 'prod', monitoringService: 'Platform' } }));
    expect(alert.tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'monitoringService', value: 'Platform' },
      { key: 'signalType', value: 'Metric' },
    ]);
  });

  test('when neither monitoringService nor signalType is sent, then there are only the custom tags', () => {
    const alert = alertOf(bodyWith({ monitoringService: null, signalType: null }));
    expect(alert.tags).toEqual([]);
  });

  test('when a custom property key is __proto__, then it stays a plain tag and pollutes nothing', () => {
    const body = JSON.parse(
      JSON.stringify(bodyWith()).replace(
        '"alertContext":{}',
        '"customProperties":{"__proto__":{"service":"x"},"constructor":"c"}',
      ),
    ) as unknown;
    const alert = alertOf(body);
    expect(alert.services).toEqual([]);
    expect(alert.tags).toContainEqual({ key: 'constructor', value: 'c' });
    expect(({} as Record<string, unknown>).service).toBeUndefined();
  });
});

describe('azure refusals', () => {
  test('when schemaId is missing or another schema, then it is refused naming schemaId; its case does not matter', () => {
    expect(alertOf({ ...bodyWith(), schemaId: 'AZUREMONITORCOMMONALERTSCHEMA' }).source).toBe('azure');
    expect(refusalOf({ ...bodyWith(), schemaId: undefined }).field).toBe('schemaId');
    const error = refusalOf({ ...bodyWith(), schemaId: 'Microsoft.Insights/activityLogs' });
    expect(error.field).toBe('schemaId');
    expect(error.message).toContain('"Microsoft.Insights/activityLogs"');
    expect(error.message).toContain('common alert schema');
  });

  test('when the body, data or essentials is not an object, then it is refused naming it', () => {
    expect(refusalOf([bodyWith()]).field).toBe('body');
    expect(refusalOf(null).field).toBe('body');
    expect(refusalOf({ schemaId: 'azureMonitorCommonAlertSchema' }).field).toBe('data');
    expect(refusalOf({ schemaId: 'azureMonitorCommonAlertSchema', data: { essentials: [] } }).field).toBe(
      'data.essentials',
    );
  });

  test('when alertId is missing or not text, then it is refused naming it', () => {
    expect(refusalOf(bodyWith({ alertId: undefined })).field).toBe('data.essentials.alertId');
    expect(refusalOf(bodyWith({ alertId: ['a'] })).field).toBe('data.essentials.alertId');
  });

  test('when a text field is an object, then it is refused naming it', () => {
    for (const key of [
      'alertRule',
      'alertRuleId',
      'severity',
      'signalType',
      'monitoringService',
      'description',
      'investigationLink',
    ])
      expect(refusalOf(bodyWith({ [key]: { x: 1 } })).field).toBe(`data.essentials.${key}`);
    expect(refusalOf(bodyWith({ alertRuleID: { x: 1 } })).field).toBe('data.essentials.alertRuleID');
  });

  test('when customProperties is not an object, then it is refused; when null, then there are no custom labels', () => {
    expect(refusalOf(bodyWith({}, { customProperties: 'a=b' })).field).toBe('data.customProperties');
    expect(alertOf(bodyWith({}, { customProperties: null })).services).toEqual([]);
  });

  test('when a field cannot be read at all, then the refusal names the payload instead of crashing', () => {
    const body = bodyWith();
    Object.defineProperty(body, 'schemaId', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const error = refusalOf(body, '{}');
    expect(error.field).toBe('payload');
    expect(error.message).toContain('boom');
  });

  test('when the essentials come from a prototype, not the object itself, then they are not read', () => {
    const data = Object.create({
      essentials: (bodyWith().data as Record<string, unknown>).essentials,
    }) as object;
    expect(refusalOf({ schemaId: 'azureMonitorCommonAlertSchema', data }).field).toBe('data.essentials');
  });
});
