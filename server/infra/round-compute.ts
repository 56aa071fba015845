/**
 * A round's computation in a worker thread of its own
 * (round-compute.worker.ts): it reads the applicants' rows as PostgreSQL sends
 * them (COPY text), builds the engine's instance, writes its canonical text,
 * allocates with explanations, writes the result's canonical text and the
 * assignment rows (COPY text) in one pass, and checks the result independently
 * while they are stored. Everything it sends back is text in pieces, which the caller streams into
 * the store transaction as it comes: PostgreSQL ingests one part while the
 * thread computes the next, the job's event loop stays free (progress moves at
 * least every 2 s, BullMQ keeps the job's lock), and neither the instance nor
 * the result is ever cloned between threads: the text goes over as UTF-8 bytes, moved. The thread starts first and boots
 * while the round's schools are read.
 */
import { Worker } from 'node:worker_threads';
import type { AllocationPolicy } from '../domain/allocation/types';
import type { PlanRow, QuotaRow } from '../domain/rounds/round-input';

/** What the thread needs besides the applicants: the instance's schools and rules. */
export interface RoundSetup {
  roundId: string;
  seed: string;
  policy: AllocationPolicy;
  plans: PlanRow[];
  quotas: QuotaRow[];
  /** 补录: school id -> seats left (replacing capacities; no quota seats). */
  capacityOverride?: Record<string, number>;
  /** Student row ids that do not take part although their rows come (补录: students keeping a seat). */
  excluded?: string[];
  /**
   * Whether each assignment row carries the student's explanation: the portals read it from published
   * rounds, and a simulation is never published (its explanations are in its result's text).
   */
  rowExplanations: boolean;
}

/** To the thread. */
export type ToThread = { kind: 'setup'; setup: RoundSetup } | { kind: 'applicants'; bytes: Uint8Array } | { kind: 'applicantsEnd' };

/**
 * From the thread: input*, inputEnd, allocated, then the assignments and the result's pieces
 * interleaved (they are written in one pass), assignmentsEnd, checked, resultEnd. Each part's pieces
 * come in order and are read in order (`pieces`), each part after the one before.
 */
export type FromThread =
  | { kind: 'input'; chunk: Uint8Array }
  /** `summary`: the canonical text of the instance without its students (Round.input). */
  | { kind: 'inputEnd'; summary: string }
  | { kind: 'allocated'; ms: number }
  /** RoundAssignment rows (roundId, studentId, highSchoolId, seat, batch, explanation) in COPY text format. */
  | { kind: 'assignments'; chunk: Uint8Array }
  | { kind: 'assignmentsEnd' }
  | { kind: 'checked'; ms: number }
  | { kind: 'result'; chunk: Uint8Array }
  | {
      kind: 'resultEnd';
      /** The canonical text of the result without its per-student members (Round.result). */
      summary: string;
      /** JSON text: school id -> total of its last admitted student, or null. */
      cutoffTotals: string;
      invariantsOk: boolean;
      violations: string[];
      timings: Record<string, number>;
    }
  /** The instance breaks a rule of ALLOCATION.md §2 (InstanceError): the round fails, saying which. */
  | { kind: 'invalid'; message: string }
  | { kind: 'error'; message: string }
  /** Sent once, when the thread has loaded its modules. */
  | { kind: 'ready' };

type DataMessage = Exclude<FromThread, { kind: 'allocated' | 'checked' | 'invalid' | 'error' | 'ready' }>;
type Part = 'input' | 'assignments' | 'result';

function partOf(message: DataMessage): Part {
  return message.kind.endsWith('End') ? (message.kind.slice(0, -'End'.length) as Part) : (message.kind as Part);
}

/** The thread found the instance invalid (ALLOCATION.md §2): the round fails with this message. */
export class InvalidRoundInput extends Error {}

export interface RoundThread {
  setup(setup: RoundSetup): void;
  /** A piece of the applicants' COPY output, as received. */
  applicants(bytes: Uint8Array): void;
  applicantsEnd(): void;
  /** The pieces of one part, in order, up to its end message. Throws InvalidRoundInput or the thread's error. */
  pieces(kind: Part): AsyncGenerator<Uint8Array>;
  /** The end message of a part whose pieces were all read. */
  end<K extends 'input' | 'result'>(kind: K): Extract<DataMessage, { kind: `${K}End` }>;
  terminate(): Promise<void>;
}

/** The longest the caller's event loop goes without a turn while it takes queued pieces. */
const EVENT_LOOP_TURN_MS = 50;

/** Applicants' bytes sent to the thread at a time. */
const APPLICANT_BATCH_BYTES = 1 << 20;

/** A thread starting or started, not yet given a round. */
interface BootingThread {
  worker: Worker;
  ready: Promise<void>;
  exited: boolean;
}

function boot(): BootingThread {
  const worker = new Worker(new URL('./sheet-parse.bootstrap.mjs', import.meta.url), {
    workerData: { entry: new URL('./round-compute.worker.ts', import.meta.url).href },
    // A large young generation: a province's round allocates millions of short-lived objects, and the
    // default one (16 MB semi-spaces) promotes and re-scans them over and over (the check took twice as long).
    resourceLimits: { maxOldGenerationSizeMb: 6144, maxYoungGenerationSizeMb: 384 },
  });
  const booting: BootingThread = { worker, ready: Promise.resolve(), exited: false };
  booting.ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromThread) => message.kind === 'ready' && resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => {
      booting.exited = true;
      reject(new Error(`round computation thread exited (${code})`));
    });
  });
  booting.ready.catch(() => undefined);
  return booting;
}

/** A booted thread kept for the next round (keepRoundThreadReady). */
let spare: BootingThread | undefined;
let keepSpare = false;

function bootSpare(): BootingThread {
  const booting = boot();
  spare = booting;
  // Once booted, a spare never keeps the process alive (while it boots, someone may be waiting for it).
  void booting.ready.then(() => spare === booting && booting.worker.unref()).catch(() => undefined);
  return booting;
}

/**
 * Keeps one round thread booted ahead of the next round, as a pool keeps a
 * connection: a round then starts computing at once instead of waiting for the
 * thread to load its modules (about a second on a busy machine), and a fresh
 * one boots behind it when it ends. The worker process calls this once at start.
 */
export function keepRoundThreadReady(): Promise<void> {
  keepSpare = true;
  return (spare && !spare.exited ? spare : bootSpare()).ready;
}

/** Starts a round's thread (the spare, if one is ready); `onStage` hears when allocation and the check are done. */
export function startRoundThread(onStage: (stage: 'allocated' | 'checked', ms: number) => void): RoundThread {
  const taken = spare && !spare.exited ? spare : boot();
  spare = undefined;
  const worker = taken.worker;
  worker.ref();
  // A queue per part: the caller reads one part to its end, then the next, while the thread writes two at once.
  const queues: Record<Part, DataMessage[]> = { input: [], assignments: [], result: [] };
  const ends = new Map<string, DataMessage>();
  let failure: Error | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  worker.on('message', (message: FromThread) => {
    if (message.kind === 'ready') return;
    if (message.kind === 'allocated' || message.kind === 'checked') onStage(message.kind, message.ms);
    else if (message.kind === 'invalid') failure ??= new InvalidRoundInput(message.message);
    else if (message.kind === 'error') failure ??= new Error(`round computation failed: ${message.message}`);
    else {
      queues[partOf(message)].push(message);
      if (message.kind === 'resultEnd') finished = true;
    }
    notify();
  });
  worker.on('error', (error) => {
    failure ??= error;
    notify();
  });
  worker.on('exit', (code) => {
    if (!finished) failure ??= new Error(`round computation thread exited (${code}) before its result`);
    notify();
  });
  const post = (message: ToThread, transfer?: ArrayBuffer[]) => worker.postMessage(message, transfer);
  // The applicants' bytes go over in batches of their own memory, moved rather than copied: a chunk from
  // the socket is a view into a larger buffer, which postMessage would copy whole each time.
  let pendingBytes: Uint8Array[] = [];
  let pendingSize = 0;
  const sendApplicants = () => {
    if (pendingSize === 0) return;
    const batch = new Uint8Array(pendingSize);
    let at = 0;
    for (const piece of pendingBytes) {
      batch.set(piece, at);
      at += piece.length;
    }
    pendingBytes = [];
    pendingSize = 0;
    post({ kind: 'applicants', bytes: batch }, [batch.buffer]);
  };

  // The thread's messages arrive in one batch when several are waiting, each one's handler resuming the
  // consumer (hash, COPY) at once: without a turn of the event loop now and then, a batch would hold
  // back timers (the progress heartbeat) for seconds.
  let turnAt = performance.now();
  async function next(part: Part): Promise<DataMessage> {
    for (;;) {
      if (performance.now() - turnAt > EVENT_LOOP_TURN_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        turnAt = performance.now();
      }
      const message = queues[part].shift();
      if (message) return message;
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  return {
    setup: (setup) => post({ kind: 'setup', setup }),
    applicants(bytes) {
      pendingBytes.push(bytes);
      pendingSize += bytes.length;
      if (pendingSize >= APPLICANT_BATCH_BYTES) sendApplicants();
    },
    applicantsEnd() {
      sendApplicants();
      post({ kind: 'applicantsEnd' });
    },
    async *pieces(kind) {
      for (;;) {
        const message = await next(kind);
        if (message.kind === kind) yield (message as { chunk: Uint8Array }).chunk;
        else if (message.kind === `${kind}End`) {
          ends.set(message.kind, message);
          return;
        }
        else throw new Error(`round computation thread: ${message.kind} while ${kind} was expected`);
      }
    },
    end(kind) {
      const message = ends.get(`${kind}End`);
      if (!message) throw new Error(`round computation thread: the ${kind} has not ended`);
      return message as never;
    },
    async terminate() {
      finished = true;
      await worker.terminate();
      if (keepSpare) bootSpare();
    },
  };
}
