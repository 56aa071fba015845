import { Router, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { rateLimitStore } from '../../infra/rate-limit-store';
import { AppError } from '../../errors';
import { validate } from '../../middleware/validate';
import type { ComplaintService } from '../../services/complaint.service';
import { complaintBodySchema } from './complaints.schema';

/** The public complaint form: no login; `limiter` (express-rate-limit) keeps it from being flooded. */
export function createComplaintsRouter(deps: { complaints: ComplaintService; limiter: RequestHandler }): Router {
  const { complaints, limiter } = deps;
  const router = Router();

  router.get('/complaints/schools', async (_req, res) => {
    res.json(await complaints.listSchools());
  });

  router.post('/complaints', limiter, validate({ body: complaintBodySchema }), async (req, res) => {
    res.status(201).json(await complaints.submit({ ...req.body, requestId: req.requestId }));
  });

  return router;
}

/**
 * express-rate-limit for the public form: `limit` reports per client IP per
 * window (default an hour), counted in Redis so every API replica shares the count.
 */
export function createComplaintLimiter(opts: { redis: Redis; prefix: string; limit: number; windowSeconds?: number }): RequestHandler {
  return rateLimit({
    windowMs: (opts.windowSeconds ?? 3600) * 1000,
    limit: opts.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: rateLimitStore(opts.redis, `${opts.prefix}:ratelimit:complaint:`),
    passOnStoreError: true,
    handler: (_req, _res, next) => next(new AppError('RATE_LIMITED')),
  });
}
