import type { Request, Response } from 'express';
import { PreconditionRequiredError, ValidationError } from '../errors';

/** The version an edit was made from: `If-Match: "3"` (an ETag this API sent) or a `version` field. */
export function expectedVersion(req: Request, bodyVersion: number | undefined, required: true): number;
export function expectedVersion(
  req: Request,
  bodyVersion: number | undefined,
  required: false,
): number | undefined;
export function expectedVersion(
  req: Request,
  bodyVersion: number | undefined,
  required: boolean,
): number | undefined {
  const header = req.get('if-match');
  if (header !== undefined) {
    const match = /^\s*(?:W\/)?"(\d{1,12})"\s*$/.exec(header);
    if (!match) throw new ValidationError('if-match', 'must be an ETag this API sent, such as "3"');
    return Number(match[1]);
  }
  if (bodyVersion !== undefined) return bodyVersion;
  if (required) throw new PreconditionRequiredError();
  return undefined;
}

export function setVersionTag(res: Response, version: number): void {
  res.setHeader('ETag', `"${version}"`);
}
