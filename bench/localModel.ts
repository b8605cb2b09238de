// Local model (issue 11, benchmark 4) is measured by scripts/bench-local-model.mjs (tokens/s of the test model in
// the worker process vs in-process, worker cold start to first token). This reads the table it prints into figures.
import type { MachineInfo } from './machine';
import { figure, type BenchmarkResult } from './report';
import { round } from './stats';

/** `| where | tokens/s | notes` rows of the script's table. */
function rows(stdout: string): Map<string, { rate: number; note: string }> {
  const table = new Map<string, { rate: number; note: string }>();
  for (const line of stdout.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const rate = Number(cells[2]);
    if (cells.length >= 4 && cells[1] && cells[2] !== '' && Number.isFinite(rate))
      table.set(cells[1], { rate, note: cells[3] ?? '' });
  }
  return table;
}

/** The local-model figures with their budgets, or undefined when the output has not the expected rows. */
export function localModelResult(stdout: string, machine: MachineInfo): BenchmarkResult | undefined {
  const table = rows(stdout);
  // Rows are found by how their label starts, so rewording the rest of a label or note does not lose them.
  const row = (prefix: string) => [...table].find(([label]) => label.startsWith(prefix))?.[1];
  const inProcess = row('in-process');
  const worker = row('worker, not streamed');
  const streamed = row('worker, streamed');
  const firstToken = Number(/first token\D*?(\d+(?:\.\d+)?) ms/.exec(worker?.note ?? '')?.[1]);
  if (!inProcess || !worker || !streamed || !Number.isFinite(firstToken)) return undefined;
  const heading = stdout.split('\n').find((line) => line.includes('new tokens')) ?? '';
  return {
    benchmark: 'localModel',
    title: 'Local model: worker process vs in-process',
    machine,
    figures: [
      figure('in-process (transformers.js)', inProcess.rate, 'tokens/s'),
      figure('worker, not streamed', worker.rate, 'tokens/s'),
      figure('worker / in-process', round(worker.rate / inProcess.rate, 3), 'ratio', { op: '>=', value: 0.9 }),
      figure('worker, streamed per token', streamed.rate, 'tokens/s'),
      figure('worker start to first token', firstToken, 'ms', { op: '<', value: 1000 }),
    ],
    notes: [
      `measured by scripts/bench-local-model.mjs: ${heading.trim()}`,
      `in-process ${inProcess.note}`,
      // The worker runs the same model through the same library plus IPC: it cannot be much faster unless the two
      // paths do different work, which would make the ratio meaningless.
      ...(worker.rate > inProcess.rate * 1.5
        ? [
            `the worker measured ${round(worker.rate / inProcess.rate, 1)}x faster than in-process: the two paths do not seem to do the same work, so this ratio does not show the worker's cost`,
          ]
        : []),
    ],
  };
}
