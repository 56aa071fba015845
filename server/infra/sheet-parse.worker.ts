/**
 * The worker thread of sheet-parse-pool.ts: reads uploaded files (readSheet)
 * off the event loop of the API and of the job worker. One message in, one
 * message out, per task. A students file to import is read, validated and
 * turned into staging lines here in one pass (stageStudentsFile), so only
 * those bytes and the problems go back, never the file's rows.
 */
import { parentPort } from 'node:worker_threads';
import { countDataRows, isXlsx, readSheet, stageStudentsFile, UnreadableFileError } from './read-file';
import { dataRowCount } from '../domain/imports/rows';
import type { ParseReply, ParseRequest } from './sheet-parse-pool';

if (!parentPort) throw new Error('sheet-parse.worker.ts runs only as a worker thread');
const port = parentPort;

async function handle(request: ParseRequest): Promise<{ reply: ParseReply; transfer: ArrayBuffer[] }> {
  const bytes = new Uint8Array(request.bytes);
  if (request.stageStudents) {
    const staged = await stageStudentsFile(bytes, request.stageStudents);
    const transfer = staged.chunks.map((c) => c.buffer as ArrayBuffer);
    return { reply: { id: request.id, ok: true, dataRows: staged.dataRows, staged }, transfer };
  }
  // A text file bigger than the limit is only tokenized and counted: the job reads it again anyway.
  if (request.rowLimit !== undefined && !isXlsx(bytes)) {
    const dataRows = await countDataRows(bytes);
    if (dataRows > request.rowLimit) return { reply: { id: request.id, ok: true, dataRows }, transfer: [] };
  }
  const sheet = await readSheet(bytes);
  const dataRows = dataRowCount(sheet);
  // A big sheet stays here: cloning 50,000 rows back would cost the caller's event loop what this thread saves it.
  const reply: ParseReply = request.rowLimit !== undefined && dataRows > request.rowLimit ? { id: request.id, ok: true, dataRows } : { id: request.id, ok: true, dataRows, sheet };
  return { reply, transfer: [] };
}

port.on('message', async (request: ParseRequest) => {
  let reply: ParseReply;
  let transfer: ArrayBuffer[] = [];
  try {
    ({ reply, transfer } = await handle(request));
  } catch (error) {
    reply =
      error instanceof UnreadableFileError
        ? { id: request.id, ok: false, unreadable: error.reason }
        : { id: request.id, ok: false, failure: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, transfer);
});
port.postMessage({ ready: true });
