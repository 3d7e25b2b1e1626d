/**
 * Uptime Kuma's Webhook notification, as a source: its JSON body (Request Body "application/json"). The
 * "multipart/form-data" body is not read yet.
 */
import { defineSource } from '../source';
import { parseUptimeKumaWebhook } from './uptime-kuma.adapter';

export const uptimeKumaSource = defineSource({
  name: 'uptime-kuma',
  bodyFormats: ['json'],
  parse: parseUptimeKumaWebhook,
});
