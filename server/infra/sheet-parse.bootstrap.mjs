// Entry of the sheet-parse worker thread. The project runs TypeScript through
// tsx, and a worker thread does not inherit a loader registered with
// --import (nor does vitest's transform reach it), so the worker registers tsx
// itself, then loads the TypeScript worker named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
