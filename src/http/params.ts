import type { Request } from 'express';

/** The `:id` of `/api/incidents/:id/...`, seen from a router mounted with mergeParams. */
export function incidentIdParam(req: Request): string {
  return (req.params as { id?: string }).id ?? '';
}
