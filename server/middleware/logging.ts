import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

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

/** One log line per request: method, path, status, time, request id and user id. */
export function requestLogger(logger: Logger, options: { quietPaths?: string[] } = {}) {
  const quiet = new Set(options.quietPaths ?? []);
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage) => (req as Request).requestId,
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { originalUrl?: string }) => ({
        requestId: (req as Request).requestId,
        method: req.method,
        path: pathOnly(req.originalUrl ?? req.url),
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
    customProps: (req: IncomingMessage) => {
      const user = (req as Request).user;
      return user ? { userId: user.id, role: user.role } : {};
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req: IncomingMessage) => quiet.has(pathOnly(req.url)) },
  });
}
