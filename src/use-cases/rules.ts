import type { Config } from '../../config';
import type { RoutingRules } from '../domain/incident-routing';

export function routingRulesFrom(
  config: Pick<Config, 'openingTransitions' | 'reopenWindowSeconds'>,
): RoutingRules {
  return {
    openingTransitions: new Set(config.openingTransitions),
    reopenWindowSeconds: config.reopenWindowSeconds,
  };
}
