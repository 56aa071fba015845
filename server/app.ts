import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { JobQueues } from '../jobs/queues';
import { systemClock, type Clock } from './clock';
import type { PrismaClient } from './db';
import type { Env } from './env';
import { AppError } from './errors';
import { rateLimitStore } from './infra/rate-limit-store';
import { createAuthenticate } from './middleware/authenticate';
import { errorHandler } from './middleware/error-handler';
import { createLogger, requestLogger } from './middleware/logging';
import { requestContext } from './middleware/request-context';
import { createMetrics } from './metrics';
import { openApiDocument } from './openapi';
import { createServices } from './composition';
import { createUnitOfWork } from './repositories';
import { createReadCache } from './repositories/read-cache';
import { createAuthRouter } from './routes/auth/auth.router';
import { createAccountsRouter } from './routes/accounts/accounts.router';
import { createComplaintLimiter, createComplaintsRouter } from './routes/complaints/complaints.router';
import type { ReceiptKeys } from './infra/receipt-key';
import { createReceiptsRouter, createReceiptVerifyLimiter } from './routes/receipts/receipts.router';
import { createScoreTableRouter } from './routes/score-table/score-table.router';
import { createDashboardRouter } from './routes/dashboard/dashboard.router';
import { createFlagsRouter } from './routes/flags/flags.router';
import { createKindergartensRouter } from './routes/kindergartens/kindergartens.router';
import { createHomeRouter } from './routes/home/home.router';
import { createSchoolPortalRouters } from './routes/high/school-portals';
import { createBureauSetupRouters } from './routes/bureau-setup';
import { createStudentRouter } from './routes/student/student.router';
import { createJobsRouter } from './routes/jobs/jobs.router';
import { createRoundsRouter } from './routes/rounds/rounds.router';
import { createSystemRouter } from './routes/system/system.router';
import type { SignInThrottlePolicy } from './domain/auth/auth.rules';

export interface AppDeps {
  env: Env;
  prisma: PrismaClient;
  /** ioredis connection (maxRetriesPerRequest: null), shared with the queues. */
  redis: Redis;
  queues: JobQueues;
  clock?: Clock;
  logger?: Logger;
  /** Overrides of the sign-in throttle (tests). */
  throttle?: SignInThrottlePolicy;
  /** The receipt signing key; default: RECEIPT_SIGNING_KEY (server/infra/receipt-key.ts), refused in production when unset. */
  receiptKeys?: ReceiptKeys;
}

/**
 * Content Security Policy for the Vue 3 + Element Plus client served from the
 * same origin: scripts and style sheets only from our own files, no inline
 * script or <style> or style attribute in markup (Vue, Element Plus and
 * ECharts set styles through the CSSOM, which the policy allows; every
 * browser test fails on a console error, so a violation would show there);
 * images and fonts may be data: URLs (icons); no frames, no plugins.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * The Express app, wired but not listening: main.ts listens, tests call
 * `listen(0)` (see test/support/server.ts). Builds the services from the
 * dependencies; holds no other state, so several instances can run side by side.
 */
export function buildApp(deps: AppDeps): Express {
  const { env, redis, queues } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger({ level: env.LOG_LEVEL, service: 'api' });

  const uow = createUnitOfWork(deps.prisma, env.READ_CACHE_TTL_MS > 0 ? { readCache: createReadCache({ ttlMs: env.READ_CACHE_TTL_MS }) } : {});
  const services = createServices({ env, uow, redis, queues, clock, logger, throttle: deps.throttle, receiptKeys: deps.receiptKeys });
  const { auth, twoFactor, accounts, health, homes, receipts, studentPortal, applications, rounds, jobs } = services;
  const authenticate = createAuthenticate(auth);
  const metrics = createMetrics({ service: 'api' });

  const loginLimiter = rateLimit({
    windowMs: env.LOGIN_RATE_WINDOW * 1000,
    limit: env.LOGIN_RATE_LIMIT,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Shared by every API replica; if Redis is down, sign-in still works (the per-account throttle, in PostgreSQL, still holds).
    store: rateLimitStore(redis, `${env.QUEUE_PREFIX}:ratelimit:login:`),
    passOnStoreError: true,
    handler: (_req, _res, next) => next(new AppError('RATE_LIMITED')),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', env.TRUST_PROXY > 0 ? env.TRUST_PROXY : false);

  app.use(requestContext);
  app.use(requestLogger(logger, { quietPaths: ['/api/health', '/metrics'] }));
  app.use(metrics.observe);
  // X-Frame-Options DENY agrees with frame-ancestors 'none' for browsers that predate CSP.
  app.use(helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, xFrameOptions: { action: 'deny' } }));

  app.get('/metrics', metricsGuard(env.METRICS_TOKEN), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const api = express.Router();
  // Before the body parser, so its errors (malformed JSON, too large) are not cached either.
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(express.json({ limit: env.BODY_LIMIT }));
  api.use(createSystemRouter({ health, openApiDocument }));
  api.use('/auth', createAuthRouter({ auth, twoFactor, authenticate, loginLimiter }));
  api.use(createAccountsRouter({ accounts, authenticate, loginLimiter }));
  api.use(createFlagsRouter({ flags: services.flags, authenticate }));
  api.use(
    createComplaintsRouter({
      complaints: services.complaints,
      limiter: createComplaintLimiter({ redis, prefix: env.QUEUE_PREFIX, limit: env.COMPLAINT_RATE_LIMIT, windowSeconds: env.COMPLAINT_RATE_WINDOW }),
    }),
  );
  api.use(
    createReceiptsRouter({
      receipts,
      limiter: createReceiptVerifyLimiter({ redis, prefix: env.QUEUE_PREFIX, limit: env.RECEIPT_VERIFY_RATE_LIMIT, windowSeconds: env.RECEIPT_VERIFY_RATE_WINDOW }),
    }),
  );
  api.use(createScoreTableRouter({ scoreTables: services.scoreTables }));
  api.use(createDashboardRouter({ dashboard: services.dashboard, auditLog: services.auditLog, authenticate }));
  api.use(createHomeRouter({ homes, authenticate }));
  api.use(createStudentRouter({ portal: studentPortal, applications, authenticate }));
  for (const router of createSchoolPortalRouters({ services, authenticate })) api.use(router);
  // The kindergarten registry (issue 18), before the setup routers: their /imports/:kind would take its import paths.
  api.use(createKindergartensRouter({ kindergartens: services.kindergartens, imports: services.kindergartenImports, authenticate }));
  for (const router of createBureauSetupRouters({ services, authenticate })) api.use(router);
  api.use(createRoundsRouter({ rounds, authenticate }));
  api.use(createJobsRouter({ jobs, authenticate }));
  api.use((_req, _res, next) => next(new AppError('NOT_FOUND')));
  app.use('/api', api);

  serveClient(app, path.resolve(env.CLIENT_DIST));

  app.use(errorHandler);
  return app;
}

/** With METRICS_TOKEN set, /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
function metricsGuard(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (!token) return next();
    const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('UNAUTHENTICATED');
    next();
  };
}

/**
 * The built client (vite's output): hashed assets cached for a year,
 * index.html for every other GET that is not /api (client-side routing).
 */
function serveClient(app: Express, clientDist: string): void {
  const indexHtml = path.join(clientDist, 'index.html');
  app.use(
    express.static(clientDist, {
      index: false,
      setHeaders: (res, file) => {
        const immutable = file.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.get('/{*splat}', (_req, res, next) => {
    if (!existsSync(indexHtml)) {
      res.status(503).type('text/plain; charset=utf-8').send('The web client is not built: run `npm run build:client`.\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml, (error) => error && next(error));
  });
  app.use((_req, res) => {
    res.status(404).type('text/plain; charset=utf-8').send('Not found\n');
  });
}
