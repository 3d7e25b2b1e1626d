/** UptimeRobot's webhook alert contact, as a source: its POST value as JSON, or its variables as POST parameters. */
import { defineSource } from '../source';
import { parseUptimeRobotWebhook } from './uptimerobot.adapter';

export const uptimerobotSource = defineSource({
  name: 'uptimerobot',
  bodyFormats: ['json', 'form'],
  parse: parseUptimeRobotWebhook,
});
