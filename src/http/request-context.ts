import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger';

/** Gives the request an id (echoed as X-Request-Id) and logs one line when it ends: no body, no query. */
export function beginRequest(req: Request, res: Response, logger: Logger): void {
  const given = req.get('x-request-id');
  const requestId = given !== undefined && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug';
    if (!logger.isLevelEnabled(level)) return;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger[level](
      { requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms) },
      'request',
    );
  });
}

export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    beginRequest(req, res, logger);
    next();
  };
}

/** Headers every response carries; the API serves JSON only. */
export function setSecurityHeaders(res: Response): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('Cache-Control', 'no-store');
}

export const securityHeaders: RequestHandler = (_req, res, next) => {
  setSecurityHeaders(res);
  next();
};
