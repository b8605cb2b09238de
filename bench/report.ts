// The shape every benchmark reports in, the table it prints, and the file the runner merges into results.json.
import { writeFileSync } from 'node:fs';
import { describeMachine, machineInfo, type MachineInfo } from './machine';

/** A limit a figure must stay within, from issue 11. */
export interface Budget {
  op: '<' | '>=';
  value: number;
}

/** One measured figure. */
export interface Figure {
  metric: string;
  value: number;
  unit: string;
  budget?: Budget;
  /** Whether the figure met its budget; absent when it has none. */
  pass?: boolean;
}

/** What one benchmark script measured. */
export interface BenchmarkResult {
  /** Short id, e.g. `streamingOverhead`. */
  benchmark: string;
  title: string;
  machine: MachineInfo;
  figures: Figure[];
  /** How it was measured (repetitions, payload) and anything that qualifies the figures. */
  notes: string[];
}

export function figure(metric: string, value: number, unit: string, budget?: Budget): Figure {
  if (!budget) return { metric, value, unit };
  const pass = budget.op === '<' ? value < budget.value : value >= budget.value;
  return { metric, value, unit, budget, pass };
}

/** Prints the machine line a benchmark starts with. */
export function announce(title: string): MachineInfo {
  const info = machineInfo();
  console.log(`\n## ${title}\n${describeMachine(info)}`);
  return info;
}

export function formatTable(results: readonly BenchmarkResult[]): string {
  const rows = [['benchmark', 'metric', 'value', 'budget', 'status']];
  for (const result of results) {
    for (const f of result.figures) {
      const budget = f.budget ? `${f.budget.op} ${f.budget.value} ${f.unit}` : '';
      const status = f.pass === undefined ? '' : f.pass ? 'ok' : 'MISSED';
      rows.push([result.benchmark, f.metric, `${f.value} ${f.unit}`, budget, status]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** Prints the result as a table with its notes, and writes it as JSON to `--out <file>` when the runner asks. */
export function publish(result: BenchmarkResult): void {
  console.log(formatTable([result]));
  for (const note of result.notes) console.log(`  - ${note}`);
  const out = process.argv.indexOf('--out');
  if (out !== -1 && process.argv[out + 1]) writeFileSync(process.argv[out + 1]!, JSON.stringify(result, null, 2));
}

/** Ends a benchmark that could not run, with its reason; the runner reports it as not done. */
export function fail(error: unknown): void {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
