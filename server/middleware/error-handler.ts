import type { ErrorRequestHandler } from 'express';
import { AppError, mapError } from '../errors';
import { pickLanguage } from '../lang';

/** Seconds a client is asked to wait before retrying after a 503. */
const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * The one place errors become responses: `{ error: { code, message, field?, details? } }`.
 * Unknown errors are logged with the request id and answered with a generic 500.
 */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const lang = req.lang ?? pickLanguage(undefined, req.get('accept-language'));
  const mapped = mapError(error, lang);
  if (mapped.unexpected) {
    req.log?.error({ err: error, requestId: req.requestId }, 'request failed');
  }
  if (mapped.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (error instanceof AppError && error.code === 'SIGN_IN_THROTTLED' && typeof error.params.seconds === 'number') {
    res.setHeader('Retry-After', String(error.params.seconds));
  }
  // PostgreSQL or Redis out of reach (server/outages.ts): clients and proxies may retry shortly.
  if (mapped.status === 503) res.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
  res.status(mapped.status).json(mapped.body);
};
