/**
 * `npm run bench:allocate [-- 45000 200000 1000000]`: Zhuzhou-like instances
 * from the demo generator (about 10 choices over 3 batches, quota seats at
 * about half of the quality schools' plans), and per size the time of each
 * stage and the peak memory, as a table. Each size runs in a child process so
 * that peak memory is its own; each stage is timed `REPS` times and the
 * median printed. "CLI / baseline" compares a whole `allocate` CLI run with
 * a process that only parses the input and writes a result of the same size
 * (node start-up included in both). `--no-cli` skips that comparison.
 *
 * The last line, when 45,000 and 1,000,000 are among the sizes (the default),
 * is `allocate: compute_ms_45k=<a> compute_ms_1m=<b> growth_over_linear=<g>`
 * with a, b the median compute times (priority + DA) and
 * g = (b / a) / (1,000,000 / 45,000).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileInstance } from '../../server/domain/allocation/compile';
import { runDeferredAcceptance } from '../../server/domain/allocation/engine';
import { priorityOrder } from '../../server/domain/allocation/priority';
import { buildResult, serializeResult } from '../../server/domain/allocation/result';
import { generateCity, toAllocationInstance, toQuotaInstance } from '../../server/demo/generate';
import { distributeQuotas } from '../../server/domain/quotas/distribute';

const REPS = Number(process.env.BENCH_REPS ?? 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
}

/** A Zhuzhou-like instance of `size` students, written to `path`. */
function writeInstance(size: number, path: string) {
  const [city, generateMs] = time(() => generateCity({ seed: `bench-${size}`, students: size, studentAccounts: false }));
  const quota = distributeQuotas(toQuotaInstance(city)).quota;
  const instance = toAllocationInstance(city, {
    seed: `bench-${size}-round-1`,
    quota,
    policy: { quotaPrecedence: 'openFirst', unusedQuota: 'revert', tieBreak: ['chinese+math+english', 'math', 'chinese', 'evaluation'] },
  });
  writeFileSync(path, JSON.stringify(instance));
  return { generateMs, schools: city.highSchools.length, juniors: city.juniorSchools.length };
}

/** Runs one size inside this process and prints one JSON line of measurements. */
function measure(size: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'zz-bench-'));
  const inputPath = join(dir, 'instance.json');
  const outputPath = join(dir, 'result.json');
  try {
    // Generate and write the input, then let the city go: the stages below run with only their own data alive.
    const { generateMs, schools, juniors } = writeInstance(size, inputPath);
    (globalThis as { gc?: () => void }).gc?.();
    const inputMB = statSync(inputPath).size / 1e6;

    const stages: Record<string, number[]> = { parse: [], validate: [], priority: [], deferredAcceptance: [], result: [], serialize: [] };
    let proposals = 0;
    let outputMB = 0;
    for (let rep = 0; rep < REPS; rep++) {
      (globalThis as { gc?: () => void }).gc?.();
      const [parsed, parseMs] = time(() => JSON.parse(readFileSync(inputPath, 'utf8')));
      const [compiled, validateMs] = time(() => compileInstance(parsed));
      const [prio, priorityMs] = time(() => priorityOrder(compiled));
      const [matching, daMs] = time(() => runDeferredAcceptance(compiled, prio));
      const [result, resultMs] = time(() => buildResult(compiled, prio, matching, { explain: true }));
      void result;
      const [, serializeMs] = time(() => {
        const fd = openSync(outputPath, 'w');
        serializeResult(compiled, prio, matching, { explain: true }, (chunk) => writeSync(fd, chunk));
        closeSync(fd);
      });
      proposals = matching.proposals;
      outputMB = statSync(outputPath).size / 1e6;
      stages.parse.push(parseMs);
      stages.validate.push(validateMs);
      stages.priority.push(priorityMs);
      stages.deferredAcceptance.push(daMs);
      stages.result.push(resultMs);
      stages.serialize.push(serializeMs);
    }

    // The whole CLI against the floor of any CLI: read + parse the input, write a result of this size.
    const cli: number[] = [];
    const floor: number[] = [];
    for (let rep = 0; rep < (process.env.BENCH_NO_CLI ? 0 : REPS); rep++) {
      const [, cliMs] = time(() =>
        execFileSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', 'server/cli/allocate.ts', inputPath, outputPath], { stdio: 'inherit' }),
      );
      cli.push(cliMs);
      // The floor process also reads the result back (to have something to write): that part is subtracted.
      const [readBackMs, floorProcessMs] = time(() =>
        Number(
          execFileSync(
            process.execPath,
            [
              '--max-old-space-size=8192',
              '-e',
              `const fs=require('fs');JSON.parse(fs.readFileSync(${JSON.stringify(inputPath)},'utf8'));const t=performance.now();const r=JSON.parse(fs.readFileSync(${JSON.stringify(outputPath)},'utf8'));process.stdout.write(String(performance.now()-t));fs.writeFileSync(${JSON.stringify(outputPath + '.copy')},JSON.stringify(r))`,
            ],
            { encoding: 'utf8' },
          ),
        ),
      );
      const floorMs = floorProcessMs - readBackMs;
      floor.push(floorMs);
    }
    const med = Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, median(v)]));
    console.log(
      JSON.stringify({
        size,
        schools,
        juniors,
        proposals,
        inputMB,
        outputMB,
        generateMs,
        ...med,
        computeMs: med.priority + med.deferredAcceptance,
        cliMs: cli.length ? median(cli) : NaN,
        floorMs: floor.length ? median(floor) : NaN,
        peakRssMB: process.resourceUsage().maxRSS / 1024,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  if (process.env.BENCH_CHILD) {
    measure(Number(process.env.BENCH_CHILD));
    return;
  }
  const sizes = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map(Number);
  const noCli = process.argv.includes('--no-cli');
  const rows: Record<string, number>[] = [];
  for (const size of sizes.length ? sizes : [45_000, 200_000, 1_000_000]) {
    const child = spawnSync(process.execPath, ['--max-old-space-size=16384', '--expose-gc', '--import', 'tsx', 'test/bench/allocate.bench.ts'], {
      env: { ...process.env, BENCH_CHILD: String(size), ...(noCli ? { BENCH_NO_CLI: '1' } : {}) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`size ${size} failed`);
    rows.push(JSON.parse(child.stdout.trim().split('\n').pop() as string));
  }
  const f = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const header = ['students', 'schools', 'proposals', 'input MB', 'generate', 'parse', 'validate', 'priority', 'DA', 'compute', 'result', 'serialize', 'output MB', 'CLI', 'floor', 'CLI/floor', 'peak RSS MB'];
  console.log(`allocation benchmark (median of ${REPS}, ms; compute = priority + DA; result = result as objects (API); serialize = result as JSON text to file (CLI); floor = a process that parses the input and writes the result)`);
  console.log(header.join('\t'));
  for (const r of rows) {
    console.log(
      [r.size, r.schools, r.proposals, f(r.inputMB), f(r.generateMs), f(r.parse), f(r.validate), f(r.priority), f(r.deferredAcceptance), f(r.computeMs), f(r.result), f(r.serialize), f(r.outputMB), f(r.cliMs), f(r.floorMs), Number.isFinite(r.cliMs / r.floorMs) ? (r.cliMs / r.floorMs).toFixed(2) : '-', f(r.peakRssMB)].join('\t'),
    );
  }
  if (rows.length > 1) {
    const [a, b] = [rows[0], rows[rows.length - 1]];
    console.log(`growth of compute from ${a.size} to ${b.size}: x${(b.computeMs / a.computeMs).toFixed(1)} for x${(b.size / a.size).toFixed(1)} students`);
  }
  const small = rows.find((r) => r.size === 45_000);
  const large = rows.find((r) => r.size === 1_000_000);
  if (small && large) {
    const growth = large.computeMs / small.computeMs / (1_000_000 / 45_000);
    console.log(`allocate: compute_ms_45k=${small.computeMs.toFixed(2)} compute_ms_1m=${large.computeMs.toFixed(2)} growth_over_linear=${growth.toFixed(2)}`);
  }
}

main();
