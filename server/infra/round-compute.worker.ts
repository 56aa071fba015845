/**
 * The thread of round-compute.ts: the applicants' COPY rows in; out, as UTF-8
 * pieces moved to the caller: the input's canonical text, then the result's
 * canonical text and the assignment rows (COPY text) written in one pass, then
 * the independent check's verdict (see FromThread there).
 */
import { parentPort } from 'node:worker_threads';
import { matchCompiled } from '../domain/allocation/engine';
import { checkResultArrays } from '../domain/allocation/invariants';
import type { CompiledInstance } from '../domain/allocation/compile';
import { NO_SCHOOL } from '../domain/allocation/matching';
import { serializeResult, summarizeSchools } from '../domain/allocation/result';
import { ALLOCATION_RESULT_FORMAT, InstanceError, type AllocationResult } from '../domain/allocation/types';
import { canonicalJson } from '../domain/rounds/canonical';
import type { PlanRow, QuotaRow } from '../domain/rounds/round-input';
import { createStreamedInstance, type FinishedInstance, type StreamedInstance } from '../domain/rounds/streamed-instance';
import { applicantReader, assignmentCopyLine, copyEscape, copyField, placedCopyFields } from '../repositories/round-copy';
import type { FromThread, RoundSetup, ToThread } from './round-compute';
import { stopwatch } from './stopwatch';

if (!parentPort) throw new Error('round-compute.worker.ts runs only as a worker thread');
const port = parentPort;
const post = (message: FromThread, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

/** About how much text goes in one piece (characters, or bytes of the input's). */
const CHUNK = 1 << 20;
const SEAT_NAMES = ['open', 'quota', 'reverted'] as const;

/** One round's computation: applicants' bytes in, then `end` computes and sends everything out through `emit`. */
function startRun(setup: RoundSetup, emit: (message: FromThread, transfer?: ArrayBuffer[]) => void) {
  const { timings, lap } = stopwatch();
  const builder = createStreamedInstance({ seed: setup.seed, policy: setup.policy, plans: setup.plans, quotas: setup.quotas, capacityOverride: setup.capacityOverride });
  const excluded = setup.excluded && setup.excluded.length > 0 ? new Set(setup.excluded) : undefined;
  const lines = applicantReader((row) => {
    if (!excluded?.has(row.studentId!)) builder.add(row);
  });
  return {
    bytes(bytes: Uint8Array): void {
      lines.push(bytes);
    },
    async end(): Promise<void> {
      lines.end();
      lap('readApplicants');
      await compute({ setup, builder, emit, lap, timings });
    },
  };
}

let run: ReturnType<typeof startRun> | undefined;
port.on('message', (message: ToThread) => {
  try {
    if (message.kind === 'setup') run = startRun(message.setup, post);
    else if (message.kind === 'applicants') run!.bytes(message.bytes);
    else run!.end().catch((error: unknown) => post({ kind: 'error', message: error instanceof Error ? error.message : String(error) }));
  } catch (error) {
    post({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});

interface RunContext {
  setup: RoundSetup;
  builder: StreamedInstance;
  emit: (message: FromThread, transfer?: ArrayBuffer[]) => void;
  lap: (name: string) => number;
  timings: Record<string, number>;
}

async function compute({ setup, builder, emit: post, lap, timings }: RunContext): Promise<void> {
  let finished: FinishedInstance;
  try {
    finished = builder.finish();
  } catch (error) {
    if (error instanceof InstanceError) return post({ kind: 'invalid', message: error.message });
    throw error;
  }
  // Text goes out as UTF-8 bytes, moved rather than copied: the caller's event loop neither copies nor
  // encodes hundreds of MB (taking a string piece costs it a copy; 241 at once held it for 350 ms).
  const encoder = new TextEncoder();
  const send = (kind: 'input' | 'assignments' | 'result', text: string) => {
    const chunk = encoder.encode(text);
    post({ kind, chunk }, [chunk.buffer as ArrayBuffer]);
  };
  const { inst, rowIds: studentIds } = finished;
  finished.writeText((chunk) => post({ kind: 'input', chunk }, [chunk.buffer as ArrayBuffer]), CHUNK);
  post({ kind: 'inputEnd', summary: finished.summary });
  lap('serializeInput');

  const { prio, matching } = matchCompiled(inst);
  post({ kind: 'allocated', ms: lap('allocate') });

  // The result's text and the assignment rows in one pass: each student's row (in the order the
  // result's explanations are written) carries the explanation text just written to the result.
  const schools = summarizeSchools(inst, prio, matching, true);
  const round = copyField(setup.roundId);
  const placed = inst.schools.map((school) => SEAT_NAMES.map((seat) => placedCopyFields(school.id, seat, school.batch)));
  // An explanation's text holds a COPY special character only if a school id's JSON text does.
  const escape = inst.schools.some((school) => copyEscape(JSON.stringify(school.id)) !== JSON.stringify(school.id)) ? copyEscape : undefined;
  let rows = '';
  let text = '';
  serializeResult(
    inst,
    prio,
    matching,
    {
      explain: true,
      schools,
      eachStudent(s, explanation) {
        const h = matching.schoolOf[s];
        const stored = explanation === undefined || !setup.rowExplanations ? null : escape ? escape(explanation) : explanation;
        const row = assignmentCopyLine(round, studentIds[s]!, h === NO_SCHOOL ? null : placed[h][matching.seatOf[s]], stored);
        rows += row;
        if (rows.length >= CHUNK) {
          send('assignments', rows);
          rows = '';
        }
      },
    },
    (chunk) => {
      text += chunk;
      if (text.length >= CHUNK) {
        send('result', text);
        text = '';
      }
    },
  );
  if (rows.length > 0) send('assignments', rows);
  post({ kind: 'assignmentsEnd' });
  if (text.length > 0) send('result', text);
  lap('serializeResult');

  // The independent check, of the matching the text was written from; the result's end waits for it.
  const unassigned = prio.order.filter((s) => matching.schoolOf[s] === NO_SCHOOL);
  const report = checkResultArrays(inst, { schoolOf: matching.schoolOf, seatOf: matching.seatOf, unassigned, schools }, { order: prio.order });
  post({ kind: 'checked', ms: lap('check') });
  post({
    kind: 'resultEnd',
    // The result's members other than the per-student ones, as serializeResult wrote them.
    summary: canonicalJson({ format: ALLOCATION_RESULT_FORMAT, schools, stats: { proposals: matching.proposals, batches: inst.batches } }),
    cutoffTotals: JSON.stringify(cutoffTotals(inst, schools)),
    invariantsOk: report.ok,
    violations: report.ok ? [] : report.violations,
    timings,
  });
}

/** Each school's cutoff (录取最低分): the input's total of its last admitted student; null when nobody was admitted. */
function cutoffTotals(inst: CompiledInstance, schools: AllocationResult['schools']): Record<string, number | null> {
  const wanted = new Set(Object.values(schools).flatMap((s) => (s.lastAdmitted === undefined ? [] : [s.lastAdmitted])));
  const totalOf = new Map<string, number>();
  inst.studentIds.forEach((id, s) => wanted.has(id) && totalOf.set(id, inst.total[s]));
  return Object.fromEntries(Object.entries(schools).map(([school, s]) => [school, s.lastAdmitted === undefined ? null : (totalOf.get(s.lastAdmitted) ?? null)]));
}

/**
 * Runs a small made-up round through the same code before the thread says it is ready, discarding what it
 * writes: the functions a round spends its time in are compiled and optimized before a real round comes,
 * which made a city's round (45,000 students) about half a second faster (3.3 s to 2.7–2.9 s).
 */
async function warmUp(): Promise<void> {
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const schools = Array.from({ length: 12 }, (_, i) => `W${String(i).padStart(2, '0')}`);
  const plans: PlanRow[] = schools.map((id, i) => ({
    highSchoolId: id,
    regionCode: i % 2 === 0 ? 'R1' : 'R2',
    ownership: 'public',
    scope: i % 3 === 0 ? 'region' : 'city',
    batch: i < 6 ? 1 : 2,
    capacity: 300,
    minScore: i === 1 ? 400 : null,
    minEvaluation: i === 2 ? 'B' : null,
    quotaMinScore: null,
    quotaMinEvaluation: null,
  }));
  const quotas: QuotaRow[] = [0, 1].flatMap((h) => ['J1', 'J2', 'J3'].map((junior) => ({ highSchoolId: schools[h], juniorSchoolId: junior, seats: 20 })));
  const lines: string[] = [];
  for (let i = 0; i < 4_000; i++) {
    const pick = (from: number, count: number) => Array.from({ length: count }, () => schools[from + random(6)]);
    lines.push(
      JSON.stringify([`w${i}`, `2026${String(i).padStart(8, '0')}`, `J${1 + random(4)}`, i % 2 === 0 ? 'R1' : 'R2', 300 + random(400) + (i % 2) / 2,
        { pe: random(60), math: random(120), chinese: random(120), english: random(120) }, 'ABCD'[random(4)], random(3) > 0, { '1': pick(0, 3), '2': pick(6, 2) }]),
    );
  }
  const warm = startRun({ roundId: 'warm-up', seed: 'warm-up', policy: { quotaPrecedence: 'openFirst', unusedQuota: 'revert', tieBreak: ['math', 'chinese'] }, plans, quotas, rowExplanations: true }, () => undefined);
  warm.bytes(new TextEncoder().encode(lines.join('\n')));
  await warm.end();
}

warmUp()
  .catch(() => undefined) // a failed warm-up only means a slower first round
  .finally(() => post({ kind: 'ready' }));
