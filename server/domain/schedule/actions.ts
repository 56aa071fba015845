/**
 * Which action the year's schedule allows in which phase: the one table the
 * server refuses by (`cycles.requireAction`) and the client shows or hides
 * its buttons by (client/src/lib/phase-actions.ts imports this module; there
 * is no copy of the table in the client). Pure: no clock, no I/O.
 *
 * Adding an action: add it here with its phases and its names; the server
 * call site names it, the page asks `isActionAllowed` before offering it.
 */
import { PHASE_NAMES, PHASES, type Phase } from './schedule';

/** From plans_published on: what is public once the plans are (招生计划公布). */
const PUBLISHED: readonly Phase[] = ['plans_published', 'applications_open', 'applications_closed', 'round1', 'confirmation', 'supplementary', 'registration', 'closed'];
/** Every phase but the last: a schedule can change (or be cut short) until the year is over. */
const NOT_CLOSED: readonly Phase[] = PHASES.filter((p) => p !== 'closed');

interface ActionSpec {
  /** The phases the action is allowed in, in schedule order. */
  phases: readonly Phase[];
  /** What the action is, as a verb phrase: zh-CN (after 不能) and en (a gerund, "importing files"). */
  names: { 'zh-CN': string; en: string };
}

export const PHASE_ACTIONS = {
  /** The bureau imports regions, schools and students (.xlsx/.csv). */
  'imports.upload': { phases: ['setup'], names: { 'zh-CN': '导入数据', en: 'importing files' } },
  /** The bureau sets a high school's plan (招生计划). */
  'plans.edit': { phases: ['setup'], names: { 'zh-CN': '修改招生计划', en: 'editing plans' } },
  /** Anyone reads the plans of the current year once they are published. */
  'plans.read': { phases: PUBLISHED, names: { 'zh-CN': '查看招生计划', en: 'reading the plans' } },
  /** The bureau weights a junior school in the quota split (向农村初中倾斜). */
  'junior-weights.edit': { phases: ['setup'], names: { 'zh-CN': '修改初中分配权重', en: 'editing junior-school weights' } },
  /** The bureau computes the quota seats (指标生名额). */
  'quotas.compute': { phases: ['setup'], names: { 'zh-CN': '计算指标生名额', en: 'computing quotas' } },
  /** Anyone reads the quota table of the current year once it is published. */
  'quotas.read': { phases: PUBLISHED, names: { 'zh-CN': '查看指标生名额', en: 'reading the quotas' } },
  /** A high school asks for a change of its plan. */
  'plan-requests.request': { phases: ['setup'], names: { 'zh-CN': '申请修改招生计划', en: 'requesting a plan change' } },
  /** The bureau approves or rejects a plan-change request. */
  'plan-requests.decide': { phases: ['setup'], names: { 'zh-CN': '审批计划修改申请', en: 'deciding plan-change requests' } },
  /** A student saves the main choices (志愿填报). */
  'applications.save-main': { phases: ['applications_open'], names: { 'zh-CN': '保存志愿', en: 'saving choices' } },
  /** The bureau runs a simulation (模拟录取): from the deadline until the supplementary round. */
  'rounds.start-simulation': { phases: ['applications_closed', 'round1', 'confirmation', 'supplementary'], names: { 'zh-CN': '运行模拟录取', en: 'running a simulation' } },
  /** The bureau runs the main round (第一轮录取). */
  'rounds.start-main': { phases: ['applications_closed', 'round1'], names: { 'zh-CN': '运行第一轮录取', en: 'running the main round' } },
  /** The bureau publishes the main round. */
  'rounds.publish-main': { phases: ['round1'], names: { 'zh-CN': '发布第一轮录取', en: 'publishing the main round' } },
  /** A student confirms or declines the seat offered (录取确认). */
  'rounds.confirm': { phases: ['confirmation'], names: { 'zh-CN': '确认或放弃录取', en: 'confirming or declining a seat' } },
  /** A student saves the supplementary choices (补录志愿). */
  'applications.save-supplementary': { phases: ['supplementary'], names: { 'zh-CN': '保存补录志愿', en: 'saving supplementary choices' } },
  /** The bureau runs the supplementary round (补录). */
  'rounds.start-supplementary': { phases: ['supplementary'], names: { 'zh-CN': '运行补录', en: 'running the supplementary round' } },
  /** The bureau publishes the supplementary round. */
  'rounds.publish-supplementary': { phases: ['supplementary'], names: { 'zh-CN': '发布补录结果', en: 'publishing the supplementary round' } },
  /** A high school registers its admitted students' enrolment (报到注册). */
  'registrations.register': { phases: ['registration'], names: { 'zh-CN': '登记报到', en: 'registering enrolment' } },
  /** The bureau edits the windows still ahead. */
  'schedule.edit': { phases: NOT_CLOSED, names: { 'zh-CN': '修改日程', en: 'editing the schedule' } },
  /** The bureau ends the open window now and opens the next one. */
  'schedule.end-current': { phases: NOT_CLOSED, names: { 'zh-CN': '提前结束当前阶段', en: 'ending the current phase' } },
} as const satisfies Record<string, ActionSpec>;

export type PhaseAction = keyof typeof PHASE_ACTIONS;
export const ACTIONS = Object.keys(PHASE_ACTIONS) as PhaseAction[];

/** Whether `action` is allowed while `phase` is open. */
export function isActionAllowed(action: PhaseAction, phase: Phase): boolean {
  return (PHASE_ACTIONS[action].phases as readonly Phase[]).includes(phase);
}

/** The phases `action` is allowed in, in schedule order. */
export function allowedPhases(action: PhaseAction): Phase[] {
  return [...PHASE_ACTIONS[action].phases];
}

/** Every action allowed while `phase` is open (GET /api/cycles/current `actions`). */
export function actionsAllowedIn(phase: Phase): PhaseAction[] {
  return ACTIONS.filter((a) => isActionAllowed(a, phase));
}

/** Whether a string names an action of the table (the client gets strings back from JSON). */
export function isPhaseAction(name: string): name is PhaseAction {
  return Object.hasOwn(PHASE_ACTIONS, name);
}

type Lang = 'zh-CN' | 'en';

/**
 * The phases an action is allowed in, in words: 「准备阶段」, or a run of three
 * or more consecutive phases as 「招生计划公布」至「已结束」.
 */
export function allowedPhasesText(action: PhaseAction, lang: Lang): string {
  const phases = allowedPhases(action);
  const name = (p: Phase) => (lang === 'en' ? PHASE_NAMES[p].en : `「${PHASE_NAMES[p]['zh-CN']}」`);
  const first = PHASES.indexOf(phases[0]);
  const consecutive = phases.every((p, i) => PHASES.indexOf(p) === first + i);
  if (phases.length >= 3 && consecutive) return lang === 'en' ? `${name(phases[0])} to ${name(phases[phases.length - 1])}` : `${name(phases[0])}至${name(phases[phases.length - 1])}`;
  return phases.map(name).join(lang === 'en' ? ', ' : '、');
}

/**
 * The refusal of `action` while `phase` is open, naming where it is allowed:
 * "当前阶段（志愿填报）不能导入数据；导入数据只能在「准备阶段」进行".
 */
export function actionRefusalMessage(action: PhaseAction, phase: Phase, lang: Lang): string {
  const { names } = PHASE_ACTIONS[action];
  if (lang === 'en') {
    const what = names.en.charAt(0).toUpperCase() + names.en.slice(1);
    return `${what} is not allowed in the current phase (${PHASE_NAMES[phase].en}); it is allowed in: ${allowedPhasesText(action, 'en')}`;
  }
  return `当前阶段（${PHASE_NAMES[phase]['zh-CN']}）不能${names['zh-CN']}；${names['zh-CN']}只能在${allowedPhasesText(action, 'zh-CN')}进行`;
}

/** Where a page says in words when an action opens: "导入数据只能在「准备阶段」进行". */
export function actionOpensText(action: PhaseAction, lang: Lang): string {
  const { names } = PHASE_ACTIONS[action];
  if (lang === 'en') {
    const what = names.en.charAt(0).toUpperCase() + names.en.slice(1);
    return `${what} is possible in: ${allowedPhasesText(action, 'en')}`;
  }
  return `${names['zh-CN']}只能在${allowedPhasesText(action, 'zh-CN')}进行`;
}
