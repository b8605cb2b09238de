// Compiles the integration suite for the extension host: esbuild bundles index.ts and each *.test.ts into
// out/integration/ (gitignored) as CommonJS, with `vscode` and npm packages left to be required at run time
// (they resolve from the repository's node_modules), and the project's own sources (src/, test/servers/) inlined.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const sourceDir = __dirname;
export const integrationOutDir = join(__dirname, '..', '..', 'out', 'integration');

/** Builds the suite afresh (so deleted tests do not linger) and returns the compiled entry for `extensionTestsPath`. */
export async function buildIntegrationTests(): Promise<string> {
  const tests = readdirSync(sourceDir, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.test.ts'),
  );
  rmSync(integrationOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: ['index.ts', ...tests].map((file) => join(sourceDir, file)),
    outbase: sourceDir,
    outdir: integrationOutDir,
    bundle: true,
    packages: 'external',
    external: ['vscode'],
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return join(integrationOutDir, 'index.js');
}

// Run directly (`npx tsx test/integration/build.ts`, the "Integration Tests" launch configuration's pre-launch task):
// builds the suite and makes the empty workspace folder that configuration opens.
if (require.main === module) {
  mkdirSync(join(__dirname, '..', '..', '.vscode-test', 'launch', 'workspace'), { recursive: true });
  buildIntegrationTests().then(
    (entry) => console.log(`integration tests built: ${entry}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
