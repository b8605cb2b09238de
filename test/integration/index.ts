// The one entry of the integration suite, run inside the extension host by both runners (runOffline.ts and
// runDesktop.ts): VS Code calls `run()` and treats a rejection as failure. Mocha loads every compiled
// `*.test.js` beside this file (see build.ts); GENERATORS_TEST_GREP narrows the run, as `--grep` does for mocha.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Mark the mocha report in the extension host's console, which the offline runner receives mixed with the workbench's log. */
export const reportStart = '--- generators integration tests ---';
export const reportEnd = '--- end of generators integration tests ---';

export async function run(): Promise<void> {
  // mocha is ESM-only; a dynamic import keeps this CommonJS entry loadable by the extension host.
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: 30_000,
    grep: process.env.GENERATORS_TEST_GREP || undefined,
  });
  const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(join(__dirname, file));
  await mocha.loadFilesAsync();
  console.log(reportStart);
  const failures = await new Promise<number>((done) => mocha.run(done));
  console.log(reportEnd);
  if (failures > 0) throw new Error(`${failures} integration test(s) failed.`);
}
