// Starts the offline VS Code (code-server, installed by ./setup.sh) for the integration tests, the e2e tests and
// `npm start`. Imports only Node built-ins so that scripts type-checked by the root tsconfig can use it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** This folder: the pinned installs live under it. */
export const vscodeServerDir = __dirname;
/** The repository root, which is also the extension's development path. */
export const repoRoot = resolve(__dirname, '..', '..');
/** Node 24 from the `node` npm package: code-server refuses older versions. */
const node24 = join(vscodeServerDir, 'node24', 'node_modules', 'node', 'bin', 'node');
const codeServerEntry = join(vscodeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export interface CodeServerOptions {
  /**
   * A folder for this instance's user data, extensions, HOME and config, so that nothing is read from or written to
   * the user's own VS Code or code-server setup. Created when missing; a fresh folder gives a fresh profile.
   */
  stateDir: string;
  /** User settings (`User/settings.json`) written before start, merged over quiet defaults. */
  userSettings?: Record<string, unknown>;
  /** A fixed port (npm start); by default a free one is picked. */
  port?: number;
  /** Built-in extensions to leave out, by id; see `builtinsTestsDoNotNeed`. */
  skipBuiltinExtensions?: readonly string[];
  /** Receives code-server's own output lines; silent by default. */
  log?: (line: string) => void;
}

/** What the workbench URL opens and loads. */
export interface WorkbenchTarget {
  /** The workspace folder to open. */
  folder: string;
  /**
   * Loads this folder as an extension under development (by default the repository root); `false` loads none, so
   * the workbench runs only what is installed in the extensions folder (see `installExtension`).
   */
  extensionDevelopmentPath?: string | false;
  /** A compiled module exporting `run(): Promise<void>`, run in the extension host like `@vscode/test-electron` does. */
  extensionTestsPath?: string;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The workbench URL that opens `target.folder` with the extension (and tests) loaded. */
  workbenchUrl(target: WorkbenchTarget): string;
  /** Kills code-server's whole process group (the extension hosts outlive a killed parent otherwise). */
  stop(): Promise<void>;
}

/** Settings that keep a test profile quiet: no welcome page, no tips, no update or telemetry traffic. */
const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
};

/**
 * Built-in extensions that the tests never use and that cost CPU at every start on a small machine (git scans the
 * workspace, TypeScript starts a server, the GitHub ones wait for sign-in). `npm start` keeps them.
 */
export const builtinsTestsDoNotNeed: readonly string[] = [
  'vscode.git',
  'vscode.git-base',
  'vscode.github',
  'vscode.github-authentication',
  'vscode.microsoft-authentication',
  'vscode.typescript-language-features',
  'vscode.emmet',
  'vscode.npm',
  'vscode.merge-conflict',
  'vscode.extension-editing',
  'vscode.debug-auto-launch',
];

const READY_TIMEOUT_MS = 60_000;

/** Throws with the fix when ./setup.sh has not been run. */
export function assertInstalled(): void {
  for (const file of [node24, codeServerEntry]) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: run \`npm run setup:vscode\` to install the offline VS Code.`);
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertInstalled();
  const stateDir = resolve(options.stateDir);
  const dirs = stateDirs(stateDir);
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  const skipped = options.skipBuiltinExtensions ?? [];
  // Skipped on the server, the web builds of the same extensions would start in a web-worker host instead: keeping
  // them on the server side ("workspace") leaves them nowhere.
  const keepOffTheWebWorker = skipped.length
    ? { 'remote.extensionKind': Object.fromEntries(skipped.map((id) => [id, ['workspace']])) }
    : {};
  const settings = { ...quietSettings, ...keepOffTheWebWorker, ...options.userSettings };
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const configFile = join(stateDir, 'config.yaml');
  writeFileSync(configFile, 'auth: none\n');

  // code-server binds the port itself (0: any free one) and names it in its log, so no other process can take a
  // port picked in advance, and a fixed port already in use fails the start instead of reaching another server.
  const port = options.port ?? 0;
  const args = [
    codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--config',
    configFile,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    // Without this option the workbench ignores the `payload` URL parameter that loads the extension and its tests.
    '--vscode-option',
    'enable-smoke-test-driver',
  ];
  const env = codeServerEnvironment(dirs);
  if (skipped.length) env.VSCODE_SKIP_BUILTIN_EXTENSIONS = skipped.join(',');
  // `detached` makes the child a process-group leader (setsid), so stop() can reach the extension hosts too.
  const child = spawn(node24, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // The last lines explain a failed start (a port in use, a broken install).
  const recent: string[] = [];
  let listening: (url: string) => void = () => {};
  const listeningUrl = new Promise<string>((done) => (listening = done));
  forwardLines(child, (line) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    options.log?.(line);
    const match = /HTTP server listening on (http:\/\/[^/\s]+)/.exec(line);
    if (match) listening(match[1]);
  });

  const stop = () => stopGroup(child);
  try {
    const url = await waitUntilHealthy(listeningUrl, child, recent);
    return { url, workbenchUrl: (target) => workbenchUrl(url, target), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * This process's environment less what describes the tools that started it, which code-server (Node 24) and its
 * extension hosts would otherwise take as their own: `npm run` exports npm_config_* (its user agent names Node 20),
 * npm_package_*, npm_lifecycle_*, INIT_CWD and NODE; a VS Code terminal or debugger adds NODE_OPTIONS (js-debug's
 * bootloader), ELECTRON_RUN_AS_NODE and VSCODE_* (VSCODE_IPC_HOOK_CLI would send `code` calls to that other window).
 * Everything else stays: the tests hand secrets to the extension host through environment variables.
 */
export function environmentForCodeServer(parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const inherited = /^(npm_|INIT_CWD$|NODE$|NODE_OPTIONS$|ELECTRON_RUN_AS_NODE$|VSCODE_)/;
  return Object.fromEntries(Object.entries(parent).filter(([name]) => !inherited.test(name)));
}

/**
 * Installs a .vsix into the extensions folder of `stateDir` (the folder a later `startCodeServer` with the same
 * `stateDir` uses) with code-server's `--install-extension`, as `code --install-extension` does for a user. Returns
 * the folder the extension was unpacked into.
 */
export async function installExtension(vsix: string, stateDir: string): Promise<string> {
  assertInstalled();
  const dirs = stateDirs(resolve(stateDir));
  const before = new Set(readdirSync(dirs.extensions));
  const args = [codeServerEntry, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData];
  await new Promise<void>((done, fail) =>
    execFile(
      node24,
      [...args, '--install-extension', resolve(vsix)],
      { env: codeServerEnvironment(dirs), timeout: 120_000 },
      (error, stdout, stderr) =>
        error
          ? fail(new Error(`code-server --install-extension ${vsix} failed: ${error.message}\n${stdout}${stderr}`))
          : done(),
    ),
  );
  const added = readdirSync(dirs.extensions).filter((name) => !before.has(name) && !name.startsWith('.'));
  const folder = added.find((name) => existsSync(join(dirs.extensions, name, 'package.json')));
  if (!folder) throw new Error(`code-server installed ${vsix} but no new extension folder is in ${dirs.extensions}.`);
  return join(dirs.extensions, folder);
}

/** The folders of one instance's state, created when missing. */
function stateDirs(stateDir: string) {
  const dirs = {
    home: join(stateDir, 'home'),
    userData: join(stateDir, 'user-data'),
    extensions: join(stateDir, 'extensions'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

function codeServerEnvironment(dirs: ReturnType<typeof stateDirs>): NodeJS.ProcessEnv {
  return {
    ...environmentForCodeServer(process.env),
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    // An empty gallery turns the marketplace off: the tests are offline and must not wait on lookups that fail.
    EXTENSIONS_GALLERY: '{}',
  };
}

function workbenchUrl(base: string, target: WorkbenchTarget): string {
  const authority = new URL(base).host;
  const remote = (path: string) => `vscode-remote://${authority}${resolve(path)}`;
  const payload: [string, string][] = [];
  if (target.extensionDevelopmentPath !== false)
    payload.push(['extensionDevelopmentPath', remote(target.extensionDevelopmentPath ?? repoRoot)]);
  if (target.extensionTestsPath) payload.push(['extensionTestsPath', remote(target.extensionTestsPath)]);
  const query = new URLSearchParams({ folder: resolve(target.folder), payload: JSON.stringify(payload) });
  return `${base}/?${query}`;
}

/** Waits for code-server to name the address it listens on, then for that address to answer; returns it. */
async function waitUntilHealthy(listeningUrl: Promise<string>, child: ChildProcess, recent: string[]): Promise<string> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited: string | undefined;
  child.once(
    'exit',
    (code, signal) => (exited = `code-server exited (${signal ?? code}) before it was ready:\n${recent.join('\n')}`),
  );
  let url: string | undefined;
  void listeningUrl.then((found) => (url = found));
  while (Date.now() < deadline) {
    if (exited) throw new Error(exited);
    try {
      if (url && (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok) return url;
    } catch {
      // Not answering yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(
    `code-server was not ready (${url ? `no answer from ${url}/healthz` : 'it named no address'}) within ` +
      `${READY_TIMEOUT_MS / 1000} s:\n${recent.join('\n')}`,
  );
}

async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((done) => child.once('exit', () => done()));
  signalGroup(pid, 'SIGTERM');
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((done) => setTimeout(() => done(true), 5_000).unref()),
  ]);
  // Whatever is left of the group (an extension host that ignored SIGTERM) goes now.
  signalGroup(pid, 'SIGKILL');
  if (timedOut) await exited;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function forwardLines(child: ChildProcess, log: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    let pending = '';
    stream?.on('data', (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) log(line);
    });
  }
}
