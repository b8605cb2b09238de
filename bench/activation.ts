// Activation (issue 11, benchmark 3).
//
// Measures: the size of the minified extension host bundle (dist/extension.js from `node esbuild.mjs
// --production`, built here when dist/ holds a development build, and copied before use), and the time to load it, run activate() and resolve the chat view (until its HTML is set), each in
// a fresh Node process with `vscode` replaced by test/helpers/vscodeStub.cjs (an empty VS Code: no settings, no stored
// keys). Also lists what activation loads eagerly: modules added to the require cache, npm packages initialized
// (from a second build of the same entry point in which every npm import, static or dynamic, is recorded when it
// first runs) and child processes started, during activation and the 300 ms after it. That second build is also
// timed, to show what keeping npm packages out of the bundle would save.
// Budgets: activation under 50 ms, nothing heavy (SDKs, transformers.js, the local-model worker) loaded eagerly,
// dist/extension.js under 1 MB (10^6 bytes) minified.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { announce, fail, figure, publish } from './report';
import { median, round } from './stats';

const ROOT = resolve(__dirname, '..');
const BUNDLE = join(ROOT, 'dist', 'extension.js');
const PROBE = join(__dirname, 'activationProbe.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** npm packages that must load on first use only. */
const HEAVY = /^(openai|@huggingface\/|onnxruntime|undici|sharp)/;

interface ProbeResult {
  loadMs: number;
  activateMs: number;
  viewMs: number | null;
  cpuMs: number;
  views: string[];
  commands: number;
  modules: string[];
  packages: string[] | null;
  childProcesses: string[];
}

/** The extension host bundle's options in esbuild.mjs, for the two analysis builds below (externals are added from the bundle). */
const hostBundle: esbuild.BuildOptions = {
  entryPoints: [join(ROOT, 'src/extension.ts')],
  bundle: true,
  minify: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
};

const isMinified = (code: string) => !code.includes('//# sourceMappingURL');

/**
 * A copy of the production dist/extension.js, taken at once: other builds (`npm run build`) may rewrite dist/ while
 * the benchmark runs. Builds it first when dist/ holds a development build.
 */
function snapshotProductionBundle(outdir: string): { file: string; code: string } {
  if (!existsSync(BUNDLE) || !isMinified(readFileSync(BUNDLE, 'utf8')))
    execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, stdio: 'inherit' });
  const code = readFileSync(BUNDLE, 'utf8');
  const file = join(outdir, 'extension.js');
  writeFileSync(file, code);
  return { file, code };
}

/** npm packages the bundle leaves in node_modules (esbuild externals), as its `require`/`import()` calls name them. */
function externalPackages(code: string): string[] {
  const names = [...code.matchAll(/\b(?:require|import)\("([^"]+)"\)/g)].map((m) => m[1]!);
  return [...new Set(names.filter((name) => name !== 'vscode' && !isBuiltin(name)))].sort();
}

function probe(bundle: string, env: NodeJS.ProcessEnv = process.env): ProbeResult {
  const output = execFileSync(process.execPath, [PROBE, bundle, ROOT], { env, encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1)!) as ProbeResult;
}

/**
 * The same entry point with every npm package replaced by a shim that records the package's name when it first
 * runs and then requires the real package, so the probe sees static and dynamic (`await import`) loads alike.
 */
async function buildRecordingBundle(outdir: string): Promise<string> {
  const outfile = join(outdir, 'recording.js');
  await esbuild.build({
    ...hostBundle,
    outfile,
    plugins: [
      {
        name: 'record-packages',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path === 'vscode' || isBuiltin(args.path) || args.namespace === 'recorded')
              return { path: args.path, external: true };
            return { path: args.path, namespace: 'recorded' };
          });
          build.onLoad({ filter: /.*/, namespace: 'recorded' }, (args) => ({
            contents: `(globalThis.benchLoadedPackages ??= []).push(${JSON.stringify(args.path)}); module.exports = require(${JSON.stringify(args.path)});`,
            loader: 'js',
          }));
        },
      },
    ],
  });
  return outfile;
}

/** Bytes each npm package (or our own src/) contributes to the minified bundle, largest first. */
async function bundleComposition(outdir: string, externals: string[]): Promise<[string, number][]> {
  const outfile = join(outdir, 'composition.js');
  const result = await esbuild.build({ ...hostBundle, external: ['vscode', ...externals], outfile, metafile: true });
  const output = Object.values(result.metafile!.outputs).find((o) => o.entryPoint)!;
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const inModules = input.split('node_modules/').at(-1)!;
    const name = input.includes('node_modules/')
      ? inModules
          .split('/')
          .slice(0, inModules.startsWith('@') ? 2 : 1)
          .join('/')
      : 'our code (src/)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]);
}

async function main(): Promise<void> {
  const machine = announce('Activation: activate() to chat view ready, and the extension bundle');
  const outdir = mkdtempSync(join(tmpdir(), 'bench-activation-'));
  try {
    const bundle = snapshotProductionBundle(outdir);
    const minified = isMinified(bundle.code);
    const externals = externalPackages(bundle.code);
    // The copy lives outside the repository; its externals still resolve from the repository's node_modules.
    const env = { ...process.env, NODE_PATH: join(ROOT, 'node_modules') };

    const runs: ProbeResult[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(probe(bundle.file, env));
    const first = runs[0]!;
    if (first.views.length === 0 || runs.some((r) => r.viewMs === null))
      throw new Error('activate() registered no webview view provider: nothing to time the chat view against.');

    const recordingBundle = await buildRecordingBundle(outdir);
    const withoutPackages: ProbeResult[] = [];
    for (let i = 0; i < RUNS; i++) withoutPackages.push(probe(recordingBundle, env));
    const recorded = withoutPackages[0]!;
    const packages = [...new Set(recorded.packages ?? [])];
    const heavy = packages.filter((name) => HEAVY.test(name));
    const composition = await bundleComposition(outdir, externals);
    const mb = (n: number) => round(n / 1e6, 3);
    const total = (r: ProbeResult) => r.loadMs + r.activateMs + r.viewMs!;
    publish({
      benchmark: 'activation',
      title: 'Activation',
      machine,
      figures: [
        figure(
          `dist/extension.js${minified ? ', minified' : ' (NOT minified)'}`,
          mb(Buffer.byteLength(bundle.code)),
          'MB',
          { op: '<', value: 1 },
        ),
        figure('load bundle (require)', round(median(runs.map((r) => r.loadMs))), 'ms'),
        figure('activate()', round(median(runs.map((r) => r.activateMs))), 'ms'),
        figure('activate() -> chat view ready', round(median(runs.map((r) => r.activateMs + r.viewMs!))), 'ms', {
          op: '<',
          value: 50,
        }),
        figure('load + activate() -> chat view ready', round(median(runs.map(total))), 'ms'),
        figure('  same, process CPU time', round(median(runs.map((r) => r.cpuMs))), 'ms', { op: '<', value: 50 }),
        figure(
          '  same, every npm package outside the bundle (comparison)',
          round(median(withoutPackages.map(total))),
          'ms',
        ),
        figure('heavy packages loaded during activation', heavy.length, 'packages', { op: '<', value: 1 }),
        figure('child processes started during activation', recorded.childProcesses.length, 'processes', {
          op: '<',
          value: 1,
        }),
      ],
      notes: [
        `medians of ${RUNS} cold runs, each in a fresh Node process (VS Code's extension host also loads the bundle before calling activate())`,
        'the budget is checked twice: on activate() -> view ready as the issue defines it (wall clock), and, stricter, on load + activate() -> view ready in process CPU time (wall clock on a busy machine also counts time given to other processes)',
        `activation registered ${first.commands} commands and the views ${first.views.join(', ')}`,
        `npm packages initialized during activation: ${packages.length > 0 ? packages.join(', ') : 'none'}${heavy.length > 0 ? ` (heavy: ${heavy.join(', ')})` : ''}`,
        `modules added to the require cache: ${recorded.modules.length > 0 ? recorded.modules.join(', ') : 'none besides the bundle'}`,
        `child processes: ${recorded.childProcesses.length > 0 ? recorded.childProcesses.join('; ') : 'none'}`,
        `left in node_modules by the bundle, loaded on first use: ${externals.length > 0 ? externals.join(', ') : 'nothing'}`,
        `the comparison build keeps every npm package in node_modules (${mb(statSync(recordingBundle).size)} MB bundle)`,
        `bundle composition (minified bytes): ${composition
          .slice(0, 8)
          .map(([name, size]) => `${name} ${round(size / 1e3, 0)} kB`)
          .join(', ')}`,
      ],
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch(fail);
