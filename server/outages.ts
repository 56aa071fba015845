/**
 * Pure: recognises the errors that mean PostgreSQL or Redis is out of reach
 * (stopped, restarting, network gone) rather than a bug, so the API answers
 * 503 with a message saying so instead of a 500 (server/errors.ts `mapError`).
 *
 * The shapes were taken from what Prisma 7 with @prisma/adapter-pg, node-postgres
 * and ioredis actually throw when the servers are stopped under a running API
 * (test/faults/): nothing here imports those libraries.
 */

export type Outage = 'database' | 'queue';

/** Prisma error codes of a database out of reach (connection refused, timed out or closed, pool exhausted). */
const PRISMA_CONNECTION_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/** Driver adapter error kinds (`DriverAdapterError.cause.kind`) of a connection that failed. */
const ADAPTER_CONNECTION_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/**
 * PostgreSQL SQLSTATEs of a server going away or not accepting connections:
 * class 08 (connection exception), 57P01-57P03 (shut down by an administrator,
 * crashed, starting up or shutting down) and 53300 (too many connections).
 */
function isConnectionSqlState(code: unknown): boolean {
  return typeof code === 'string' && (/^08/.test(code) || /^57P0[1-3]$/.test(code) || code === '53300');
}

/** node-postgres messages of a connection that was cut or never made. */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
];

/** ioredis (and BullMQ on top of it) when Redis is out of reach. */
const REDIS_CONNECTION_MESSAGES = ['Connection is closed.', "Stream isn't writeable and enableOfflineQueue options is false"];

type Inspectable = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  severity?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  meta?: unknown;
  cause?: unknown;
  driverAdapterError?: unknown;
};

function asObject(value: unknown): Inspectable | null {
  return typeof value === 'object' && value !== null ? (value as Inspectable) : null;
}

/** Which service an error says is out of reach, or null for any other error. */
export function serviceOutage(error: unknown): Outage | null {
  const seen = new Set<unknown>();
  // Walk the error, its cause chain and Prisma's driver adapter error.
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = asObject(queue.shift());
    if (!current || seen.has(current)) continue;
    seen.add(current);
    const name = typeof current.name === 'string' ? current.name : '';
    const message = typeof current.message === 'string' ? current.message : '';

    if (name.startsWith('PrismaClient') && typeof current.code === 'string' && PRISMA_CONNECTION_CODES.has(current.code)) return 'database';
    if (typeof current.kind === 'string') {
      if (ADAPTER_CONNECTION_KINDS.has(current.kind)) return 'database';
      if (current.kind === 'postgres' && (isConnectionSqlState(current.code) || isConnectionSqlState(current.originalCode))) return 'database';
    }
    // A PostgreSQL error as node-postgres reports it.
    if (typeof current.severity === 'string' && isConnectionSqlState(current.code)) return 'database';
    if (PG_CONNECTION_MESSAGES.some((m) => message.startsWith(m))) return 'database';
    if (name === 'MaxRetriesPerRequestError' || REDIS_CONNECTION_MESSAGES.some((m) => message.startsWith(m))) return 'queue';

    queue.push(current.cause, asObject(current.meta)?.driverAdapterError);
  }
  return null;
}

/**
 * An error of a query sent on the node-postgres pool itself (not through
 * Prisma): a Node socket error there (ECONNREFUSED, ECONNRESET… with a
 * `syscall`) can only mean PostgreSQL is out of reach, so it is marked as
 * the driver adapter marks it, and answered 503 like any other outage.
 */
export function fromPgPool(error: unknown): unknown {
  const e = asObject(error);
  if (e && typeof e.code === 'string' && typeof (e as { syscall?: unknown }).syscall === 'string' && e.severity === undefined) {
    return Object.assign(new Error('PostgreSQL is out of reach', { cause: error }), { kind: 'DatabaseNotReachable' });
  }
  return error;
}
