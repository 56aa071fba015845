/**
 * The thread of round-compute.ts: parses the instance text, allocates with
 * explanations, checks the result, and sends back the result's canonical text
 * and the assignment rows as COPY text, in pieces.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { allocate } from '../domain/allocation/engine';
import { checkAllocation } from '../domain/allocation/invariants';
import { InstanceError, type AllocationInstance } from '../domain/allocation/types';
import { writeCanonicalJson } from '../domain/rounds/round-input';
import type { ComputeMessage, ComputeRequest } from './round-compute';

if (!parentPort) throw new Error('round-compute.worker.ts runs only as a worker thread');
const port = parentPort;
const post = (message: ComputeMessage) => port.postMessage(message);

/** COPY text format: backslash, newline, carriage return and tab escaped; null as \N. */
function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : value;
}

const ROW_CHUNK_CHARS = 1 << 20;

async function compute(request: ComputeRequest): Promise<ComputeMessage> {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
    return timings[name];
  };
  const instance = JSON.parse(request.inputChunks.join('')) as AllocationInstance;
  request.inputChunks.length = 0;
  lap('parse');
  let result;
  try {
    result = allocate(instance, { explain: true });
  } catch (error) {
    if (error instanceof InstanceError) return { kind: 'invalid', message: error.message };
    throw error;
  }
  post({ kind: 'allocated', ms: lap('allocate') });
  const report = checkAllocation(instance, result);
  post({ kind: 'checked', ms: lap('check') });

  const resultChunks: string[] = [];
  await writeCanonicalJson(result, async (chunk) => void resultChunks.push(chunk));
  lap('serializeResult');
  const rowChunks: string[] = [];
  const round = copyField(request.roundId);
  let text = '';
  instance.students.forEach((s, i) => {
    const a = result.assignments[s.id];
    const explanation = result.explanations?.[s.id];
    text +=
      `${round}\t${copyField(request.studentIds[i])}\t${a ? copyField(a.school) : '\\N'}\t${a ? a.seat : '\\N'}\t${a ? String(a.batch) : '\\N'}\t` +
      `${explanation === undefined || explanation === null ? '\\N' : copyField(JSON.stringify(explanation))}\n`;
    if (text.length >= ROW_CHUNK_CHARS) {
      rowChunks.push(text);
      text = '';
    }
  });
  if (text.length > 0) rowChunks.push(text);
  lap('serializeRows');
  return { kind: 'done', invariantsOk: report.ok, violations: report.ok ? [] : report.violations, resultChunks, rowChunks, timings };
}

compute((workerData as { request: ComputeRequest }).request)
  .then(post)
  .catch((error: unknown) => post({ kind: 'error', message: error instanceof Error ? error.message : String(error) }));
