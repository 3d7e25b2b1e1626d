/** Google Cloud Monitoring, as a source: a Webhook notification channel (token or basic auth), JSON. */
import { defineSource } from '../source';
import { parseGcpNotification } from './gcp.adapter';

export const gcpSource = defineSource({
  name: 'gcp',
  bodyFormats: ['json'],
  parse: (body, context) => ({ alerts: parseGcpNotification(body, context) }),
});
