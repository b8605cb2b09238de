// Tokens per second of the tiny test decoder in the local-model worker against the same model in-process, and
// the worker's cold start (fork + transformers.js + model load) to first streamed token.
// Needs `npm run build` (dist/core.js, dist/local-model-worker.js); builds the test models itself.
// Usage: node scripts/bench-local-model.mjs [--tokens 512] [--runs 5]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const TOKENS = argument('tokens', 512);
const RUNS = argument('runs', 5);
// The test model counts 1234567890... after a digit until max_new_tokens: every run generates exactly TOKENS tokens.
const PROMPT = 'count 0';

const workerPath = join(repo, 'dist', 'local-model-worker.js');
if (!existsSync(workerPath)) {
  console.error(`${workerPath} is missing: run 'npm run build' first.`);
  process.exit(1);
}
execFileSync(process.execPath, [join(repo, 'scripts', 'build-test-models.mjs')], { stdio: 'inherit' });
const modelPath = join(repo, 'test', 'models', '.built', 'tiny-gpt2-chat');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function loadInProcess() {
  const started = performance.now();
  const { env, pipeline } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.localModelPath = dirname(modelPath) + '/';
  const generator = await pipeline('text-generation', 'tiny-gpt2-chat', { device: 'cpu' });
  return { generator, loadMs: performance.now() - started };
}

async function startWorker() {
  const core = require(join(repo, 'dist', 'core.js'));
  core.configureLocalModels({ workerPath, allowRemoteDownloads: false });
  const generator = new core.HuggingFaceLocalGenerator({
    model: modelPath,
    task: 'text-generation',
    generationKwargs: { max_new_tokens: TOKENS },
  });
  let firstTokenMs;
  const t0 = performance.now();
  await generator.run(PROMPT, {
    generationKwargs: { max_new_tokens: 8 },
    streamingCallback: () => (firstTokenMs ??= performance.now() - t0),
  });
  return { core, generator, firstTokenMs };
}

/** Tokens per second of one call that returns how many tokens it generated. */
async function rate(generate) {
  const start = performance.now();
  const tokens = await generate();
  return tokens / ((performance.now() - start) / 1000);
}

const inProcess = await loadInProcess();
const worker = await startWorker();
// The three ways run in turn, so that load from other processes on the machine falls on all of them alike.
const rates = { inProcess: [], worker: [], streamed: [] };
for (let run = 0; run < RUNS; run++) {
  rates.inProcess.push(
    await rate(
      async () =>
        (await inProcess.generator(PROMPT, { max_new_tokens: TOKENS, return_full_text: false }))[0].generated_text
          .length,
    ),
  );
  rates.worker.push(await rate(async () => (await worker.generator.run(PROMPT)).meta[0].usage.completion_tokens));
  rates.streamed.push(
    await rate(
      async () =>
        (await worker.generator.run(PROMPT, { streamingCallback: () => undefined })).meta[0].usage.completion_tokens,
    ),
  );
}
await worker.core.shutdownLocalModels();

const rows = [
  ['in-process (transformers.js)', median(rates.inProcess), `model load ${inProcess.loadMs.toFixed(0)} ms`],
  [
    'worker, not streamed',
    median(rates.worker),
    `cold start (fork, load) to first token ${worker.firstTokenMs.toFixed(0)} ms`,
  ],
  ['worker, streamed per token', median(rates.streamed), 'one IPC chunk per token'],
];
console.log(
  `\ntiny-gpt2-chat, ${TOKENS} new tokens, median of ${RUNS} runs, node ${process.version}, ${process.platform}-${process.arch}\n`,
);
console.log(`| ${'where'.padEnd(30)} | ${'tokens/s'.padStart(9)} | notes`);
console.log(`|${'-'.repeat(32)}|${'-'.repeat(11)}|${'-'.repeat(40)}`);
for (const [where, rate, note] of rows) console.log(`| ${where.padEnd(30)} | ${rate.toFixed(0).padStart(9)} | ${note}`);
