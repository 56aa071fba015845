/** The shared shell of the two command-line entry points: read, compute, write atomically. */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { InstanceError } from '../domain/allocation/types';

/** Computes the result of an instance, handing its JSON text to `write` in one or more chunks. */
export type Produce = (instance: unknown, flags: Set<string>, write: (chunk: string) => void) => void;

export function runCli(name: string, produce: Produce): void {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const [inputPath, outputPath] = args.filter((a) => !a.startsWith('--'));
  if (!inputPath || !outputPath) {
    process.stderr.write(`usage: npm run -s ${name} -- <instance.json> <result.json>\n`);
    process.exit(2);
  }
  let instance: unknown;
  try {
    instance = JSON.parse(readFileSync(inputPath, 'utf8'));
  } catch (err) {
    process.stderr.write(`${name}: cannot read ${inputPath}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  // Write beside the target and rename at the end, so a failure never leaves half a result.
  const tmp = `${outputPath}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    produce(instance, flags, (chunk) => writeSync(fd, chunk));
    closeSync(fd);
    renameSync(tmp, outputPath);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    if (err instanceof InstanceError) {
      process.stderr.write(`${name}: invalid instance: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
