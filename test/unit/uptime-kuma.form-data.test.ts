/**
 * Uptime Kuma's form-data body (Request Body "multipart/form-data"): one field, `data`, holding the JSON the
 * JSON option sends as the body. Its fixtures are read through readWebhookBody; the rest calls the source with
 * the fields the body reader gives and the request's Content-Type.
 */
import { payloadEventId } from '../../src/payloads/values';
import { uptimeKumaSource } from '../../src/sources/uptime-kuma/uptime-kuma.source';
import { fixtureNamed, parseFixture, readFixture } from '../helpers/source-fixtures';
import {
  onlyAlertIn,
  onlyAlertOf,
  parseErrorOf,
  sourceContext,
  validationErrorOf,
} from '../helpers/source-tests';

const NAME = 'uptime-kuma';
const FORM_DATA = 'multipart/form-data; boundary=--------------------------4a1c7e09b2d35f68c0e1a947';

/** The source's result for form fields sent as multipart/form-data; the multipart bytes are a stand-in. */
function parseForm(fields: unknown, contentType = FORM_DATA) {
  return uptimeKumaSource.parse(
    fields,
    sourceContext('--the multipart bytes--', {}, { 'Content-Type': contentType }),
  );
}

describe('uptime-kuma form-data deliveries', () => {
  test.each([
    ['form-data-down-trigger', 'down-trigger'],
    ['form-data-up-recovery', 'up-recovery'],
    ['form-data-test-notification', 'test-notification'],
  ])(
    'when %s is read, then it gives what the JSON delivery %s gives, eventId included',
    async (form, json) => {
      const fromForm = await readFixture(uptimeKumaSource, fixtureNamed(NAME, form));
      expect(fromForm.alerts).toHaveLength(1);
      expect(fromForm).toEqual(parseFixture(uptimeKumaSource, fixtureNamed(NAME, json)));
    },
  );

  test("when a form-data heartbeat has no time, then its eventId is the hash of the data field's JSON, as the JSON body's is", () => {
    const notification = {
      heartbeat: { monitorID: 12, status: 0, msg: 'Request failed' },
      monitor: { id: 12, name: 'Checkout API' },
      msg: null,
    };
    const json = JSON.stringify(notification);
    const eventId = onlyAlertIn(parseForm({ data: json })).eventId;
    expect(eventId).toBe(payloadEventId(json));
    expect(eventId).toBe(onlyAlertOf(uptimeKumaSource, notification).eventId);
  });

  test('when the media type is written in another case, then the data field is still read', () => {
    const result = parseForm({ data: '{"msg":"Ops Testing"}' }, ' Multipart/Form-Data ; boundary=x');
    expect(onlyAlertIn(result).isTest).toBe(true);
  });

  test('when a JSON body has a data field, then it is read as the notification itself, not unwrapped', () => {
    expect(parseErrorOf(uptimeKumaSource, { data: '{"msg":"Ops Testing"}' }).message).toBe(
      'heartbeat: is required',
    );
  });
});

describe('uptime-kuma form-data refusals', () => {
  test.each([
    ['no field', {}, 'data: is required (the form field holding the JSON)'],
    [
      'heartbeat, monitor and msg as fields of their own',
      { heartbeat: '{}', monitor: '{}', msg: 'x' },
      'data: is required (the form field holding the JSON)',
    ],
    ['data not a string', { data: 42 }, 'data: must be a string'],
  ])('when the form has %s, then it is refused naming data', (_what, fields, message) => {
    expect(validationErrorOf(() => parseForm(fields)).message).toBe(message);
  });

  test.each(['[object Object]', '', '{"msg":'])(
    'when data is %j, then it is refused naming data and why',
    (data) => {
      const error = validationErrorOf(() => parseForm({ data }));
      expect(error.field).toBe('data');
      expect(error.message).toMatch(/^data: is not valid JSON \(.+\)$/);
    },
  );

  test.each(['null', '[1]', '"down"'])(
    'when data is the JSON %s, then it is refused as the JSON body would be, naming payload',
    (data) => {
      expect(validationErrorOf(() => parseForm({ data })).field).toBe('payload');
      expect(parseErrorOf(uptimeKumaSource, JSON.parse(data)).field).toBe('payload');
    },
  );

  test('when the fields are not an object, then the payload is refused naming payload', () => {
    expect(validationErrorOf(() => parseForm(null)).field).toBe('payload');
  });
});
