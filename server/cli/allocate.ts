/**
 * `npm run -s allocate -- <allocation-instance.json> <allocation-result.json> [--no-explain]`
 * (ALLOCATION.md §3): reads an instance, writes its result with explanations
 * (or without, with --no-explain); on bad input exits non-zero with a message
 * naming the record, and writes no file.
 */
import { allocateToJson } from '../domain/allocation/engine';
import { runCli } from './run-cli';

runCli('allocate', (instance, flags, write) => allocateToJson(instance, write, { explain: !flags.has('--no-explain') }));
