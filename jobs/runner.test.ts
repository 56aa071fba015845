import { Redis } from 'ioredis';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../server/clock';
import type { UnitOfWork } from '../server/repositories';
import { defineHandler } from './handler';
import { handlers } from './handlers';
import { HandlerSetupError, startWorkers } from './runner';

describe('startWorkers', () => {
  // Never connects: the check runs before any worker is created.
  const deps = {
    connection: new Redis({ lazyConnect: true, maxRetriesPerRequest: null }),
    prefix: 'unit',
    uow: {} as UnitOfWork,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
  };

  it('refuses to start when a registered job has no handler', () => {
    expect(() => startWorkers({ ...deps, handlers: [] })).toThrow(HandlerSetupError);
    expect(() => startWorkers({ ...deps, handlers: [] })).toThrow(/system\.healthcheck" has no handler/);
  });

  it('refuses to start when a job has two handlers', () => {
    const twice = [...handlers, defineHandler('system.healthcheck', async () => null)];
    expect(() => startWorkers({ ...deps, handlers: twice })).toThrow(/has 2 handlers/);
  });
});
