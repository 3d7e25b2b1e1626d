/** Sentry's integration platform webhooks (an internal integration), as a source: JSON, signed with its client secret. */
import { defineSource } from '../source';
import { parseSentryWebhook } from './sentry.adapter';
import { SENTRY_SIGNATURE_HEADER, verifySentrySignature } from './sentry.signature';

export const sentrySource = defineSource({
  name: 'sentry',
  bodyFormats: ['json'],
  signature: { header: SENTRY_SIGNATURE_HEADER, verify: verifySentrySignature },
  parse: parseSentryWebhook,
});
