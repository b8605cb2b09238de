// ESLint: typescript-eslint's syntax rules, and import rules that keep the layers apart and the graph acyclic.
// Layers, bottom to top: src/core (plain TypeScript) <- src/generators, src/worker <- src/host, src/extension.ts.
// src/shared is the host<->webview contract; webview/ sees nothing else of src/. Prettier owns formatting.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** `vscode` exists only inside the extension host: a layer below it that imports it could not run outside VS Code. */
const noVscode = {
  name: 'vscode',
  message: 'Only src/host and src/extension.ts may import vscode: this layer must run in plain Node or a browser.',
};

/** Each layer and the folders it must not import from (a zone per layer, checked on resolved paths). */
const layerZones = [
  {
    target: './src/core',
    from: [
      './src/generators',
      './src/worker',
      './src/host',
      './src/shared',
      './webview',
      './src/extension.ts',
      './src/index.ts',
    ],
    message: 'src/core is the bottom layer: it imports only src/core (and npm/Node modules).',
  },
  {
    target: ['./src/generators', './src/worker'],
    from: ['./src/host', './src/shared', './webview', './src/extension.ts', './src/index.ts'],
    message: 'Generators and the local-model worker know nothing of the VS Code host, its webview or their protocol.',
  },
  {
    target: './src/shared',
    from: ['./src/generators', './src/worker', './src/host', './webview', './src/extension.ts', './src/index.ts'],
    message: 'src/shared is the host<->webview contract: it depends on nothing else of the project.',
  },
  {
    // The one exception: the cost label, a core leaf without imports that the webview shows the same way.
    target: './src/shared',
    from: './src/core',
    except: ['./costLabel.ts'],
    message: 'src/shared is the host<->webview contract: of the core it may use only costLabel.ts, a leaf.',
  },
  {
    target: './webview',
    from: ['./src/core', './src/generators', './src/worker', './src/host', './src/extension.ts', './src/index.ts'],
    message: 'The webview talks to the host only through src/shared (the protocol); it imports nothing else of src/.',
  },
  {
    target: './src/host',
    from: ['./webview', './src/extension.ts', './src/index.ts'],
    message: 'The host imports generators and core directly, never the webview bundle or the entry points.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'out/',
      'node_modules/',
      '.vscode-test/',
      'test/e2e/artifacts/',
      'test/models/.built/',
      'test/vscode-server/node_modules/',
      'test/vscode-server/node24/node_modules/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    settings: {
      // Imported modules are parsed to follow their imports (for no-cycle); .ts files need the TypeScript parser.
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'webview/tsconfig.json', 'test/vscode-server/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      // A cycle makes module order matter at load time; type-only imports are erased and do not count. Cycles
      // inside npm packages are not ours to fix, and parsing their typings would triple the lint time.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      // Unused arguments are part of a signature (callbacks, interfaces); `_` marks the ones meant to be unused.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**', 'src/generators/**', 'src/worker/**', 'src/shared/**', 'src/index.ts', 'webview/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    // Both run in the webview (a browser): Node's modules do not exist there.
    files: ['src/shared/**', 'webview/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'import-x/no-nodejs-modules': 'error' },
  },
  {
    files: ['bench/webviewRelayPage.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, acquireVsCodeApi: 'readonly' } },
  },
  {
    // Tests and benchmarks read JSON bodies and driver results of any shape; the product code may not.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // One concept per file: a file past 400 lines is asking to be split.
    files: ['src/**', 'webview/**'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
);
