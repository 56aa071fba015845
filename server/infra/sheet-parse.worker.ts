/**
 * The worker thread of sheet-parse-pool.ts: reads uploaded files (readSheet)
 * off the event loop of the API and of the job worker. One message in, one
 * message out, per task.
 */
import { parentPort } from 'node:worker_threads';
import { readSheet, UnreadableFileError } from './read-file';
import { dataRowCount } from '../domain/imports/rows';
import type { ParseReply, ParseRequest } from './sheet-parse-pool';

if (!parentPort) throw new Error('sheet-parse.worker.ts runs only as a worker thread');
const port = parentPort;

port.on('message', async (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    const sheet = await readSheet(new Uint8Array(request.bytes));
    const dataRows = dataRowCount(sheet);
    // A big sheet stays here: cloning 50,000 rows back would cost the caller's event loop what this thread saves it.
    reply = request.rowLimit !== undefined && dataRows > request.rowLimit ? { id: request.id, ok: true, dataRows } : { id: request.id, ok: true, dataRows, sheet };
  } catch (error) {
    reply =
      error instanceof UnreadableFileError
        ? { id: request.id, ok: false, unreadable: error.reason }
        : { id: request.id, ok: false, failure: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
