import { z } from 'zod';

/**
 * Configuration of the API and the worker, read from `process.env` once at
 * start (`loadEnv`). Every variable is documented here; README.md lists the
 * same table for operators.
 *
 * Development defaults exist so that `npm start` works without any setup; in
 * production the process refuses to start unless DATABASE_URL, REDIS_URL and a
 * strong JWT_SECRET are given explicitly.
 */

/** Secrets that appear in examples, defaults or docs: never acceptable in production. */
export const KNOWN_WEAK_SECRETS: readonly string[] = [
  'dev-only-insecure-jwt-secret-change-me',
  'change-me',
  'changeme',
  'secret',
  'jwt-secret',
  'your-secret',
  'test-secret',
  'please-change-this-secret-in-production',
];

export const DEV_DEFAULTS = {
  DATABASE_URL: 'postgresql://postgres:postgres@127.0.0.1:5432/zz_admissions',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'dev-only-insecure-jwt-secret-change-me',
} as const;

/** Parses a duration such as `8h`, `30m`, `45s`, `2d` or a number of seconds into seconds. */
export function parseDurationSeconds(text: string): number | null {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1]);
  const unit = match[2] || 's';
  const factor = { s: 1, m: 60, h: 3600, d: 86_400 }[unit as 's' | 'm' | 'h' | 'd'];
  return value * factor;
}

const port = z.coerce.number().int().min(0).max(65_535);

/** A duration variable (`8h`, `30m`, `45s`, `2d` or seconds), parsed to seconds and held within `min`..`max`. */
function duration(fallback: string, limits: { min: number; max?: number; message: string }) {
  return z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const seconds = parseDurationSeconds(v);
      if (seconds === null || seconds < limits.min || seconds > (limits.max ?? Infinity)) {
        ctx.addIssue({ code: 'custom', message: limits.message });
        return z.NEVER;
      }
      return seconds;
    });
}

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), 'must be a postgres:// or postgresql:// URL');

const redisUrl = z.string().refine((v) => /^rediss?:\/\/.+/.test(v), 'must be a redis:// or rediss:// URL');

export const envSchema = z.object({
  /** development | test | production. Production turns on the strict checks below. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** TCP port of the HTTP server (0 picks a free port, as the tests do). */
  PORT: port.default(3000),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL connection string. Required in production. */
  DATABASE_URL: postgresUrl.default(DEV_DEFAULTS.DATABASE_URL),
  /** Redis connection string (queues, rate limits). Required in production. */
  REDIS_URL: redisUrl.default(DEV_DEFAULTS.REDIS_URL),
  /** HMAC secret for access tokens (HS256). Production: at least 32 characters, not a known default. */
  JWT_SECRET: z.string().min(1).default(DEV_DEFAULTS.JWT_SECRET),
  /**
   * Lifetime of an access token: seconds, or a number followed by s, m, h or d. Parsed to seconds.
   * Short, because the client renews it with its refresh token (REFRESH_TTL) without asking the user.
   */
  JWT_TTL: duration('15m', { min: 60, max: 30 * 86_400, message: 'must be a duration between 60s and 30d, e.g. 8h, 30m or 3600' }),
  /**
   * Lifetime of a refresh token (POST /api/auth/refresh): each use gives a new
   * one for this long, so a session lasts while it is used at least this often.
   */
  REFRESH_TTL: duration('7d', { min: 300, max: 90 * 86_400, message: 'must be a duration between 5m and 90d, e.g. 7d or 12h' }),
  /**
   * Bureau accounts must use two-factor sign-in (TOTP): until they turn it on,
   * they reach only the auth routes. true or false; default true when
   * NODE_ENV=production, false otherwise (demo and tests).
   */
  BUREAU_TOTP_REQUIRED: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .optional(),
  /**
   * Key (32+ characters) that encrypts the stored TOTP secrets. Default: derived
   * from JWT_SECRET, so changing JWT_SECRET then means enrolling again.
   */
  TOTP_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * How long (ms) the API may serve the hot reads behind student requests
   * (account, student record, schedule, approved plans, quota seats) from
   * memory; a change made through another replica shows within this time.
   * 0 turns the cache off (the tests' default).
   */
  READ_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** API processes sharing the port (node:cluster; server/main.ts); 1 = no supervisor. */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** Connections each API process keeps to PostgreSQL. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder of the built web client (vite build output), served with an SPA fallback. */
  CLIENT_DIST: z.string().min(1).default('dist/client'),
  /**
   * Prefix of every Redis key the platform writes: BullMQ queues, login rate
   * limits, the worker heartbeat. Several deployments (or test runs) can share one Redis.
   */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('zz'),
  /** Maximum size of a JSON request body (bytes package syntax, e.g. 1mb). */
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'e.g. 100kb or 1mb')
    .default('1mb'),
  /**
   * Sign-in and password-change attempts allowed per client IP in
   * LOGIN_RATE_WINDOW. Generous because a whole school computer room often
   * shares one address; each account's own lockout (5 failures) applies separately.
   */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(200),
  /** Window of LOGIN_RATE_LIMIT: seconds, or a number followed by s, m, h or d. */
  LOGIN_RATE_WINDOW: duration('15m', { min: 1, message: 'must be a duration, e.g. 15m' }),
  /** Public complaint form (POST /api/complaints): reports allowed per client IP in COMPLAINT_RATE_WINDOW. */
  COMPLAINT_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  /** Window of COMPLAINT_RATE_LIMIT: seconds, or a number followed by s, m, h or d. */
  COMPLAINT_RATE_WINDOW: duration('1h', { min: 1, message: 'must be a duration, e.g. 1h' }),
  /**
   * Ed25519 private key that signs the receipt of every save (回执): the PEM text
   * (`-----BEGIN PRIVATE KEY-----...`, literal `\n` accepted for one-line env files)
   * or the path of a PEM file. Make one with `openssl genpkey -algorithm ed25519`.
   * Every API process must get the same key. Required when NODE_ENV=production
   * (the API refuses to start without it); otherwise, when unset, one is generated
   * once into .data/receipt-signing-key.pem (tests: .test-data/) and kept.
   * See server/infra/receipt-key.ts.
   */
  RECEIPT_SIGNING_KEY: z.string().min(1).optional(),
  /** Public receipt check (POST /api/receipts/verify): checks allowed per client IP in RECEIPT_VERIFY_RATE_WINDOW. */
  RECEIPT_VERIFY_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  /** Window of RECEIPT_VERIFY_RATE_LIMIT: seconds, or a number followed by s, m, h or d. */
  RECEIPT_VERIFY_RATE_WINDOW: duration('1m', { min: 1, message: 'must be a duration, e.g. 1m' }),
  /** Number of reverse proxies in front of the API (Express `trust proxy`); 0 when clients connect directly. */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Concurrency of each BullMQ worker. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * How long a worker's lock on a running job lasts (milliseconds; renewed at
   * half that while the job runs). A worker that dies (kill -9, lost machine)
   * leaves its job locked this long before another worker takes it over. Must
   * exceed the longest stretch a job blocks the event loop (the allocation itself).
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** How often (milliseconds) a worker looks for jobs whose worker died, to run them again. */
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /**
   * Four eyes: how many different city-bureau accounts must approve publishing
   * a round or a change of a plan's seat counts (1..5). Default 2 when
   * NODE_ENV=production, 1 otherwise (demo and tests).
   */
  PUBLISH_APPROVALS: z.coerce.number().int('must be a whole number from 1 to 5').min(1, 'must be a whole number from 1 to 5').max(5, 'must be a whole number from 1 to 5').optional(),
});

export type Env = Omit<z.infer<typeof envSchema>, 'BUREAU_TOTP_REQUIRED' | 'PUBLISH_APPROVALS'> & {
  /** Resolved: the NODE_ENV default applied. */
  BUREAU_TOTP_REQUIRED: boolean;
  /** Resolved: the NODE_ENV default applied (2 in production, else 1). */
  PUBLISH_APPROVALS: number;
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/**
 * Pure: validates raw environment variables and returns the typed config, or
 * throws EnvError listing every bad variable by name. Empty strings count as unset.
 */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = raw[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }

  const result = envSchema.safeParse(cleaned);
  const problems: string[] = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);

  const production = (cleaned.NODE_ENV ?? 'development') === 'production';
  if (production) {
    if (!cleaned.DATABASE_URL) problems.push('DATABASE_URL: must be set explicitly when NODE_ENV=production');
    if (!cleaned.REDIS_URL) problems.push('REDIS_URL: must be set explicitly when NODE_ENV=production');
    const secret = cleaned.JWT_SECRET;
    if (!secret) problems.push('JWT_SECRET: must be set explicitly when NODE_ENV=production');
    else if (secret.length < 32) problems.push('JWT_SECRET: must be at least 32 characters when NODE_ENV=production');
    else if (KNOWN_WEAK_SECRETS.includes(secret.toLowerCase()) || new Set(secret).size < 8)
      problems.push('JWT_SECRET: is a known default or too repetitive; generate one with `openssl rand -base64 48`');
  }

  if (problems.length > 0 || !result.success) throw new EnvError(problems);
  return {
    ...result.data,
    BUREAU_TOTP_REQUIRED: result.data.BUREAU_TOTP_REQUIRED ?? result.data.NODE_ENV === 'production',
    PUBLISH_APPROVALS: result.data.PUBLISH_APPROVALS ?? (result.data.NODE_ENV === 'production' ? 2 : 1),
  };
}

let loaded: Env | undefined;

/**
 * Shell: parses `process.env` once; on a bad variable prints which one and why
 * and exits the process with status 1.
 */
export function loadEnv(raw: Record<string, string | undefined> = process.env): Env {
  if (loaded) return loaded;
  try {
    loaded = parseEnv(raw);
    return loaded;
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
