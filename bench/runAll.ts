// `npm run bench`: builds the production bundles, runs every benchmark in its own Node process, prints one table
// and writes bench/results.json. A benchmark that fails is reported as not run (with its error), not skipped
// silently. Each benchmark can also be run alone: `node --import tsx bench/<name>.ts`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localModelResult } from './localModel';
import { describeMachine, machineInfo } from './machine';
import { formatTable, type BenchmarkResult } from './report';

const ROOT = resolve(__dirname, '..');

/** The benchmarks in the order issue 11 lists them. */
const BENCHMARKS = ['streamingOverhead', 'webviewRelay', 'activation', 'localModel', 'fallback'] as const;

interface NotRun {
  benchmark: string;
  error: string;
}

/** Runs a step; its stdout is shown as it comes unless `capture` asks for it to be returned too; stderr is shown at the end. */
function run(command: string, args: string[], capture = false): { ok: boolean; stdout: string; error: string } {
  const child = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'pipe'],
    maxBuffer: 64 * 2 ** 20,
  });
  if (capture) process.stdout.write(child.stdout ?? '');
  process.stderr.write(child.stderr ?? '');
  const error =
    child.error?.message ??
    (child.status === 0
      ? ''
      : `exit ${child.status}: ${(child.stderr ?? '').trim().split('\n').slice(0, 3).join(' / ')}`);
  return { ok: !error, stdout: child.stdout ?? '', error };
}

function main(): void {
  const machine = machineInfo();
  console.log(`Benchmarks on ${describeMachine(machine)}`);
  const build = run(process.execPath, ['esbuild.mjs', '--production']);
  if (!build.ok) throw new Error(`the production build failed: ${build.error}`);

  const results: BenchmarkResult[] = [];
  const notRun: NotRun[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    for (const name of BENCHMARKS) {
      if (name === 'localModel') {
        const child = run(process.execPath, ['scripts/bench-local-model.mjs'], true);
        const result = child.ok ? localModelResult(child.stdout, machineInfo()) : undefined;
        if (result) results.push(result);
        else
          notRun.push({
            benchmark: name,
            error: child.error || 'scripts/bench-local-model.mjs printed no table to read',
          });
        continue;
      }
      const out = join(scratch, `${name}.json`);
      const child = run(process.execPath, ['--import', 'tsx', `bench/${name}.ts`, '--out', out]);
      if (child.ok) results.push(JSON.parse(readFileSync(out, 'utf8')) as BenchmarkResult);
      else notRun.push({ benchmark: name, error: child.error });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const missed = results.flatMap((r) =>
    r.figures
      .filter((f) => f.pass === false)
      .map((f) => `${r.benchmark}: ${f.metric} = ${f.value} ${f.unit} (budget ${f.budget!.op} ${f.budget!.value})`),
  );
  console.log(`\n## All benchmarks\n${describeMachine(machine)}\n${formatTable(results)}`);
  for (const item of notRun) console.log(`NOT RUN ${item.benchmark}: ${item.error}`);
  console.log(
    missed.length === 0 ? 'Every budget met.' : `Budgets missed:\n${missed.map((m) => `  - ${m}`).join('\n')}`,
  );
  const date = new Date().toISOString();
  writeFileSync(
    join(__dirname, 'results.json'),
    `${JSON.stringify({ date, machine, results, notRun, budgetsMissed: missed }, null, 2)}\n`,
  );
  refreshReadme(`${date.slice(0, 16).replace('T', ' ')} UTC on ${describeMachine(machine)}`, results, notRun, missed);
  console.log("Wrote bench/results.json and the table in README.md's Performance section");
}

/** Replaces the results between the markers in the README's Performance section. */
function refreshReadme(when: string, results: BenchmarkResult[], notRun: NotRun[], missed: string[]): void {
  const readme = join(__dirname, '..', 'README.md');
  const [start, end] = ['<!-- bench-results:start -->', '<!-- bench-results:end -->'];
  const text = readFileSync(readme, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) throw new Error(`README.md lost its ${start} / ${end} markers`);
  const closing = [
    ...notRun.map((item) => `- Not run: ${item.benchmark}: ${item.error}`),
    ...(missed.length === 0 ? ['- Every budget was met.'] : missed.map((m) => `- Budget missed: ${m}`)),
  ];
  const body = [`Measured ${when}.`, '', formatTable(results), '', ...closing].join('\n');
  writeFileSync(readme, `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`);
}

main();
