import type { Repositories } from './index';

/**
 * A small in-process cache for the reads behind every student request on
 * deadline night: the caller's account, the student record, the current
 * cycle and its schedule, the published plans and the quota seats. Without
 * it a save costs eleven round trips to PostgreSQL; with it, one (the save).
 *
 * - Entries live `ttlMs` (wall time, not the app's clock): another API
 *   replica's change is seen within that time.
 * - Concurrent misses for one key share one query (no stampede at expiry).
 * - Every committed `uow.transaction` of this process clears it (see
 *   repositories/index.ts), so this process reads its own writes: a logout,
 *   a password change, a schedule edit, an approved plan.
 * - A failed load is not kept.
 * - At `maxEntries` the oldest entry goes first.
 */
export interface ReadCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
  readonly size: number;
}

export function createReadCache(options: { ttlMs: number; maxEntries?: number; now?: () => number }): ReadCache {
  const { ttlMs } = options;
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, { expiresAt: number; value: Promise<unknown> }>();

  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      const at = now();
      if (hit && hit.expiresAt > at) return hit.value as Promise<T>;
      if (hit) entries.delete(key);
      const value = load();
      entries.set(key, { expiresAt: at + ttlMs, value });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    clear() {
      // A load still running stays with its callers only: its entry goes too.
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * The repositories with the hot reads served through `cache`. Only reads that
 * may be up to the cache's TTL old are listed, each for the reason given;
 * everything else (and everything inside a transaction) goes to the database.
 */
export function withCachedReads(repos: Repositories, cache: ReadCache): Repositories {
  const { users, cycles, applications, rounds, ranking } = repos;
  return {
    ...repos,
    users: {
      ...users,
      // Token checks on every request. Logout, password change, TOTP changes and a refresh token family's
      // revocation commit a transaction, which clears the cache; sign-in and TOTP checks read with findById, never cached.
      findForSession: (id, sessionId) => cache.get(`user:${id}:${sessionId ?? ''}`, () => users.findForSession(id, sessionId)),
    },
    cycles: {
      ...cycles,
      // The schedule: the phase is still computed from the server's clock at each request.
      findCurrent: () => cache.get('cycle:current', () => cycles.findCurrent()),
      findById: (id) => cache.get(`cycle:${id}`, () => cycles.findById(id)),
    },
    applications: {
      ...applications,
      // Student records change only by the bureau's imports, before applications open.
      findStudent: (scope, studentId) => cache.get(`student:${JSON.stringify(scope)}:${studentId}`, () => applications.findStudent(scope, studentId)),
      // Public, approved plans and quota seats: fixed while applications are open.
      listPublishedPlans: (cycleId) => cache.get(`plans:${cycleId}`, () => applications.listPublishedPlans(cycleId)),
      quotasForJunior: (cycleId, juniorSchoolId) =>
        cache.get(`quotas:${cycleId}:${juniorSchoolId}`, () => applications.quotasForJunior(cycleId, juniorSchoolId)),
    },
    rounds: {
      ...rounds,
      // 补录: the seats left after round 1 (placements, confirmations, plans), behind every supplementary
      // save and page; fixed during that phase, and only a TTL old while confirmations come in.
      findPublished: (cycleId, kind) => cache.get(`round:published:${cycleId}:${kind}`, () => rounds.findPublished(cycleId, kind)),
      plans: (cycleId) => cache.get(`round:plans:${cycleId}`, () => rounds.plans(cycleId)),
      placedStudents: (roundId) => cache.get(`round:placed:${roundId}`, () => rounds.placedStudents(roundId)),
      answers: (roundId) => cache.get(`round:answers:${roundId}`, () => rounds.answers(roundId)),
    },
    ranking: {
      ...ranking,
      // 位次 and the public 一分一段表: scores change only by the bureau's imports; one grouped count
      // per cycle and TTL instead of one per request. The previous year's round is a finished record.
      scoreCounts: (cycleId) => cache.get(`ranking:counts:${cycleId}`, () => ranking.scoreCounts(cycleId)),
      cycleRegions: (cycleId) => cache.get(`ranking:regions:${cycleId}`, () => ranking.cycleRegions(cycleId)),
      previousMainRound: (cycleId) => cache.get(`ranking:previous:${cycleId}`, () => ranking.previousMainRound(cycleId)),
    },
  };
}
