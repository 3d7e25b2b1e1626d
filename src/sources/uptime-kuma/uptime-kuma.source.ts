/**
 * Uptime Kuma's Webhook notification, as a source: both of its preset bodies, Request Body "application/json"
 * and "multipart/form-data" (one field `data` holding the same JSON). Its custom body is the user's own template.
 */
import { defineSource } from '../source';
import { parseUptimeKumaWebhook } from './uptime-kuma.adapter';

export const uptimeKumaSource = defineSource({
  name: 'uptime-kuma',
  bodyFormats: ['json', 'multipart'],
  parse: parseUptimeKumaWebhook,
});
