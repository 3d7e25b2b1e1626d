/** Datadog's Webhooks integration, as a source: JSON (its default payload) or form-encoded fields. */
import { defineSource } from '../source';
import { parseDatadogWebhook } from './datadog.adapter';

export const datadogSource = defineSource({
  name: 'datadog',
  bodyFormats: ['json', 'form'],
  parse: (body, context) => ({ alerts: parseDatadogWebhook(body, context) }),
});
