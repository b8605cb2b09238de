// Builds every bundle: extension host, public core API, local-model worker, chat webview.
// Type-checking is a separate step (`npm run typecheck`); esbuild only transpiles and bundles.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
};

// Provider SDKs (and ajv, for structured-output replies) are loaded with `import()` on first use; left in
// node_modules (shipped in the .vsix) they cost activation nothing, where bundled they would be parsed with the
// extension host bundle.
const loadedOnFirstUse = ['openai', '@huggingface/inference', 'undici', 'ajv', 'ajv-formats'];

const bundles = [
  // The extension host bundle; `vscode` is provided by the host at run time.
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...loadedOnFirstUse],
  },
  // The generator core for scripts and tests outside VS Code: no `vscode` import allowed.
  {
    ...common,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/core.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...loadedOnFirstUse],
  },
  // The local-model child process; the native ONNX runtime and transformers.js stay in node_modules.
  {
    ...common,
    entryPoints: ['src/worker/localModelWorker.ts'],
    outfile: 'dist/local-model-worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['@huggingface/transformers', 'onnxruntime-node', 'onnxruntime-web', 'sharp'],
  },
  // The chat webview, a browser bundle.
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

const contexts = await Promise.all(bundles.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
