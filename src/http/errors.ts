import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/** body-parser's errors carry a `type` and a `status`; these become JSON like our own. */
const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'body is over the size limit' },
  'encoding.unsupported': {
    status: 415,
    code: 'unsupported_encoding',
    message: 'content encoding not supported',
  },
  'charset.unsupported': { status: 415, code: 'unsupported_charset', message: 'charset not supported' },
  'request.aborted': { status: 400, code: 'request_aborted', message: 'the request was aborted' },
  'request.size.invalid': {
    status: 400,
    code: 'invalid_length',
    message: 'body length does not match Content-Length',
  },
};

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}` } });
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof AppError) {
      res
        .status(error.status)
        .json({ error: { code: error.code, message: error.message, ...error.details } });
      return;
    }
    const type = (error as { type?: unknown }).type;
    const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
    if (known) {
      res.status(known.status).json({ error: { code: known.code, message: known.message } });
      return;
    }
    // Other client errors raised by express or body-parser (a corrupt gzip body, a malformed URL escape).
    const status =
      (error as { status?: unknown; statusCode?: unknown }).status ??
      (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res
        .status(status)
        .json({ error: { code: 'bad_request', message: (error as Error).message || 'bad request' } });
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
