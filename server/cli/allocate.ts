/**
 * `npm run -s allocate -- <allocation-instance.json> <allocation-result.json> [--no-explain]`
 * (ALLOCATION.md §3): reads an instance, writes its result; on bad input exits
 * non-zero with a message naming the record, and writes no file.
 */
import { allocate } from '../domain/allocation/engine';
import { runCli } from './run-cli';

runCli('allocate', (instance, flags) => allocate(instance, { explain: !flags.has('--no-explain') }));
