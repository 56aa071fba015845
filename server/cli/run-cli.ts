/** The shared shell of the two command-line entry points: read, compute, write atomically. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { InstanceError } from '../domain/allocation/types';

export function runCli(name: string, compute: (instance: unknown, flags: Set<string>) => unknown): void {
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
  let result: unknown;
  try {
    result = compute(instance, flags);
  } catch (err) {
    if (err instanceof InstanceError) {
      process.stderr.write(`${name}: invalid instance: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // Write beside the target and rename, so a crash never leaves half a result.
  const tmp = `${outputPath}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(result));
  renameSync(tmp, outputPath);
}
