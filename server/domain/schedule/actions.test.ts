import { describe, expect, it } from 'vitest';
import { ACTIONS, actionRefusalMessage, actionsAllowedIn, allowedPhases, allowedPhasesText, isActionAllowed, isPhaseAction, PHASE_ACTIONS } from './actions';
import { PHASES } from './schedule';

describe('the phase → allowed actions table', () => {
  it('gives every action at least one phase, in schedule order, and names in both languages', () => {
    for (const action of ACTIONS) {
      const phases = allowedPhases(action);
      expect(phases.length, action).toBeGreaterThan(0);
      expect(phases, action).toEqual(PHASES.filter((p) => phases.includes(p)));
      expect(PHASE_ACTIONS[action].names['zh-CN'], action).not.toBe('');
      expect(PHASE_ACTIONS[action].names.en, action).not.toBe('');
    }
  });

  it('keeps setup work in setup and each student save in its own window', () => {
    for (const action of ['imports.upload', 'plans.edit', 'junior-weights.edit', 'quotas.compute', 'plan-requests.request', 'plan-requests.decide'] as const) {
      expect(allowedPhases(action)).toEqual(['setup']);
    }
    expect(allowedPhases('applications.save-main')).toEqual(['applications_open']);
    expect(allowedPhases('applications.save-supplementary')).toEqual(['supplementary']);
    expect(allowedPhases('rounds.confirm')).toEqual(['confirmation']);
    expect(allowedPhases('registrations.register')).toEqual(['registration']);
  });

  it('runs rounds only after the application deadline, and publishes each in its own window', () => {
    expect(allowedPhases('rounds.start-main')).toEqual(['applications_closed', 'round1']);
    expect(allowedPhases('rounds.publish-main')).toEqual(['round1']);
    expect(allowedPhases('rounds.start-simulation')).toEqual(['applications_closed', 'round1', 'confirmation', 'supplementary']);
    expect(allowedPhases('rounds.start-supplementary')).toEqual(['supplementary']);
    expect(allowedPhases('rounds.publish-supplementary')).toEqual(['supplementary']);
  });

  it('allows nothing but reading once the year is closed', () => {
    expect(actionsAllowedIn('closed')).toEqual(['plans.read', 'quotas.read']);
    expect(isActionAllowed('schedule.end-current', 'closed')).toBe(false);
    expect(isActionAllowed('schedule.end-current', 'registration')).toBe(true);
  });

  it('lists, per phase, exactly the actions that allow it', () => {
    for (const phase of PHASES) {
      expect(actionsAllowedIn(phase)).toEqual(ACTIONS.filter((a) => allowedPhases(a).includes(phase)));
    }
  });

  it('recognises its own action names only', () => {
    expect(isPhaseAction('imports.upload')).toBe(true);
    expect(isPhaseAction('toString')).toBe(false);
    expect(isPhaseAction('')).toBe(false);
  });
});

describe('refusal messages', () => {
  it('name the phase now and the phase that allows the action', () => {
    expect(actionRefusalMessage('imports.upload', 'applications_open', 'zh-CN')).toBe('当前阶段（志愿填报）不能导入数据；导入数据只能在「准备阶段」进行');
    expect(actionRefusalMessage('imports.upload', 'applications_open', 'en')).toBe('Importing files is not allowed in the current phase (Applications open); it is allowed in: Setup');
  });

  it('list two phases, and write a long run as a range', () => {
    expect(allowedPhasesText('rounds.start-main', 'zh-CN')).toBe('「志愿截止」、「第一轮录取」');
    expect(allowedPhasesText('plans.read', 'zh-CN')).toBe('「招生计划公布」至「已结束」');
    expect(allowedPhasesText('plans.read', 'en')).toBe('Plans published to Closed');
  });
});
