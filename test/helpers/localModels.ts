// Shared setup for tests that run local generators through the real worker process.
// Preconditions: `npm run build` (the worker bundle dist/local-model-worker.js); the tiny models are built here.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configureLocalModels } from '../../src/generators/huggingFaceLocal/localModels';

const repo = resolve(__dirname, '..', '..');
export const workerPath = join(repo, 'dist', 'local-model-worker.js');
const modelsDir = join(repo, 'test', 'models', '.built');

/** Byte-level decoder: a->b ... z->end of turn, digits count up forever, `<|tools|>` -> a get_weather call. */
export const chatModelPath = join(modelsDir, 'tiny-gpt2-chat');
/** Encoder-decoder that copies its input. */
export const copyModelPath = join(modelsDir, 'tiny-t5');
export const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** Builds the test models (idempotent, well under a second) and points the worker at dist/ and a temp cache. */
export function prepareLocalModels(options: { idleTimeoutMs?: number } = {}): void {
  if (!existsSync(workerPath)) throw new Error(`${workerPath} is missing: run 'npm run build' before the unit tests.`);
  execFileSync(process.execPath, [join(repo, 'scripts', 'build-test-models.mjs')], { stdio: 'ignore' });
  configureLocalModels({
    workerPath,
    cacheDir: mkdtempSync(join(tmpdir(), 'generators-models-')),
    allowRemoteDownloads: false,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
  });
}

/** Resolves when `predicate` holds, polling every 10 ms; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
