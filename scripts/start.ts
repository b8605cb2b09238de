// `npm start`: opens the extension in the offline VS Code (code-server from test/vscode-server) with a workspace
// whose default chat generator is the tiny local model from `npm run models`, so nothing asks for an API key.
// The package.json script installs the offline VS Code and builds the extension and the models first.
// Prints the URL (and opens it when a display is present); Ctrl+C stops code-server and everything it started.
// Options: `--port <n>` (default 8080, or $PORT). The profile and workspace persist in .vscode-test/start/.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, startCodeServer } from '../test/vscode-server/codeServer';

const localChatModel = join(repoRoot, 'test', 'models', '.built', 'tiny-gpt2-chat');
const startDir = join(repoRoot, '.vscode-test', 'start');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '8080' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535)
    throw new Error(`--port must be a TCP port number, got "${values.port}".`);

  const workspace = join(startDir, 'workspace');
  writeWorkspaceSettings(workspace);
  if (!existsSync(localChatModel)) {
    console.warn(
      `start: ${localChatModel} is missing, so the "Local chat" generator will fail until \`npm run models\` builds it.`,
    );
  }

  const server = await startCodeServer({ stateDir: join(startDir, 'state'), port });
  const url = server.workbenchUrl({ folder: workspace });
  console.log(`\nGenerators is running in VS Code at:\n\n  ${url}\n\nPress Ctrl+C to stop.\n`);
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) openInBrowser(url);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('start: stopping code-server');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The default chat generator needs no key: a local model the project builds itself. */
function writeWorkspaceSettings(workspace: string): void {
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const settings = {
    'generators.generators': [
      {
        name: 'Local chat',
        type: 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator',
        init_parameters: { model: localChatModel },
      },
    ],
    'generators.defaultChatGenerator': 'Local chat',
  };
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

function openInBrowser(url: string): void {
  const opener = spawn('xdg-open', [url], { stdio: 'ignore', detached: true });
  opener.on('error', () => console.log('start: could not run xdg-open; open the URL above yourself.'));
  opener.unref();
}

main().catch((error: unknown) => {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
