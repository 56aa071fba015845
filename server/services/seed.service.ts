/**
 * The committed lottery seed (server/domain/rounds/seed.ts): stored as
 * sha256(seed) when applications open, published from then on, the seed
 * itself fixed; the bureau may set its own seed only before.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { isSeedCommittedIn, seedCommitmentOf } from '../domain/rounds/seed';
import { phaseAt, type Phase } from '../domain/schedule/schedule';
import { AppError } from '../errors';
import { authorize, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';

/** A fresh secret seed: 256 random bits (crypto), with the year for people reading a bundle. */
export function newLotterySeed(year: number): string {
  return `zz-${year}-${randomBytes(32).toString('hex')}`;
}

interface CycleForSeed {
  id: string;
  seed: string;
  status?: string;
  seedCommitment?: string | null;
}

/**
 * The cycle's published commitment in `phase`: null before applications
 * open. The first call from applications_open on stores it (once, in a
 * transaction with its audit entry `cycle.seed.commit`); every action of a
 * phase reads the cycle through here first (cycle.service.ts), so it is
 * stored before the first choice is saved. The seed cannot change once the
 * phase is applications_open by the server's clock, so the commitment is
 * the seed as it stood at the opening. An archived year is never committed
 * after the fact.
 */
export async function committedSeed(deps: { uow: UnitOfWork<'approvals' | 'audit' | 'cycles'>; clock: Clock }, cycle: CycleForSeed, phase: Phase): Promise<string | null> {
  if (!isSeedCommittedIn(phase)) return null;
  if (cycle.seedCommitment) return cycle.seedCommitment;
  if (cycle.status === 'archived') return null;
  const commitment = seedCommitmentOf(cycle.seed);
  const at = deps.clock.now();
  return deps.uow.transaction(async (repos) => {
    if (await repos.approvals.commitSeed(cycle.id, commitment, at)) {
      await repos.audit.record({ actor: null, action: 'cycle.seed.commit', entity: 'Cycle', entityId: cycle.id, after: { seedCommitment: commitment, phase }, at });
      return commitment;
    }
    // Another request stored it first: the stored one counts.
    return (await repos.approvals.seedOf(cycle.id))?.seedCommitment ?? commitment;
  });
}

/** PUT /api/cycles/:id/seed: the city bureau sets its own seed, only before applications open. */
export function createSeedService(deps: { uow: UnitOfWork<'approvals' | 'audit' | 'cycles'>; clock: Clock }) {
  const { uow, clock } = deps;
  return {
    async setSeed(actor: Actor, cycleId: string, seed: string, ctx: { requestId?: string }) {
      authorize(actor, 'cycle.seed.set');
      return uow.transaction(async (repos) => {
        const cycle = await repos.cycles.findById(cycleId);
        if (!cycle) throw new AppError('NOT_FOUND');
        const now = clock.now();
        const phase = cycle.status === 'archived' ? 'closed' : phaseAt(cycle.phases.map((p) => ({ phase: p.phase as Phase, opensAt: p.opensAt, closesAt: p.closesAt })), now);
        if (isSeedCommittedIn(phase) || cycle.seedCommitment) throw new AppError('SEED_COMMITTED', { field: 'seed' });
        if (!(await repos.approvals.setSeed(cycleId, seed))) throw new AppError('SEED_COMMITTED', { field: 'seed' });
        // The seed is secret: the log says that it changed, never what it is.
        await repos.audit.record({ actor, action: 'cycle.seed.set', entity: 'Cycle', entityId: cycleId, after: { seedSet: true }, requestId: ctx.requestId, at: now });
        return { cycleId, seedSet: true as const, seedCommitment: null };
      });
    },
  };
}

export type SeedService = ReturnType<typeof createSeedService>;
