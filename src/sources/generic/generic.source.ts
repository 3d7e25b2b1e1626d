/** Hindsight's own documented JSON alert format, for the scripts and tools no other source covers. */
import { defineSource } from '../source';
import { readingPayload } from '../../payloads/values';
import { genericResult } from './generic.adapter';
import { readGenericBody } from './generic.payload';

export const genericSource = defineSource({
  name: 'generic',
  bodyFormats: ['json'],
  parse: (body, context) =>
    readingPayload(() =>
      genericResult('generic', readGenericBody(body), context, 'the body\'s "alerts" list is empty'),
    ),
});
