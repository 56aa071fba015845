import type { JobHandler } from '../handler';
import systemHealthcheck from './system.healthcheck';
import roundRun from './round.run';
import flagsDetect from './flags.detect';
import importRun from './import.run';

/**
 * Every handler, one per file in this folder. The worker checks this list
 * against jobs/registry.ts at start (no job without a handler, none with two).
 */
export const handlers: JobHandler<any>[] = [systemHealthcheck, roundRun, flagsDetect, importRun];
