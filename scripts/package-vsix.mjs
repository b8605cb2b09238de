// `npm run package [-- --target <target>]`: one platform's .vsix (default: this machine's platform), written to
// vscode-generators-<target>-<version>.vsix. Each .vsix carries only its own platform's native binaries:
//   - onnxruntime-node ships every platform's (~290 MB); the others are left out;
//   - sharp's binary comes from a per-platform npm package that npm installs only for the machine it runs on. For
//     another target, its packages (versions and checksums from package-lock.json) are fetched from the npm registry
//     with `npm pack`, put into node_modules/@img/ for the packaging and removed afterwards.
// darwin-x64 is not a target: onnxruntime-node has no Intel macOS binary, so local models could not run there.
// README's relative links (SECURITY.md) stay relative and point into the package: the repository is not public,
// so there is no URL to rewrite them to (vsce needs --allow-missing-repository and --no-rewrite-relative-links).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
const { values } = parseArgs({
  options: { target: { type: 'string', default: `${process.platform}-${process.arch}` } },
});
const target = values.target;
if (!TARGETS.includes(target)) {
  console.error(`Unknown target "${target}". Use one of: ${TARGETS.join(', ')}.`);
  process.exit(2);
}
const [os, cpu] = target.split('-');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages;

const onnxBin = 'node_modules/onnxruntime-node/bin/napi-v6';
if (!existsSync(join(onnxBin, os, cpu))) {
  console.error(`onnxruntime-node has no binary for ${target} in ${onnxBin}: local models could not run there.`);
  process.exit(1);
}
const prune = [];
for (const platform of readdirSync(onnxBin)) {
  for (const arch of readdirSync(join(onnxBin, platform))) {
    if (platform !== os || arch !== cpu) prune.push(`${onnxBin}/${platform}/${arch}/**`);
  }
}

const added = addSharpFor(target);
try {
  for (const pkg of readdirSync('node_modules/@img')) {
    if (/^sharp-(libvips-)?/.test(pkg) && !pkg.endsWith(`-${os}-${cpu}`)) prune.push(`node_modules/@img/${pkg}/**`);
  }
  const ignoreFile = join(mkdtempSync(join(tmpdir(), 'vsix-')), '.vscodeignore');
  writeFileSync(ignoreFile, `${readFileSync('.vscodeignore', 'utf8')}\n${prune.join('\n')}\n`);

  execFileSync('node', ['esbuild.mjs', '--production'], { stdio: 'inherit' });
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  const out = `vscode-generators-${target}-${version}.vsix`;
  const vsce = ['vsce', 'package', '--target', target, '--ignoreFile', ignoreFile, '--out', out];
  vsce.push('--allow-missing-repository', '--no-rewrite-relative-links');
  execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', vsce, { stdio: 'inherit' });
  console.log(`${out}: ${(statSync(out).size / 1024 / 1024).toFixed(1)} MB`);
} finally {
  for (const folder of added) rmSync(folder, { recursive: true, force: true });
}

/**
 * Makes sure sharp's packages for `target` are in node_modules/@img/ (npm installed only this machine's) and returns
 * the folders it added, to be removed after packaging.
 */
function addSharpFor(target) {
  const main = `node_modules/@img/sharp-${target}`;
  const entry = lock[main];
  if (!entry) throw new Error(`package-lock.json has no ${main}: sharp does not support ${target}.`);
  const wanted = [main, ...Object.keys(entry.optionalDependencies ?? {}).map((name) => `node_modules/${name}`)];
  const missing = wanted.filter((folder) => !existsSync(folder));
  if (missing.length === 0) return [];
  const downloads = mkdtempSync(join(tmpdir(), 'vsix-sharp-'));
  try {
    for (const folder of missing) fetchInto(folder, downloads);
  } catch (error) {
    for (const folder of missing) rmSync(folder, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(downloads, { recursive: true, force: true });
  }
  return missing;
}

/** Fetches the lockfile's version of the package at `folder` with `npm pack`, checks its checksum, unpacks it there. */
function fetchInto(folder, downloads) {
  const { version, integrity } = lock[folder];
  const name = folder.slice('node_modules/'.length);
  console.log(`package: fetching ${name}@${version} for ${target}`);
  const [{ filename }] = JSON.parse(
    execFileSync(npm, ['pack', `${name}@${version}`, '--json', '--pack-destination', downloads], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const tarball = join(downloads, filename);
  const [algorithm, expected] = integrity.split('-');
  const actual = createHash(algorithm).update(readFileSync(tarball)).digest('base64');
  if (actual !== expected) throw new Error(`${name}@${version}: checksum differs from package-lock.json.`);
  mkdirSync(folder, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', folder, '--strip-components=1']);
}
