/** Azure Monitor alerts, as a source: an action group's webhook with the common alert schema enabled. */
import { defineSource } from '../source';
import { parseAzureAlert } from './azure.adapter';

export const azureSource = defineSource({
  name: 'azure',
  bodyFormats: ['json'],
  parse: (body, context) => ({ alerts: parseAzureAlert(body, context) }),
});
