/**
 * Runs a round's computation (allocate with explanations, the independent
 * invariant check, the canonical result text and the assignment rows as COPY
 * text) in a worker thread, so the job's event loop stays free while a
 * province's round computes for many seconds: progress keeps moving (at least
 * every 2 s, issue 16) and BullMQ keeps the job's lock. The instance goes in as
 * its canonical JSON text (the text the round stores, in pieces) and only text
 * comes back: neither the instance nor the result is cloned between threads,
 * and the thread's memory is returned when it ends.
 */
import { Worker } from 'node:worker_threads';

export interface ComputeRequest {
  /** The instance's canonical JSON text, in pieces. */
  inputChunks: string[];
  /** Each student's row id, in the order of the instance's students. */
  studentIds: string[];
  roundId: string;
}

export type ComputeMessage =
  | { kind: 'allocated'; ms: number }
  | { kind: 'checked'; ms: number }
  | {
      kind: 'done';
      invariantsOk: boolean;
      violations: string[];
      /** The result's canonical JSON text, in pieces (hashed by the store as it streams). */
      resultChunks: string[];
      /** RoundAssignment rows in COPY text format (roundId, studentId, highSchoolId, seat, batch, explanation). */
      rowChunks: string[];
      timings: Record<string, number>;
    }
  | { kind: 'invalid'; message: string }
  | { kind: 'error'; message: string };

export type ComputedRound = Extract<ComputeMessage, { kind: 'done' }> | Extract<ComputeMessage, { kind: 'invalid' }>;

/** Computes a round in a thread of its own; `onStage` hears when allocation and the check are done. */
export function computeRoundInThread(request: ComputeRequest, onStage: (stage: 'allocated' | 'checked', ms: number) => void): Promise<ComputedRound> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./sheet-parse.bootstrap.mjs', import.meta.url), {
      workerData: { entry: new URL('./round-compute.worker.ts', import.meta.url).href, request },
      resourceLimits: { maxOldGenerationSizeMb: 6144 },
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (message: ComputeMessage) => {
      if (message.kind === 'allocated' || message.kind === 'checked') onStage(message.kind, message.ms);
      else if (message.kind === 'error') settle(() => reject(new Error(`round computation failed: ${message.message}`)));
      else settle(() => resolve(message));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`round computation thread exited (${code}) without a result`))));
  });
}
