/** New Relic workflows with a Webhook destination, as a source: JSON (the default payload template). */
import { defineSource } from '../source';
import { parseNewRelicWebhook } from './newrelic.adapter';

export const newrelicSource = defineSource({
  name: 'newrelic',
  bodyFormats: ['json'],
  parse: parseNewRelicWebhook,
});
