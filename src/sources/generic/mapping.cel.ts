/**
 * The CEL side of the mapped endpoints (@bufbuild/cel): compiling an expression, evaluating it within a cost
 * budget, and moving values across (JSON -> CEL for the payload, CEL -> plain JS for the results).
 *
 * CEL cannot loop forever or reach the host, and its regexes are RE2 (linear time), but @bufbuild/cel 0.6 has
 * no cost limit of its own: a comprehension over a comprehension over a big list is quadratic. So the payload's
 * lists and maps are handed to CEL in metered containers: every time an expression iterates one (`map`,
 * `filter`, `exists`, `all`, `in`), its size is charged to the request's CostMeter, and past the budget the
 * evaluation stops. Payload strings are cut at CEL_LIMITS.payloadText before expressions see them.
 */
import {
  celEnv,
  celType,
  isCelError,
  isCelList,
  isCelMap,
  isCelUint,
  parse,
  plan,
  type CelInput,
  type CelValue,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { ValidationError } from '../../errors';
import { LIMITS, isRecord } from '../../payloads/values';

export const CEL_LIMITS = {
  /** Items of payload lists and maps iterated, in all of one request's expressions together. */
  steps: 100_000,
  /** Characters of one payload string that expressions see. */
  payloadText: 16_384,
  /** Characters of one expression. */
  expression: 2_000,
  /** Items of one list or map an expression gives. */
  resultItems: LIMITS.alerts,
  /** Values in all of one expression's result (lists and maps inside lists and maps). */
  resultValues: 10_000,
  /** Nesting of the payload handed to CEL (the webhook route refuses deeper bodies already). */
  payloadDepth: 32,
} as const;

/** The functions expressions may call: CEL's standard ones and the strings extension (lowerAscii, split, ...). */
const ENV = celEnv({ funcs: strings });

export type CelBindings = { payload: CelInput; alert?: CelInput };
export type CompiledExpression = (bindings: CelBindings) => unknown;

/** Parses and plans an expression; throws an Error with CEL's message when it is no expression. */
export function compileExpression(text: string): CompiledExpression {
  if (text.length > CEL_LIMITS.expression)
    throw new Error(`is longer than ${CEL_LIMITS.expression} characters`);
  const evaluate = plan(ENV, parse(text));
  // Only `payload` and `alert` resolve: a null-prototype object, so `constructor` names no variable.
  return (bindings) => evaluate(Object.assign(Object.create(null) as object, bindings));
}

class CostExceeded extends Error {}

/** The work one request's expressions may do, counted in items of payload lists and maps iterated. */
export class CostMeter {
  private spent = 0;
  exceeded = false;

  constructor(readonly limit: number = CEL_LIMITS.steps) {}

  charge(steps: number): void {
    this.spent += steps;
    if (this.spent <= this.limit) return;
    this.exceeded = true;
    throw new CostExceeded(`evaluation went past its budget of ${this.limit} steps`);
  }
}

/** A payload list: CEL iterates a list through its `values()`, which charges the meter first. */
class MeteredList extends Array<CelInput> {
  meter: CostMeter | undefined;
  override values(): ArrayIterator<CelInput> {
    this.meter?.charge(this.length);
    return super.values();
  }
}

/** A payload map: CEL iterates a map through its `keys()`, which charges the meter first. */
class MeteredMap extends Map<string, CelInput> {
  constructor(private readonly meter: CostMeter) {
    super();
  }
  override keys(): MapIterator<string> {
    this.meter.charge(this.size);
    return super.keys();
  }
}

/**
 * A parsed JSON body as CEL input: objects become maps (own keys only), integers CEL ints, other numbers
 * doubles, strings cut at CEL_LIMITS.payloadText.
 */
export function toCelInput(value: unknown, meter: CostMeter, depth = 1): CelInput {
  if (depth > CEL_LIMITS.payloadDepth)
    throw new ValidationError('body', `is nested deeper than ${CEL_LIMITS.payloadDepth} levels`);
  if (typeof value === 'string') return value.slice(0, CEL_LIMITS.payloadText);
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const list = new MeteredList();
    for (const item of value as unknown[]) list.push(toCelInput(item, meter, depth + 1));
    list.meter = meter;
    return list;
  }
  if (isRecord(value)) {
    const map = new MeteredMap(meter);
    for (const key of Object.keys(value)) map.set(key, toCelInput(value[key], meter, depth + 1));
    return map;
  }
  return null;
}

/** Runs an expression; its CEL error, or the budget running out, is a ValidationError naming `path`. */
export function evaluateExpression(
  path: string,
  expression: CompiledExpression,
  bindings: CelBindings,
  meter: CostMeter,
): CelValue {
  const result = expression(bindings) as CelValue;
  if (meter.exceeded)
    throw new ValidationError(
      path,
      `evaluation went past the budget of ${meter.limit} steps for one request`,
    );
  if (isCelError(result)) {
    const hint = result.message === 'unresolved attribute' ? ' (the variables are payload and alert)' : '';
    throw new ValidationError(path, `${result.message.slice(0, 300)}${hint}`);
  }
  return result;
}

/** The items of the list an expression gave (the `alerts` expression), at most LIMITS.alerts of them. */
export function celListItems(path: string, value: CelValue): CelValue[] {
  if (!isCelList(value)) throw new ValidationError(path, `must give a list, not a ${celType(value).name}`);
  if (value.size > LIMITS.alerts)
    throw new ValidationError(path, `gave ${value.size} items; at most ${LIMITS.alerts} are taken`);
  return Array.from(value);
}

const TIMESTAMP = 'google.protobuf.Timestamp';

interface TimestampMessage {
  message: { seconds: bigint; nanos: number };
}

function plainNumber(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/**
 * A CEL result as plain JSON-like JS: ints as numbers (their digits as a string past 2^53), maps as
 * null-prototype objects, timestamps as ISO text. Anything else (bytes, durations, types) is refused, naming
 * `path`; so are lists or maps of more than CEL_LIMITS.resultItems items.
 */
export function fromCelValue(
  path: string,
  value: CelValue,
  budget = { values: CEL_LIMITS.resultValues },
): unknown {
  if (--budget.values < 0)
    throw new ValidationError(path, `gave more than ${CEL_LIMITS.resultValues} values`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
    return value;
  if (typeof value === 'bigint') return plainNumber(value);
  if (isCelUint(value)) return plainNumber(value.value);
  if (isCelList(value) || isCelMap(value)) {
    if (value.size > CEL_LIMITS.resultItems)
      throw new ValidationError(
        path,
        `gave ${value.size} items; at most ${CEL_LIMITS.resultItems} are taken`,
      );
    if (isCelList(value)) return Array.from(value, (item) => fromCelValue(path, item, budget));
    const record = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of value)
      record[String(isCelUint(key) ? key.value : key)] = fromCelValue(path, item, budget);
    return record;
  }
  const type = celType(value).name;
  if (type === TIMESTAMP) {
    const { seconds, nanos } = (value as unknown as TimestampMessage).message;
    return new Date(Number(seconds) * 1000 + Math.floor(nanos / 1e6)).toISOString();
  }
  throw new ValidationError(path, `gave a ${type}, which no field takes`);
}
