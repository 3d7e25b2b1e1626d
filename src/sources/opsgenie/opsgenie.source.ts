/** Opsgenie's outgoing Webhook integration, as a source: JSON, unsigned (a token authenticates it). */
import { defineSource } from '../source';
import { parseOpsgenieWebhook } from './opsgenie.adapter';

export const opsgenieSource = defineSource({
  name: 'opsgenie',
  bodyFormats: ['json'],
  parse: parseOpsgenieWebhook,
});
