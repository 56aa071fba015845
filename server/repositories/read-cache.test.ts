import { describe, expect, it } from 'vitest';
import { createReadCache } from './read-cache';

function fakeTime() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('createReadCache', () => {
  it('serves a value for ttl ms, then loads again', async () => {
    const time = fakeTime();
    const cache = createReadCache({ ttlMs: 1000, now: time.now });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('k', load)).toBe(1);
    time.advance(999);
    expect(await cache.get('k', load)).toBe(1);
    time.advance(1);
    expect(await cache.get('k', load)).toBe(2);
  });

  it('shares one load between concurrent misses', async () => {
    const cache = createReadCache({ ttlMs: 1000, now: fakeTime().now });
    const pending = deferred<string>();
    let loads = 0;
    const load = () => (loads++, pending.promise);
    const both = Promise.all([cache.get('k', load), cache.get('k', load)]);
    pending.resolve('v');
    expect(await both).toEqual(['v', 'v']);
    expect(loads).toBe(1);
  });

  it('does not keep a failed load', async () => {
    const cache = createReadCache({ ttlMs: 1000, now: fakeTime().now });
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 'up')).toBe('up');
  });

  it('clear() forgets everything, including a load that began before it', async () => {
    const cache = createReadCache({ ttlMs: 1000, now: fakeTime().now });
    expect(await cache.get('a', async () => 'old')).toBe('old');
    const slow = deferred<string>();
    const before = cache.get('b', () => slow.promise);
    cache.clear();
    expect(await cache.get('a', async () => 'new')).toBe('new');
    slow.resolve('stale');
    expect(await before).toBe('stale');
    await Promise.resolve();
    expect(await cache.get('b', async () => 'fresh')).toBe('fresh');
  });

  it('drops the oldest entry beyond maxEntries', async () => {
    const cache = createReadCache({ ttlMs: 1000, maxEntries: 2, now: fakeTime().now });
    await cache.get('a', async () => 1);
    await cache.get('b', async () => 2);
    await cache.get('c', async () => 3);
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 10)).toBe(10);
    expect(await cache.get('c', async () => 30)).toBe(3);
  });
});
