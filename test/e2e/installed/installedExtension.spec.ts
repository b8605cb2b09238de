// The extension as users run it: the .vsix that `npm run package` built for this platform, installed into a fresh
// profile with code-server's --install-extension and opened without the development checkout. Checks what the
// package carries, then activation, the chat view, a streamed reply from the offline OpenAI server, the tiny local
// model through the worker process, and an editor command. A run-time file left out of the .vsix, a native binary
// of another platform, or a bundling mistake fails here and nowhere else.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { completionReply, echoScript, openAIChatRoutes } from '../../servers/openaiChatCompletions';
import { startTestServer, type TestServer } from '../../servers/testServer';
import { repoRoot } from '../../vscode-server/codeServer';
import { extensionId, openWorkbench, type Workbench } from '../workbench';
import { contentProblems, listFiles } from './vsixContents';

const KEY_NAME = 'GENERATORS_E2E_INSTALLED_KEY';
const target = `${process.platform}-${process.arch}`;
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
/** Where `npm run package` writes this platform's package. */
const vsix = join(repoRoot, `vscode-generators-${target}-${version}.vsix`);
/** The editor command's request carries this; the server answers it with INSERTED. */
const CURSOR_REQUEST = 'a greeting for the installed extension';
const INSERTED = 'Hello from the installed extension';

/** The remote extension host's log of the profile `installed` is in (it names each extension it activates). */
function extensionHostLog(installed: string): string {
  const logs = join(dirname(dirname(installed)), 'user-data', 'logs');
  return readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('remoteexthost.log'))
    .map((file) => readFileSync(join(logs, file), 'utf8'))
    .join('\n');
}

describe('the installed .vsix (e2e)', function () {
  this.timeout(180_000);
  let server: TestServer;
  let workbench: Workbench;
  let failed = false;

  before(async function () {
    this.timeout(300_000);
    if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first.`);
    server = await startTestServer(
      openAIChatRoutes((request, response) => {
        const asked = echoScript(request).text ?? '';
        const script = asked.includes(CURSOR_REQUEST) ? { text: INSERTED } : echoScript(request);
        return completionReply({ ...script, chunkSize: 4 })(request, response);
      }),
    );
    process.env[KEY_NAME] = 'sk-e2e-installed';
    workbench = await openWorkbench({
      vsix,
      files: { 'notes.md': '# Notes\n\n' },
      workspaceSettings: {
        'generators.generators': [
          {
            name: 'Offline GPT',
            type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator',
            init_parameters: {
              model: 'gpt-4o-mini',
              api_base_url: `${server.url}/v1`,
              api_key: { type: 'env_var', env_vars: [KEY_NAME], strict: true },
              max_retries: 0,
            },
          },
          {
            name: 'Local tiny',
            type: 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator',
            init_parameters: {
              model: join(repoRoot, 'test', 'models', '.built', 'tiny-gpt2-chat'),
              task: 'text-generation',
              // A bare template: the test model continues the message's last letter up to "z".
              chat_template: '{% for m in messages %}{{ m.content }}{% endfor %}',
            },
          },
        ],
        'generators.defaultChatGenerator': 'Offline GPT',
        'generators.localModels.allowRemoteDownloads': false,
      },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    failed = true;
    console.log(
      `      screenshot: ${await workbench?.screenshot(this.currentTest.fullTitle()).catch((e: Error) => e.message)}`,
    );
  });

  after(async () => {
    await workbench?.close(failed);
    await server?.close();
    delete process.env[KEY_NAME];
  });

  it('carries only what runs: no sources, tests, fixtures, test models or other platforms’ binaries', () => {
    const folder = workbench.installedExtension!;
    const { files, bytes } = listFiles(folder);
    console.log(
      `      ${vsix.slice(repoRoot.length + 1)}: ${(statSync(vsix).size / 1024 / 1024).toFixed(1)} MB, ` +
        `${files.length} files (${(bytes / 1024 / 1024).toFixed(1)} MB installed)`,
    );
    assert.deepEqual(contentProblems(folder, files, target), []);
    assert.ok(
      files.some((file) => file.startsWith(`node_modules/onnxruntime-node/bin/napi-v6/${target.replace('-', '/')}/`)),
      `the ONNX runtime binary for ${target} is in the package`,
    );
  });

  it('is activated from the installed folder and streams a reply from the offline OpenAI server into the chat view', async () => {
    const chat = await workbench.openGeneratorsView();
    const input = chat.getByRole('textbox', { name: 'Message' });
    await input.fill('Hello, installed extension');
    await input.press('Enter');
    await chat
      .locator('.message.assistant[data-status="complete"] div.content')
      .getByText('Echo: Hello, installed extension')
      .waitFor();
    const request = server.requests.at(-1)!;
    assert.equal(request.body.stream, true);
    assert.equal(request.headers.authorization, 'Bearer sk-e2e-installed');
    // The workbench was opened without an extension development path: the one activated is the installed one.
    assert.ok(!workbench.page.url().includes('extensionDevelopmentPath'));
    assert.match(
      extensionHostLog(workbench.installedExtension!),
      new RegExp(`ExtensionService#_doActivateExtension ${extensionId.replace('.', '\\.')}\\b`),
    );
  });

  it('answers with the tiny local model through the worker process', async () => {
    const chat = await workbench.openGeneratorsView();
    await chat.getByLabel('Generator for this conversation').click();
    await chat.getByRole('option', { name: 'Local tiny' }).click();
    const input = chat.getByRole('textbox', { name: 'Message' });
    await input.fill('Count on from p');
    await input.press('Enter');
    const reply = chat.locator('.message.assistant[data-status="complete"]').last();
    await reply.locator('div.content').getByText('qrstuvwxyz', { exact: true }).waitFor({ timeout: 60_000 });
    assert.match((await reply.locator('footer.stats').textContent()) ?? '', /^Local tiny/);
  });

  it('runs an editor command: Generate at Cursor (default generator: the offline server) streams into the open file', async () => {
    const { page } = workbench;
    await page.keyboard.press('F1');
    const quickOpen = page.locator('.quick-input-widget input[type="text"]');
    await quickOpen.fill('notes.md');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'notes.md' }).first().click();
    const lines = page.locator('.monaco-editor .view-lines');
    await lines.getByText('# Notes').waitFor();
    await page.keyboard.press('Control+End');
    // The palette by hand: the command's own input box opens in the same widget the palette closes.
    await page.keyboard.press('F1');
    await quickOpen.fill('>Generators: Generate at Cursor');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Generate at Cursor' }).first().click();
    const prompt = page.locator('.quick-input-widget input[placeholder^="e.g. a function"]');
    await prompt.fill(CURSOR_REQUEST);
    await prompt.press('Enter');
    await lines.getByText(INSERTED).waitFor();
  });
});
