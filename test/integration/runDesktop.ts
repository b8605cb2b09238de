// `npm run test:desktop`: runs the integration suite (the same index.ts entry as the offline runner) in desktop VS
// Code through @vscode/test-electron, which downloads VS Code into .vscode-test/ on first use: for machines with
// internet access. The offline runner (`npm run test:integration`) is the one CI uses.
// Options: `--grep <pattern>`; VSCODE_TEST_VERSION picks the VS Code version (default: the latest stable).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { buildIntegrationTests } from './build';

const repoRoot = resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { grep: { type: 'string' } } });
  const started = performance.now();
  const extensionTestsPath = await buildIntegrationTests();
  mkdirSync(join(repoRoot, '.vscode-test'), { recursive: true });
  const runDir = mkdtempSync(join(repoRoot, '.vscode-test', 'desktop-'));
  const workspace = join(runDir, 'workspace');
  mkdirSync(workspace);
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      extensionTestsEnv: values.grep ? { GENERATORS_TEST_GREP: values.grep } : undefined,
      // A fresh profile without the user's extensions, like the offline runner's.
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--user-data-dir',
        join(runDir, 'user-data'),
      ],
    });
    rmSync(runDir, { recursive: true, force: true });
    console.log(`desktop integration: passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    console.error(`desktop integration: failed: ${error instanceof Error ? error.message : String(error)}`);
    console.error(`desktop integration: profile kept in ${runDir}`);
    return 1;
  }
}

main().then((code) => process.exit(code));
