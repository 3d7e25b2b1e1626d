/** The facts an incident gathers from its alerts: services, hosts and monitors, merged without repeats. */
import type { Alert, MonitorRef } from '../../src/domain/alert';
import type { IncidentFacts } from '../../src/domain/incident';
import { factsFromAlerts, INCIDENT_LIST_LIMITS } from '../../src/domain/incident-building';
import { at, makeAlert } from '../helpers/alerts';

function monitor(id: string | null, name: string): MonitorRef {
  return { id, name, url: null, query: null };
}

function alertFrom(ref: MonitorRef, overrides: Partial<Alert> = {}): Alert {
  return makeAlert({ transition: 'triggered', at: at('10:02'), monitor: ref, ...overrides });
}

describe('factsFromAlerts', () => {
  it('when there is no alert and no base, then it refuses', () => {
    expect(() => factsFromAlerts([])).toThrow('facts need at least one alert');
  });

  it('when there are no new alerts for a base, then the facts are the base, copied', () => {
    const base: IncidentFacts = {
      title: 'High error rate on web',
      source: 'datadog',
      severity: 'P3',
      services: ['web'],
      hosts: ['web-1'],
      monitors: [monitor('42', 'High error rate on web')],
    };
    const facts = factsFromAlerts([], base);
    expect(facts).toEqual(base);
    expect(facts.services).not.toBe(base.services);
  });

  it('when the first alerts come, then the incident takes the first title and source and every service and host once', () => {
    const facts = factsFromAlerts([
      alertFrom(monitor('42', 'Errors'), {
        title: 'Errors on web',
        services: ['web', 'api'],
        hosts: ['web-1'],
      }),
      alertFrom(monitor('42', 'Errors'), {
        title: 'Other title',
        services: ['api', 'web'],
        hosts: ['web-1', 'web-2'],
      }),
    ]);
    expect(facts).toEqual({
      title: 'Errors on web',
      source: 'datadog',
      severity: 'P2',
      services: ['web', 'api'],
      hosts: ['web-1', 'web-2'],
      monitors: [monitor('42', 'Errors')],
    });
  });

  it('when alerts join a base, then the base services, hosts and monitors are kept and the new ones follow, and the base is not changed', () => {
    const base: IncidentFacts = {
      title: 'High error rate on web',
      source: 'datadog',
      severity: 'P2',
      services: ['web'],
      hosts: ['web-1'],
      monitors: [monitor('42', 'Errors')],
    };
    const facts = factsFromAlerts(
      [alertFrom(monitor('43', 'Latency'), { services: ['api'], hosts: ['api-1'] })],
      base,
    );
    expect(facts.services).toEqual(['web', 'api']);
    expect(facts.hosts).toEqual(['web-1', 'api-1']);
    expect(facts.monitors).toEqual([monitor('42', 'Errors'), monitor('43', 'Latency')]);
    expect(base.services).toEqual(['web']);
    expect(base.hosts).toEqual(['web-1']);
    expect(base.monitors).toEqual([monitor('42', 'Errors')]);
  });

  it('when a monitor is renamed but keeps its id, then it is listed once, as first seen', () => {
    const facts = factsFromAlerts([
      alertFrom(monitor('42', 'Errors')),
      alertFrom(monitor('42', 'Errors (renamed)')),
    ]);
    expect(facts.monitors).toEqual([monitor('42', 'Errors')]);
  });

  it('when two monitors have different ids and the same name, then both are listed', () => {
    const facts = factsFromAlerts([alertFrom(monitor('42', 'Errors')), alertFrom(monitor('43', 'Errors'))]);
    expect(facts.monitors).toEqual([monitor('42', 'Errors'), monitor('43', 'Errors')]);
  });

  it('when monitors have no ids, then the same name is listed once and other names each once', () => {
    const facts = factsFromAlerts([
      alertFrom(monitor(null, 'Errors')),
      alertFrom(monitor(null, 'Errors')),
      alertFrom(monitor(null, 'Latency')),
    ]);
    expect(facts.monitors).toEqual([monitor(null, 'Errors'), monitor(null, 'Latency')]);
  });

  it('when a monitor with an id was seen and one of the same name without an id comes, then they are two monitors', () => {
    const facts = factsFromAlerts([alertFrom(monitor('42', 'Errors')), alertFrom(monitor(null, 'Errors'))]);
    expect(facts.monitors).toEqual([monitor('42', 'Errors'), monitor(null, 'Errors')]);
  });

  it('when a monitor without an id was seen and one of the same name with an id comes, then they are two monitors', () => {
    const facts = factsFromAlerts([alertFrom(monitor(null, 'Errors')), alertFrom(monitor('42', 'Errors'))]);
    expect(facts.monitors).toEqual([monitor(null, 'Errors'), monitor('42', 'Errors')]);
  });
});

describe('the lists an incident keeps', () => {
  test('when its alerts bring 500 services, 500 hosts and 80 monitors, then it names the first 100, 100 and 50', () => {
    const alerts = Array.from({ length: 80 }, (_, i) =>
      makeAlert({
        transition: 'triggered',
        at: at('10:00'),
        services: Array.from({ length: 7 }, (_, j) => `svc-${i * 7 + j}`),
        hosts: Array.from({ length: 7 }, (_, j) => `host-${i * 7 + j}`),
        monitor: { id: String(i), name: `monitor ${i}`, url: null, query: null },
      }),
    );
    const facts = factsFromAlerts(alerts);
    expect(facts.services).toHaveLength(INCIDENT_LIST_LIMITS.services);
    expect(facts.services.slice(0, 3)).toEqual(['svc-0', 'svc-1', 'svc-2']);
    expect(facts.hosts).toHaveLength(INCIDENT_LIST_LIMITS.hosts);
    expect(facts.monitors).toHaveLength(INCIDENT_LIST_LIMITS.monitors);
    // A full list takes nothing new, and keeps what it has.
    const more = factsFromAlerts(
      [makeAlert({ transition: 'triggered', at: at('10:05'), services: ['late'] })],
      facts,
    );
    expect(more.services).toEqual(facts.services);
  });
});
