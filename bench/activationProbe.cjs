// One cold activation of an extension bundle in a fresh Node process, for bench/activation.ts.
// Usage: node bench/activationProbe.cjs <bundle.js> <extension root>
// Loads the bundle with `vscode` resolved to test/helpers/vscodeStub.cjs, runs activate(), then resolves the chat view
// the way VS Code does when it is shown, and prints one JSON line: the times (cpuMs: the process's CPU time for
// load + activate + view), what was registered, which modules
// (files outside Node itself) and child processes activation started, including ones started asynchronously
// shortly after activate() returned.
'use strict';
const path = require('node:path');
const childProcess = require('node:child_process');

const [bundle, root] = process.argv.slice(2);
const fake = require('../test/helpers/vscodeStub.cjs');
fake.installVscodeStub();

const started = [];
for (const name of ['fork', 'spawn', 'execFile', 'exec']) {
  const original = childProcess[name];
  childProcess[name] = function (...args) {
    started.push(`${name} ${String(args[0])}`);
    return original.apply(this, args);
  };
}

async function main() {
  const before = new Set(Object.keys(require.cache));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const extension = require(path.resolve(bundle));
  const t1 = performance.now();
  await extension.activate(fake.extensionContext(path.resolve(root)));
  const t2 = performance.now();
  const provider = fake.registrations.webviewViews[0];
  let viewMs = null;
  if (provider) {
    const { view, ready } = fake.webviewView(provider.id);
    await provider.provider.resolveWebviewView(
      view,
      { state: undefined },
      { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) },
    );
    await ready;
    viewMs = performance.now() - t2;
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  // Work that activation starts without awaiting it (a pre-warmed SDK, a worker) shows up within this window.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const loaded = Object.keys(require.cache).filter((file) => !before.has(file) && file !== path.resolve(bundle));
  console.log(
    JSON.stringify({
      loadMs: t1 - t0,
      activateMs: t2 - t1,
      viewMs,
      cpuMs,
      views: fake.registrations.webviewViews.map((v) => v.id),
      commands: fake.registrations.commands.length,
      otherRegistrations: fake.registrations.other,
      modules: loaded.map((file) => path.relative(path.resolve(root), file)),
      // Filled by the package-recording build of bench/activation.ts; absent for an ordinary bundle.
      packages: globalThis.benchLoadedPackages ?? null,
      childProcesses: started,
    }),
  );
  await extension.deactivate?.();
  process.exit(0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
