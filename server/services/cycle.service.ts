import type { Clock } from '../clock';
import { allowedPhases, isActionAllowed, type PhaseAction } from '../domain/schedule/actions';
import { phaseAt, type Phase, type PhaseWindow } from '../domain/schedule/schedule';
import { AppError } from '../errors';
import type { UnitOfWork } from '../repositories';
import { committedSeed } from './seed.service';

export interface CurrentCycle {
  id: string;
  year: number;
  name: string;
  /** The lottery seed: secret until round 1 is published (never put it in a response before). */
  seed: string;
  /** hex sha256(seed), published from applications_open on (seed.service.ts); null or absent before. */
  seedCommitment?: string | null;
  policy: unknown;
  windows: PhaseWindow[];
  /** The phase open now, by the server's clock. */
  phase: Phase;
  serverTime: Date;
}

/**
 * PHASE_CLOSED (409) for `action` while `phase` is open, unless the table of
 * server/domain/schedule/actions.ts allows it; the message names the phase(s)
 * that allow it, `details: { phase, action, allowedIn }`.
 */
export function refuseUnlessAllowed(action: PhaseAction, phase: Phase): void {
  if (isActionAllowed(action, phase)) return;
  throw new AppError('PHASE_CLOSED', { params: { phase, action }, details: { phase, action, allowedIn: allowedPhases(action) } });
}

/**
 * The current cycle and the phase the server's clock puts it in. Every action
 * that belongs to a phase calls `requireAction` first: the server, not the
 * browser, decides what is open, by the one table the client also reads.
 */
export function createCycleService(deps: { uow: UnitOfWork<'approvals' | 'audit' | 'cycles'>; clock: Clock }) {
  const cycles = deps.uow.repos.cycles;

  async function current(): Promise<CurrentCycle> {
    const cycle = await cycles.findCurrent();
    if (!cycle) throw new AppError('NO_ACTIVE_CYCLE');
    const now = deps.clock.now();
    const windows = cycle.phases.map((p) => ({ phase: p.phase as Phase, opensAt: p.opensAt, closesAt: p.closesAt }));
    const phase = phaseAt(windows, now);
    // From applications_open on, the seed's commitment is stored before anything of the phase happens.
    const seedCommitment = await committedSeed(deps, cycle, phase);
    return { id: cycle.id, year: cycle.year, name: cycle.name, seed: cycle.seed, seedCommitment, policy: cycle.policy, windows, phase, serverTime: now };
  }

  return {
    current,

    /**
     * The year a read route shows: `cycleId` (a past year, archived ones as
     * closed) or, without it, the current cycle. An unknown id is NOT_FOUND.
     */
    async forRead(cycleId?: string): Promise<CurrentCycle> {
      if (!cycleId) return current();
      const cycle = await cycles.findById(cycleId);
      if (!cycle) throw new AppError('NOT_FOUND', { field: 'cycleId' });
      const now = deps.clock.now();
      const windows = cycle.phases.map((p) => ({ phase: p.phase as Phase, opensAt: p.opensAt, closesAt: p.closesAt }));
      const phase: Phase = cycle.status === 'archived' ? 'closed' : phaseAt(windows, now);
      const seedCommitment = await committedSeed(deps, cycle, phase);
      return { id: cycle.id, year: cycle.year, name: cycle.name, seed: cycle.seed, seedCommitment, policy: cycle.policy, windows, phase, serverTime: now };
    },

    /** The current cycle, if the phase open now allows `action`; else PHASE_CLOSED naming the phase(s) that allow it. */
    async requireAction(action: PhaseAction): Promise<CurrentCycle> {
      const cycle = await current();
      refuseUnlessAllowed(action, cycle.phase);
      return cycle;
    },
  };
}

export type CycleService = ReturnType<typeof createCycleService>;
