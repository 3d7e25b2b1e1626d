/** Prometheus Alertmanager's webhook receiver, as a source: JSON, unsigned (a bearer token or Basic auth). */
import { defineSource } from '../source';
import { parseAlertmanagerWebhook } from './alertmanager.adapter';

export const alertmanagerSource = defineSource({
  name: 'alertmanager',
  bodyFormats: ['json'],
  parse: parseAlertmanagerWebhook,
});
