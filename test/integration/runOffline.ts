// `npm run test:integration`: runs the integration suite in a real VS Code extension host without a download.
// code-server (VS Code server + workbench, from test/vscode-server) is opened in headless chromium; the workbench's
// smoke-test driver loads the extension and runs out/integration/index.js, forwarding the mocha output through
// `window.codeAutomationLog` and the result through `window.codeAutomationExit`. Exits with that result.
// Options: `--grep <pattern>` (only matching tests), `--verbose` (also print code-server's and the workbench's logs).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { format, parseArgs } from 'node:util';
import { launchChromium } from '../vscode-server/browser';
import { builtinsTestsDoNotNeed, repoRoot, startCodeServer } from '../vscode-server/codeServer';
import { buildIntegrationTests } from './build';
import { reportEnd, reportStart } from './index';

/** The whole run, startup included; a hung extension host fails the run instead of hanging CI. */
const RUN_TIMEOUT_MS = 10 * 60_000;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { grep: { type: 'string' }, verbose: { type: 'boolean', default: false } } });
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const testsPath = await buildIntegrationTests();

  mkdirSync(join(repoRoot, '.vscode-test'), { recursive: true });
  const runDir = mkdtempSync(join(repoRoot, '.vscode-test', 'integration-'));
  const workspace = join(runDir, 'workspace');
  mkdirSync(workspace);
  if (values.grep) process.env.GENERATORS_TEST_GREP = values.grep;
  const verboseLog = values.verbose ? (line: string) => console.error(`[code-server] ${line}`) : undefined;

  const server = await startCodeServer({
    stateDir: join(runDir, 'state'),
    log: verboseLog,
    skipBuiltinExtensions: builtinsTestsDoNotNeed,
  });
  const browser = await launchChromium().catch(async (error) => {
    await server.stop();
    throw error;
  });
  let code = 1;
  try {
    const page = await browser.newPage();
    let reportExit: (code: number) => void = () => {};
    const exited = new Promise<number>((done) => (reportExit = done));
    await page.exposeFunction('codeAutomationExit', (exitCode: number) => reportExit(exitCode));
    await page.exposeFunction('codeAutomationLog', automationLogPrinter(values.verbose ?? false));
    page.on('pageerror', (error) => values.verbose && console.error(`[workbench] ${error.message}`));
    page.on('crash', () => {
      console.error('integration: the workbench page crashed');
      reportExit(1);
    });
    await page.goto(server.workbenchUrl({ folder: workspace, extensionTestsPath: testsPath }));
    console.log(`integration: workbench loaded after ${seconds()} s`);
    code = await withTimeout(
      exited,
      RUN_TIMEOUT_MS,
      `the integration run did not finish within ${RUN_TIMEOUT_MS / 60_000} min`,
    );
  } finally {
    await browser.close();
    await server.stop();
    // The profile and logs of a failed run stay for inspection.
    if (code === 0) rmSync(runDir, { recursive: true, force: true });
    else console.error(`integration: logs and profile kept in ${runDir}`);
  }
  console.log(`integration: ${code === 0 ? 'passed' : `failed (exit code ${code})`} in ${seconds()} s`);
  return code;
}

/** Informational workbench lines that land inside the report window and say nothing about the tests. */
const workbenchChatter = [
  /additional builtin extensions/,
  /^Creation of workbench contribution .* took/,
  /authentication provider 'github'/,
];

/**
 * The workbench forwards every log line of the page here, the extension host's console included. The mocha report
 * (between index.ts's markers) is printed as it is; the workbench's own lines only with --verbose, or when they are
 * warnings or errors raised while the tests run.
 */
function automationLogPrinter(verbose: boolean): (level: string, args: unknown[]) => void {
  let inReport = false;
  return (level, args) => {
    const text = format(...args);
    if (text === reportStart) inReport = true;
    else if (text === reportEnd) inReport = false;
    else if (!verbose && workbenchChatter.some((pattern) => pattern.test(text))) return;
    else if (inReport && level === 'info') console.log(text);
    else if (verbose || (inReport && level !== 'trace' && level !== 'debug'))
      console.log(`[workbench ${level}] ${text}`);
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`integration: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
