/**
 * Reads uploaded import files in worker threads, so neither the API's event
 * loop nor the job worker's ever runs exceljs or the CSV parser: a 20 MB .xlsx
 * is seconds of CPU, which on the event loop stalled every other request and,
 * in the job worker, could outlast the job's lock.
 *
 * A small pool (two threads by default, started on first use and kept for
 * the next upload) takes one file per thread at a time, others wait in order.
 * A thread that dies (out of memory on a monstrous file) or passes the time
 * limit is replaced and its file refused with a clear message; the threads
 * never keep the process alive (unref), so shutdown needs nothing from here.
 *
 * With `rowLimit`, a sheet with more data rows than that is not sent back,
 * only its row count: the API sends such a file to the import job, which
 * reads it again in its own process.
 */
import { Worker } from 'node:worker_threads';
import type { ImportContext, RawSheet } from '../domain/imports/rows';
import { UnreadableFileError, type StagedStudents } from './read-file';

export interface ParseRequest {
  id: number;
  bytes: ArrayBuffer;
  rowLimit?: number;
  /** Read a students file, validate it against this context and return staging lines (stageStudentsFile) instead of the sheet. */
  stageStudents?: ImportContext;
}

export type ParseReply =
  | { id: number; ok: true; dataRows: number; sheet?: RawSheet; staged?: StagedStudents }
  | { id: number; ok: false; unreadable: { zh: string; en: string } }
  | { id: number; ok: false; failure: string };

export interface ParsedUpload {
  /** Rows with at least one non-blank cell. */
  dataRows: number;
  /** Absent when dataRows passed the rowLimit, or when the file was staged. */
  sheet?: RawSheet;
  /** A students file read with stageStudents. */
  staged?: StagedStudents;
}

export interface SheetParser {
  /** Reads an .xlsx or text file in a worker thread. Throws UnreadableFileError. */
  parse(bytes: Uint8Array, options?: { rowLimit?: number }): Promise<ParsedUpload>;
  /** Reads, validates and stages a students file in a worker thread (one pass; see stageStudentsFile). Throws UnreadableFileError. */
  stageStudents(bytes: Uint8Array, ctx: ImportContext): Promise<StagedStudents>;
  close(): Promise<void>;
}

interface Task {
  request: ParseRequest;
  timeoutMs?: number;
  resolve: (value: ParsedUpload) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

const TOO_COMPLEX = {
  zh: '文件过大或过于复杂，无法在限定时间和内存内读取；请只保留一个数据工作表、删除图片和格式后另存为 .xlsx 或 CSV UTF-8，或分成几个文件导入',
  en: 'The file is too large or too complex to read within the time and memory limits; keep one data sheet, remove pictures and formatting, save as .xlsx or CSV UTF-8, or split it',
};

const UNREADABLE = {
  zh: '无法读取该文件，请使用模板另存为 .xlsx 或 CSV UTF-8 后重新上传',
  en: 'The file cannot be read; save it from the template as .xlsx or CSV UTF-8 and upload it again',
};

export function createSheetParsePool(options: { size?: number; timeoutMs?: number; stageTimeoutMs?: number; maxMemoryMb?: number } = {}): SheetParser {
  const size = options.size ?? 2;
  const timeoutMs = options.timeoutMs ?? 180_000;
  // Staging a students file is linear work on a file the upload limit bounds (a province's 800,000 rows): it may take longer on a busy machine.
  const stageTimeoutMs = options.stageTimeoutMs ?? 900_000;
  const slots: Slot[] = [];
  const waiting: Task[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): Slot {
    const worker = new Worker(new URL('./sheet-parse.bootstrap.mjs', import.meta.url), {
      workerData: { entry: new URL('./sheet-parse.worker.ts', import.meta.url).href },
      resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb ?? 4096 },
    });
    worker.unref();
    let markReady: () => void = () => {};
    const slot: Slot = { worker, ready: new Promise<void>((r) => (markReady = r)), task: null, timer: null };
    worker.on('message', (message: ParseReply | { ready: true }) => {
      if ('ready' in message) return markReady();
      const task = slot.task;
      if (!task || task.request.id !== message.id) return;
      finish(slot);
      if (message.ok) task.resolve({ dataRows: message.dataRows, sheet: message.sheet, staged: message.staged });
      else if ('unreadable' in message) task.reject(new UnreadableFileError(message.unreadable));
      // Anything else the reader threw is still a file it could not read (never a 500); the reason stays out of logs and answers.
      else task.reject(new UnreadableFileError(UNREADABLE));
      pump();
    });
    const fail = (reason: { zh: string; en: string }) => {
      const task = slot.task;
      retire(slot);
      task?.reject(new UnreadableFileError(reason));
      pump();
    };
    worker.on('error', () => fail(TOO_COMPLEX));
    worker.on('exit', () => fail(TOO_COMPLEX));
    return slot;
  }

  function finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    slot.worker.unref();
  }

  function retire(slot: Slot): void {
    finish(slot);
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    slot.worker.removeAllListeners('exit');
    void slot.worker.terminate();
  }

  function start(slot: Slot, task: Task): void {
    slot.task = task;
    slot.worker.ref(); // keep the process up while a file is being read
    slot.timer = setTimeout(() => {
      retire(slot);
      task.reject(new UnreadableFileError(TOO_COMPLEX));
      pump();
    }, task.timeoutMs ?? timeoutMs);
    void slot.ready.then(() => {
      if (slot.task === task) slot.worker.postMessage(task.request, [task.request.bytes]);
    });
  }

  function pump(): void {
    while (waiting.length > 0 && !closed) {
      let slot = slots.find((s) => s.task === null);
      if (!slot && slots.length < size) {
        slot = spawn();
        slots.push(slot);
      }
      if (!slot) return;
      start(slot, waiting.shift()!);
    }
  }

  function submit(bytes: Uint8Array, request: Omit<ParseRequest, 'id' | 'bytes'>, taskTimeoutMs?: number): Promise<ParsedUpload> {
    if (closed) return Promise.reject(new Error('sheet parser closed'));
    // A copy the worker owns: transferring it costs nothing, and the caller's buffer stays usable.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Promise<ParsedUpload>((resolve, reject) => {
      waiting.push({ request: { ...request, id: nextId++, bytes: copy.buffer }, timeoutMs: taskTimeoutMs, resolve, reject });
      pump();
    });
  }

  return {
    parse(bytes, parseOptions = {}) {
      return submit(bytes, { rowLimit: parseOptions.rowLimit });
    },
    async stageStudents(bytes, ctx) {
      const { staged } = await submit(bytes, { stageStudents: ctx }, stageTimeoutMs);
      if (!staged) throw new UnreadableFileError(UNREADABLE);
      return staged;
    },
    async close() {
      closed = true;
      for (const task of waiting.splice(0)) task.reject(new Error('sheet parser closed'));
      await Promise.all(
        slots.splice(0).map((slot) => {
          slot.worker.removeAllListeners('exit');
          slot.task?.reject(new Error('sheet parser closed'));
          return slot.worker.terminate();
        }),
      );
    },
  };
}

let shared: SheetParser | null = null;

/** The process's pool, started on first use. */
export function sharedSheetParser(): SheetParser {
  shared ??= createSheetParsePool();
  return shared;
}
