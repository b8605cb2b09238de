// What an installed .vsix must and must not carry: the rules the installed-extension spec checks against the folder
// code-server unpacked it into (the same files as the .vsix's extension/ folder).
import { openSync, readdirSync, readFileSync, readSync, closeSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every file under `folder`, as paths relative to it with forward slashes, and their total size. */
export function listFiles(folder: string): { files: string[]; bytes: number } {
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(folder, path)).isFile())
    .map((path) => path.split(sep).join('/'))
    .sort();
  const bytes = files.reduce((sum, file) => sum + statSync(join(folder, file)).size, 0);
  return { files, bytes };
}

/** Files the extension cannot run without (vsce stores README.md as readme.md, LICENSE as LICENSE.txt). */
export const requiredFiles = [
  'package.json',
  'readme.md',
  'changelog.md',
  'LICENSE.txt',
  'SECURITY.md',
  'THIRD-PARTY-NOTICES.md',
  'media/icon.png',
  'media/generators.svg',
  'media/chat.css',
  'dist/extension.js',
  'dist/local-model-worker.js',
  'dist/webview.js',
];

/** Development files, by path: sources, tests, fixtures, test models, tooling, maps, lockfiles. */
const forbidden: [RegExp, string][] = [
  [/^(src|test|webview|scripts|bench|out|\.vscode|\.vscode-test|\.ci|\.github)\//, 'a development folder'],
  [/(^|\/)(test|tests|__tests__|spec|fixtures?|__fixtures__|benchmark)\//, 'tests or fixtures'],
  [/\.(ts|mts|cts|map|tsbuildinfo)$/, 'sources or source maps'],
  [/\.onnx(_data)?$|(^|\/)models\/\.built\//, 'a model built for the tests'],
  [/(^|\/)(tsconfig\.json|package-lock\.json|\.mocharc\.json|esbuild\.mjs|eslint\.config\.[cm]?js)$/, 'build tooling'],
  [/(^|\/)\.(gitignore|prettierignore|prettierrc[^/]*|npmignore|editorconfig)$/, 'a tool dotfile'],
  [/^dist\/core\.js$/, 'the core bundle for scripts'],
  [/\.vsix$/, 'a package'],
];

/** The platform a native binary was built for, from its header; undefined for anything else. */
export function binaryPlatform(path: string): string | undefined {
  const header = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32BE(0) === 0x7f454c46) {
    const machine = header.readUInt16LE(18);
    return `linux-${({ 0x3e: 'x64', 0xb7: 'arm64', 0x28: 'arm' } as Record<number, string>)[machine] ?? machine}`;
  }
  const magic = header.readUInt32LE(0);
  if (magic === 0xfeedfacf || magic === 0xfeedface) {
    const cpu = header.readUInt32LE(4);
    return `darwin-${({ 0x01000007: 'x64', 0x0100000c: 'arm64' } as Record<number, string>)[cpu] ?? cpu}`;
  }
  if (header.readUInt32BE(0) === 0xcafebabe && /\.(node|dylib)$/.test(path)) return 'darwin-universal';
  if (header.toString('latin1', 0, 2) === 'MZ' && /\.(node|dll|exe)$/i.test(path)) return 'win32';
  return undefined;
}

/** One line per file that should not be in the .vsix, or required file that is missing; empty when all is well. */
export function contentProblems(folder: string, files: string[], target: string): string[] {
  const problems: string[] = [];
  const present = new Set(files);
  for (const file of requiredFiles) if (!present.has(file)) problems.push(`${file}: missing`);
  for (const file of files) {
    const rule = forbidden.find(([pattern]) => pattern.test(file));
    if (rule) problems.push(`${file}: ${rule[1]}`);
    const platform = binaryPlatform(join(folder, file));
    if (platform && platform !== target) problems.push(`${file}: a native binary for ${platform}, not ${target}`);
  }
  // Every package the .vsix carries is named, with its version, in the third-party notices (`npm run notices`).
  const notices = readFileSync(join(folder, 'THIRD-PARTY-NOTICES.md'), 'utf8');
  for (const file of files) {
    if (!/(^|\/)node_modules\/(@[^/]+\/)?[^/@]+\/package\.json$/.test(file)) continue;
    const { name, version } = JSON.parse(readFileSync(join(folder, file), 'utf8')) as {
      name?: string;
      version?: string;
    };
    if (name && !notices.includes(`\n## ${name}@${version}\n`))
      problems.push(`${file}: ${name}@${version} is not in THIRD-PARTY-NOTICES.md (run \`npm run notices\`)`);
  }
  // README links that point into the package must find their file there (vsce leaves relative links as they are).
  const readme = readFileSync(join(folder, 'readme.md'), 'utf8');
  for (const [, link] of readme.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
    if (/^[a-z]+:/i.test(link)) continue;
    if (!present.has(relative('.', link).split(sep).join('/')))
      problems.push(`readme.md links to ${link}: not in the package`);
  }
  return problems;
}
