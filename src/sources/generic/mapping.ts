/**
 * Mapped endpoints (`POST /webhooks/generic/<name>`): a mapping file (config/generic/<name>.json) says, in CEL
 * expressions over the variables `payload` (the whole body) and `alert` (the current item of the `alerts`
 * list), where each generic field is in some tool's own payload. Files are compiled once at start
 * (compileMapping, mapping.file.ts); each request is then evaluated within a cost budget (applyMapping) into
 * the generic format's inputs, read by the same rules as the generic format itself.
 */
import { ValidationError } from '../../errors';
import { defineSource, type Source } from '../source';
import { readingPayload } from '../../payloads/values';
import { genericResult } from './generic.adapter';
import {
  readGenericAlert,
  refuseRepeatedIds,
  type GenericAlertInput,
  type GenericField,
  type GenericFieldReader,
} from './generic.payload';
import {
  CostMeter,
  celListItems,
  evaluateExpression,
  fromCelValue,
  toCelInput,
  type CelBindings,
} from './mapping.cel';
import type { CompiledMapping } from './mapping.file';

export { compileMapping, GenericMappingError, type CompiledMapping, type MappingFile } from './mapping.file';

export interface MappedPayload {
  inputs: GenericAlertInput[];
  /** How many items the alerts list gave. */
  items: number;
  /** The status words of the items the statusMap ignores. */
  ignoredStatuses: string[];
}

/** An item's fields, each expression evaluated at most once (the status is read first, and again if ignored). */
function itemReader(compiled: CompiledMapping, bindings: CelBindings, meter: CostMeter): GenericFieldReader {
  const pathOf = (name: GenericField) => `fields.${name}`;
  const values = new Map<GenericField, unknown>();
  return {
    pathOf,
    read(name) {
      const expression = compiled.fields.get(name);
      if (expression === undefined) return undefined;
      if (!values.has(name))
        values.set(
          name,
          fromCelValue(pathOf(name), evaluateExpression(pathOf(name), expression, bindings, meter)),
        );
      return values.get(name);
    },
  };
}

/** The error, saying which item of the alerts list it is about. */
function inItem(error: unknown, index: number): unknown {
  if (!(error instanceof ValidationError)) return error;
  const detail = error.message.slice(error.field.length + 2);
  return new ValidationError(error.field, `${detail} (item ${index} of the alerts list)`);
}

/** The body through the mapping: its alerts, and what the mapping ignored. */
export function mapPayload(compiled: CompiledMapping, body: unknown): MappedPayload {
  const meter = new CostMeter();
  const payload = toCelInput(body, meter);
  const items =
    compiled.alerts === null
      ? [payload]
      : celListItems('alerts', evaluateExpression('alerts', compiled.alerts, { payload }, meter));
  const inputs: GenericAlertInput[] = [];
  const ignoredStatuses: string[] = [];
  items.forEach((alert, index) => {
    try {
      const reader = itemReader(compiled, { payload, alert }, meter);
      const input = readGenericAlert(reader, compiled.statusWords);
      if (input === null) ignoredStatuses.push(String(reader.read('status')).trim());
      else inputs.push(input);
    } catch (error) {
      throw compiled.alerts === null ? error : inItem(error, index);
    }
  });
  refuseRepeatedIds(inputs, () => 'fields.id');
  return { inputs, items: items.length, ignoredStatuses };
}

/** The body's alerts as the generic format's inputs, or a ValidationError naming the mapping's field. */
export function applyMapping(compiled: CompiledMapping, body: unknown): GenericAlertInput[] {
  return mapPayload(compiled, body).inputs;
}

function emptyReason(mapped: MappedPayload): string {
  if (mapped.items === 0) return 'the mapping found no alerts in the payload';
  const words = [...new Set(mapped.ignoredStatuses)].map((word) => JSON.stringify(word.slice(0, 64)));
  return `the mapping ignores status ${words.join(', ')}`;
}

/** The source of one mapped endpoint: named `generic/<name>`, taking JSON bodies. */
export function mappedGenericSource(compiled: CompiledMapping): Source {
  return defineSource({
    name: compiled.source,
    bodyFormats: ['json'],
    parse: (body, context) =>
      readingPayload(() => {
        const mapped = mapPayload(compiled, body);
        return genericResult(compiled.source, mapped.inputs, context, emptyReason(mapped));
      }),
  });
}
