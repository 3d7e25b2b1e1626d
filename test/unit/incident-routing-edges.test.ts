/** What the routing tells a caller when it holds an event: the reason, in words kept with the held alert. */
import type { Incident } from '../../src/domain/incident';
import { newIncident } from '../../src/domain/incident-building';
import { routeEvent, type RoutingRules } from '../../src/domain/incident-routing';
import { at, makeAlert } from '../helpers/alerts';

function rules(): RoutingRules {
  return { openingTransitions: new Set(['triggered', 'retriggered']), reopenWindowSeconds: 1800 };
}

describe('held events', () => {
  let resolved: Incident;
  beforeEach(() => {
    const trigger = makeAlert({ transition: 'triggered', at: at('10:02') });
    const recovery = makeAlert({ transition: 'recovered', at: at('10:49') });
    resolved = newIncident(
      'inc1',
      trigger.groupKey,
      [trigger, recovery].map((alert) => ({ alert, receivedAt: new Date(alert.at) })),
      rules(),
      new Date(at('12:00')),
    );
  });

  it('when a warning comes with no incident, then it is held because no incident is open for it', () => {
    const event = { eventId: 'w', transition: 'warn' as const, at: new Date(at('10:00')) };
    expect(routeEvent(null, event, rules())).toEqual({
      action: 'hold',
      reason: 'no incident is open for it',
    });
  });

  it('when a recovery comes after the reopen window, then it is held because the window has passed', () => {
    const event = { eventId: 'r', transition: 'recovered' as const, at: new Date(at('11:20')) };
    expect(routeEvent(resolved, event, rules())).toEqual({
      action: 'hold',
      reason: 'the incident resolved before it and its reopen window has passed',
    });
  });
});
