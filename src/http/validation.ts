import type { z } from 'zod';
import { ValidationError } from '../errors';

export const NUL_MESSAGE = 'contains a NUL character, which cannot be stored';

/** A value met on the walk, and where: its key and the node holding it (the path is built only when needed). */
interface Node {
  value: unknown;
  key: string | number | null;
  parent: Node | null;
}

function pathTo(node: Node | null, last?: string): (string | number)[] {
  const path: (string | number)[] = last === undefined ? [] : [last];
  for (let at = node; at !== null && at.key !== null; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * The path of the first string in `value` (a key, or a value at any depth) that holds U+0000, or null when none
 * does. A key is named by itself, its NUL written `\0`. Walks without recursion, so depth cannot overflow the stack.
 */
export function nulPathOf(value: unknown): (string | number)[] | null {
  const pending: Node[] = [{ value, key: null, parent: null }];
  const seen = new Set<object>();
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const current = node.value;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return pathTo(node);
      continue;
    }
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const entries = Array.isArray(current)
      ? current.map((item: unknown, index) => [index, item] as const)
      : Object.entries(current);
    // Reversed onto the stack, so that the first field is looked at first.
    for (const [key, item] of entries.reverse()) {
      if (typeof key === 'string' && key.includes('\u0000'))
        return pathTo(node, key.replace(/\u0000/g, '\\0'));
      pending.push({ value: item, key, parent: node });
    }
  }
  return null;
}

/**
 * Throws a 400 naming the field when a string in `value` holds U+0000: the database refuses it, and would
 * answer a 500. For a route that reads its body or query without parseOr400, before it stores anything.
 */
export function refuseNul(value: unknown, fallbackField = 'body'): void {
  const path = nulPathOf(value);
  if (path !== null) throw new ValidationError(path.join('.') || fallbackField, NUL_MESSAGE);
}

/** Parses with the schema or throws a 400 naming the first bad field (or a string holding a NUL character). */
export function parseOr400<T extends z.ZodType>(
  schema: T,
  value: unknown,
  fallbackField = 'body',
): z.infer<T> {
  refuseNul(value, fallbackField);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A strict object's unknown key is named itself, not the object that holds it.
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    throw new ValidationError(path.join('.') || fallbackField, issue.message);
  }
  return parsed.data;
}
