/**
 * Zabbix's webhook media type, as a source: the JSON its script (ZABBIX_MEDIA_TYPE_SCRIPT) posts. Its one
 * setting, ZABBIX_TIMEZONE, is the Zabbix server's zone, in which Zabbix writes {EVENT.DATE} and {EVENT.TIME}.
 */
import { z } from 'zod';
import { defineSource } from '../source';
import { parseZabbixWebhook, type ZabbixSettings } from './zabbix.adapter';

/** Whether Intl knows `zone` as a time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const zabbixSettingsSchema = z.object({
  ZABBIX_TIMEZONE: z
    .string()
    .trim()
    .refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' })
    .default('UTC'),
}) satisfies z.ZodType<ZabbixSettings>;

export const zabbixSource = defineSource<ZabbixSettings>({
  name: 'zabbix',
  bodyFormats: ['json'],
  settings: zabbixSettingsSchema,
  parse: parseZabbixWebhook,
});
