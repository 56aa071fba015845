import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Lang } from '../errors';
import { pickLanguage } from '../lang';
import type { PublicUser } from '../services/auth.service';

declare global {
  // Express's own extension point for request properties.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Id of this request: from a well-formed `X-Request-Id` header, else a new UUID. Echoed in the response. */
      requestId: string;
      /** Language of messages in the response (zh-CN unless `?lang=en` or Accept-Language asks for English). */
      lang: Lang;
      /** The signed-in caller, set by `authenticate`. */
      user?: PublicUser;
      /** The API's logger, set by requestLogger (logging.ts). */
      log?: Logger;
    }
  }
}

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** Gives each request an id and a language; runs first, so logs and errors can use both. */
export const requestContext: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  req.requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
  req.lang = pickLanguage(req.query?.lang, req.get('accept-language'));
  res.setHeader('X-Request-Id', req.requestId);
  res.setHeader('Content-Language', req.lang);
  next();
};
