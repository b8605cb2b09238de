// Packages one platform's .vsix (`npm run package -- --target linux-x64`; default: this machine's platform).
// onnxruntime-node ships native binaries for every platform (~290 MB); each .vsix keeps only its own, and sharp's
// platform packages come from npm's optional dependencies, so build each target on that platform (or after
// `npm install --os=<os> --cpu=<cpu>`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
const targetArg = process.argv.indexOf('--target');
const target = targetArg > 0 ? process.argv[targetArg + 1] : `${process.platform}-${process.arch}`;
if (!TARGETS.includes(target)) {
  console.error(`Unknown target "${target}". Use one of: ${TARGETS.join(', ')}.`);
  process.exit(2);
}
const [os, cpu] = target.split('-');

const onnxBin = 'node_modules/onnxruntime-node/bin/napi-v6';
const prune = [];
for (const platform of readdirSync(onnxBin)) {
  for (const arch of readdirSync(join(onnxBin, platform))) {
    if (platform !== os || arch !== cpu) prune.push(`${onnxBin}/${platform}/${arch}/**`);
  }
}
for (const pkg of readdirSync('node_modules/@img')) {
  if (/^sharp-(libvips-)?/.test(pkg) && !pkg.endsWith(`${os}-${cpu}`)) prune.push(`node_modules/@img/${pkg}/**`);
}
if (!existsSync(`node_modules/@img/sharp-${os}-${cpu}`)) {
  console.warn(`warning: sharp's binary for ${target} is not installed; the .vsix would not load local models there.`);
}

const ignoreFile = join(mkdtempSync(join(tmpdir(), 'vsix-')), '.vscodeignore');
writeFileSync(ignoreFile, `${readFileSync('.vscodeignore', 'utf8')}\n${prune.join('\n')}\n`);

execFileSync('node', ['esbuild.mjs', '--production'], { stdio: 'inherit' });
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `vscode-generators-${target}-${version}.vsix`;
execFileSync(
  'npx',
  ['vsce', 'package', '--target', target, '--ignoreFile', ignoreFile, '--allow-missing-repository', '--out', out],
  { stdio: 'inherit' },
);
console.log(`${out}: ${(statSync(out).size / 1024 / 1024).toFixed(1)} MB`);
