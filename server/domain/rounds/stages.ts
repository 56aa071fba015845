/**
 * A round's progress by stage (issue 16), in the round row's `progress` and
 * the job's progress. There is no stage column: the stage is the range the
 * number is in: queued 0–4, load 5–29, allocate 30–59, check 60–74,
 * store 75–99, done 100.
 */
export const ROUND_STAGES = { load: [5, 29], allocate: [30, 59], check: [60, 74], store: [75, 99] } as const;
export type RoundStage = keyof typeof ROUND_STAGES;
export type RoundStageView = 'queued' | RoundStage | 'done';

/** The stage a round is in, from its status and progress; what the rounds page names beside the bar. */
export function roundStageOf(status: string, progress: number): RoundStageView {
  if (status === 'queued') return 'queued';
  if (status !== 'running') return 'done';
  for (const [stage, [, last]] of Object.entries(ROUND_STAGES) as [RoundStage, readonly [number, number]][]) {
    if (progress <= last) return stage;
  }
  return 'store';
}
