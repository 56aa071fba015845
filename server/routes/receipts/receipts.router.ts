import { Router, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { AppError } from '../../errors';
import { rateLimitStore } from '../../infra/rate-limit-store';
import { validate } from '../../middleware/validate';
import type { ReceiptService } from '../../services/receipt.service';
import { receiptSchema } from './receipts.schema';

/**
 * /api/receipts/*: public, no login. Anyone (a family, a journalist, an
 * inspector) fetches the key or checks a receipt; checking is rate-limited
 * per client IP like the other public posts.
 */
export function createReceiptsRouter(deps: { receipts: ReceiptService; limiter: RequestHandler }): Router {
  const { receipts, limiter } = deps;
  const router = Router();

  router.get('/receipts/public-key', (_req, res) => {
    const { pem, keyId } = receipts.publicKey();
    res.set('X-Receipt-Key-Id', keyId);
    res.set('Content-Disposition', 'inline; filename="receipt-public-key.pem"');
    res.type('application/x-pem-file').send(pem);
  });

  router.post('/receipts/verify', limiter, validate({ body: receiptSchema }), (req, res) => {
    res.json(receipts.verify(req.body));
  });

  return router;
}

/** express-rate-limit for POST /api/receipts/verify: `limit` checks per client IP per window, counted in Redis for every replica. */
export function createReceiptVerifyLimiter(opts: { redis: Redis; prefix: string; limit: number; windowSeconds: number }): RequestHandler {
  return rateLimit({
    windowMs: opts.windowSeconds * 1000,
    limit: opts.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: rateLimitStore(opts.redis, `${opts.prefix}:ratelimit:receipt-verify:`),
    passOnStoreError: true,
    handler: (_req, _res, next) => next(new AppError('RATE_LIMITED')),
  });
}
