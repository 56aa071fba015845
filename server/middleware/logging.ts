import type { RequestHandler } from 'express';
import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Logs are JSON lines (pino). Request bodies, query strings and headers are
 * never logged: bodies and queries can hold personal ID numbers (身份证号),
 * scores and passwords. Redaction below is a second line of defence for
 * objects logged by hand. `destination` defaults to stdout (tests pass a stream to read the lines).
 */
export function createLogger(options: { level: string; service: 'api' | 'worker' | 'cli'; destination?: DestinationStream }): Logger {
  return pino({
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'password',
        'newPassword',
        'currentPassword',
        'passwordHash',
        'token',
        'idCardNo',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.passwordHash',
        '*.token',
        '*.idCardNo',
        'req.headers',
        'req.body',
        'req.query',
        'body',
      ],
      censor: '[redacted]',
    },
  }, options.destination);
}

/** The path of a URL without its query string (which may carry personal data). */
export function pathOnly(url: string | undefined): string {
  if (!url) return '';
  const cut = url.indexOf('?');
  return cut === -1 ? url : url.slice(0, cut);
}

/**
 * One log line per request when it ends: method, path (never the query),
 * status, response time, request id and, once signed in, user id and role;
 * info below 400, warn for 4xx, error for 5xx and for a response the client
 * did not wait for ("request aborted"). `req.log` is `logger` itself (the
 * error handler logs with the request id): no child logger per request, as
 * pino-http made, on the deadline-night path.
 */
export function requestLogger(logger: Logger, options: { quietPaths?: string[] } = {}): RequestHandler {
  const quiet = new Set(options.quietPaths ?? []);
  return (req, res, next) => {
    req.log = logger;
    if (quiet.has(pathOnly(req.url))) return next();
    const startedAt = performance.now();
    const done = () => {
      res.removeListener('finish', done);
      res.removeListener('close', done);
      const aborted = !res.writableFinished;
      const statusCode = res.statusCode;
      const level = aborted || statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const user = req.user;
      logger[level](
        {
          req: { requestId: req.requestId, method: req.method, path: pathOnly(req.originalUrl ?? req.url) },
          res: { statusCode },
          responseTime: Math.round(performance.now() - startedAt),
          ...(user ? { userId: user.id, role: user.role } : {}),
        },
        aborted ? 'request aborted' : 'request completed',
      );
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
