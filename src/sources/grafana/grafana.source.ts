/**
 * Grafana Alerting's webhook contact point, as a source: JSON, optionally signed with an HMAC
 * (WEBHOOK_SECRET_GRAFANA; see ./grafana.signature.ts for the headers).
 */
import { defineSource } from '../source';
import { parseGrafanaWebhook } from './grafana.adapter';
import { GRAFANA_SIGNATURE_HEADER, verifyGrafanaSignature } from './grafana.signature';

export { signGrafanaRequest } from './grafana.signature';

export const grafanaSource = defineSource({
  name: 'grafana',
  bodyFormats: ['json'],
  signature: { header: GRAFANA_SIGNATURE_HEADER, verify: verifyGrafanaSignature },
  parse: parseGrafanaWebhook,
});
