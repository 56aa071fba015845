import { describe, expect, it } from 'vitest';
import { AppError, errorMessage } from '../../../server/errors';
import { refuseUnlessAllowed } from '../../../server/services/cycle.service';
import { ACTIONS, PHASES, actionOffered, actionOpensIn, phaseName } from './phase-actions';

/** Whether the server lets `action` through in `phase` (its refusal is PHASE_CLOSED). */
function serverAllows(action: (typeof ACTIONS)[number], phase: (typeof PHASES)[number]): boolean {
  try {
    refuseUnlessAllowed(action, phase);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('PHASE_CLOSED');
    return false;
  }
}

describe('the client offers exactly what the server allows', () => {
  it('agrees with the server for every action in every phase', () => {
    const disagreements: string[] = [];
    for (const action of ACTIONS) {
      for (const phase of PHASES) {
        if (actionOffered(action, phase) !== serverAllows(action, phase)) disagreements.push(`${action} in ${phase}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('offers nothing for an unknown or missing phase', () => {
    expect(actionOffered('imports.upload', undefined)).toBe(false);
    expect(actionOffered('imports.upload', 'bogus')).toBe(false);
  });

  it('a refused action names, in both languages, the phase the page says it opens in', () => {
    for (const action of ACTIONS) {
      for (const phase of PHASES.filter((p) => !actionOffered(action, p))) {
        try {
          refuseUnlessAllowed(action, phase);
        } catch (error) {
          const { params } = error as AppError;
          const zh = errorMessage('PHASE_CLOSED', 'zh-CN', params);
          const en = errorMessage('PHASE_CLOSED', 'en', params);
          expect(zh).toContain(actionOpensIn(action, 'zh-CN'));
          expect(zh).toContain(`当前阶段（${phaseName(phase, 'zh-CN')}）`);
          expect(en).toContain(`(${phaseName(phase, 'en')})`);
        }
      }
    }
  });
});

describe('phaseName', () => {
  it('names a phase for people, never the raw key', () => {
    expect(phaseName('applications_open', 'zh-CN')).toBe('志愿填报');
    expect(phaseName('applications_open', 'en')).toBe('Applications open');
    expect(phaseName('nonsense', 'zh-CN')).toBe('');
  });
});
