/** routingRulesFrom: the routing rules the worker builds from its configuration. */
import { routingRulesFrom } from '../../../src/use-cases/rules';

describe('routingRulesFrom', () => {
  it('when the configuration lists opening transitions and a reopen window, then the rules carry both', () => {
    const opening = ['triggered', 'retriggered', 'no_data'] as const;
    const rules = routingRulesFrom({ openingTransitions: [...opening], reopenWindowSeconds: 900 });
    expect([...rules.openingTransitions].sort()).toEqual(['no_data', 'retriggered', 'triggered']);
    expect(rules.openingTransitions.has('warn')).toBe(false);
    expect(rules.reopenWindowSeconds).toBe(900);
  });

  it('when the configuration list changes later, then the rules already built do not', () => {
    const openingTransitions: ('triggered' | 'warn')[] = ['triggered'];
    const rules = routingRulesFrom({ openingTransitions, reopenWindowSeconds: 0 });
    openingTransitions.push('warn');
    expect(rules.openingTransitions.has('warn')).toBe(false);
    expect(rules.reopenWindowSeconds).toBe(0);
  });
});
