/**
 * Zabbix's webhook media type, as a source: the JSON its script (ZABBIX_MEDIA_TYPE_SCRIPT) posts. Its one
 * setting, ZABBIX_TIMEZONE, is the Zabbix server's zone, in which Zabbix writes {EVENT.DATE} and {EVENT.TIME}.
 */
import { z } from 'zod';
import { isTimeZone } from '../../payloads/times';
import { defineSource } from '../source';
import { parseZabbixWebhook, type ZabbixSettings } from './zabbix.adapter';

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
