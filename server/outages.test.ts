import { describe, expect, it } from 'vitest';
import { mapError } from './errors';
import { fromPgPool, serviceOutage } from './outages';

/** Shaped like what Prisma 7 + @prisma/adapter-pg throw (seen in test/faults/ against a stopped PostgreSQL). */
function prismaError(code: string, message: string, driverAdapterCause?: object) {
  const error = new Error(message) as Error & { code: string; meta?: object; clientVersion: string };
  error.name = 'PrismaClientKnownRequestError';
  error.code = code;
  error.clientVersion = '7';
  if (driverAdapterCause) {
    const adapterError = Object.assign(new Error(String((driverAdapterCause as { kind?: string }).kind)), { name: 'DriverAdapterError', cause: driverAdapterCause });
    error.meta = { driverAdapterError: adapterError };
  }
  return error;
}

describe('serviceOutage', () => {
  it('recognises PostgreSQL out of reach, however Prisma and node-postgres report it', () => {
    expect(serviceOutage(prismaError('P1001', "Can't reach database server at 127.0.0.1:5432", { kind: 'DatabaseNotReachable' }))).toBe('database');
    expect(serviceOutage(prismaError('P2024', 'Timed out fetching a new connection from the connection pool'))).toBe('database');
    // A raw query cut off by a fast shutdown: P2010 with the SQLSTATE in the adapter error.
    const shutdown = prismaError('P2010', 'Raw query failed. Code: `57P01`', { kind: 'postgres', code: '57P01', severity: 'FATAL', message: 'terminating connection due to administrator command' });
    expect(serviceOutage(shutdown)).toBe('database');
    expect(serviceOutage(prismaError('P2010', 'Raw query failed', { kind: 'DatabaseNotReachable' }))).toBe('database');
    expect(serviceOutage(new Error('Client has encountered a connection error and is not queryable'))).toBe('database');
    expect(serviceOutage(new Error('Connection terminated unexpectedly'))).toBe('database');
    expect(serviceOutage(Object.assign(new Error('the database system is starting up'), { code: '57P03', severity: 'FATAL' }))).toBe('database');
    expect(serviceOutage(new Error('wrapped', { cause: new Error('Connection terminated unexpectedly') }))).toBe('database');
  });

  it('recognises Redis out of reach as ioredis reports it', () => {
    expect(serviceOutage(Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }))).toBe('queue');
    expect(serviceOutage(new Error('Connection is closed.'))).toBe('queue');
  });

  it('leaves every other error alone', () => {
    expect(serviceOutage(new Error('boom'))).toBeNull();
    expect(serviceOutage(prismaError('P2002', 'Unique constraint failed', { kind: 'UniqueConstraintViolation' }))).toBeNull();
    expect(serviceOutage(prismaError('P2010', 'Raw query failed', { kind: 'postgres', code: '22P02', severity: 'ERROR' }))).toBeNull();
    expect(serviceOutage(Object.assign(new Error('syntax error'), { code: '42601', severity: 'ERROR' }))).toBeNull();
    expect(serviceOutage(null)).toBeNull();
    expect(serviceOutage('text')).toBeNull();
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(serviceOutage(loop)).toBeNull();
  });

  it('makes mapError answer 503 with the service named, in both languages', () => {
    const db = mapError(prismaError('P1001', "Can't reach database server", { kind: 'DatabaseNotReachable' }), 'zh-CN');
    expect(db).toEqual({ status: 503, unexpected: true, body: { error: { code: 'DATABASE_UNAVAILABLE', message: '数据库暂不可用，请稍后重试' } } });
    const queue = mapError(Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' }), 'en');
    expect(queue.status).toBe(503);
    expect(queue.body.error).toEqual({ code: 'QUEUE_UNAVAILABLE', message: 'The job queue is unavailable at the moment, please try again shortly' });
  });
});

describe('fromPgPool', () => {
  it('marks a socket error of the node-postgres pool as the database out of reach, and leaves other errors alone', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect', errno: -111 });
    expect(serviceOutage(refused)).toBeNull();
    expect(serviceOutage(fromPgPool(refused))).toBe('database');
    const uniqueViolation = Object.assign(new Error('duplicate key'), { code: '23505', severity: 'ERROR' });
    expect(fromPgPool(uniqueViolation)).toBe(uniqueViolation);
    const bug = new TypeError('x is not a function');
    expect(fromPgPool(bug)).toBe(bug);
  });
});
