import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { handlers } from './handlers';
import { checkHandlers, JOB_NAMES, prepareJob, QUEUE_NAMES } from './registry';

describe('checkHandlers', () => {
  it('accepts exactly one handler per job', () => {
    expect(checkHandlers(['a.x', 'b.y'], ['b.y', 'a.x'])).toEqual([]);
  });

  it('reports a job with no handler', () => {
    expect(checkHandlers(['a.x', 'b.y'], ['a.x'])).toEqual(['job "b.y" has no handler']);
  });

  it('reports a job with two handlers', () => {
    expect(checkHandlers(['a.x'], ['a.x', 'a.x'])).toEqual(['job "a.x" has 2 handlers']);
  });

  it('reports a handler for a job that is not registered', () => {
    expect(checkHandlers(['a.x'], ['a.x', 'c.z'])).toEqual(['handler for unknown job "c.z"']);
  });

  it('passes for the real registry and handlers', () => {
    expect(checkHandlers(JOB_NAMES, handlers.map((h) => h.job))).toEqual([]);
  });
});

describe('registry', () => {
  it('puts every job on a known queue', () => {
    expect(QUEUE_NAMES).toContain('system');
  });
});

describe('prepareJob', () => {
  it('validates and defaults the payload and wraps it with its origin', () => {
    const job = prepareJob('system.healthcheck', {}, { createdBy: 'u1', requestId: 'r1', jobId: 'check-2026' });
    expect(job.queue).toBe('system');
    expect(job.envelope).toEqual({ payload: { reason: 'manual' }, createdBy: 'u1', requestId: 'r1' });
    expect(job.options.jobId).toBe('check-2026');
  });

  it('refuses a bad payload', () => {
    expect(() => prepareJob('system.healthcheck', { reason: 'whim' } as never)).toThrow(ZodError);
  });

  it('refuses job ids BullMQ would refuse', () => {
    expect(() => prepareJob('system.healthcheck', {}, { jobId: '42' })).toThrow(ZodError);
    expect(() => prepareJob('system.healthcheck', {}, { jobId: 'round:1' })).toThrow(ZodError);
  });
});
