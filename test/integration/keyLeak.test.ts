// A planted key through a session in the real extension host: stored with 'Generators: Set API Key', used by the
// editor commands, the chat panel and image generation, quoted back by providers that reject it, exported as
// Haystack components. Afterwards every file of the test profile (settings, logs with the `Generators` output
// channel, global storage with the saved conversations, the workspace) is scanned for it, as are the errors the
// commands threw and the exports: zero hits. The providers must have received it, in their auth header.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inspect } from 'node:util';
import * as vscode from 'vscode';
import { openAIChatRoutes } from '../servers/openaiChatCompletions';
import { openAIImagesRoutes } from '../servers/openaiImages';
import { sendJson, startTestServer, type Handler, type TestServer } from '../servers/testServer';

const KEY_NAME = 'GENERATORS_IT_LEAK_KEY';
const KEY = `sk-itleakcanary-${randomBytes(12).toString('hex')}`;
const CHAT_TYPE = 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
const DALLE_TYPE = 'haystack.components.generators.openai_dalle.DALLEImageGenerator';
const secretRef = { type: 'env_var', env_vars: [KEY_NAME], strict: true };
const MARKER = `leak-marker-${randomBytes(4).toString('hex')}`;

const run = <T>(command: string, options: Record<string, unknown> = {}) =>
  vscode.commands.executeCommand<T>(`generators.${command}`, options) as Promise<T>;

async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('generators').update(key, value, vscode.ConfigurationTarget.Global);
  await eventually(
    `setting ${key}`,
    () => JSON.stringify(vscode.workspace.getConfiguration('generators').get(key)) === JSON.stringify(value),
  );
}

/** A provider rejecting the key and quoting it back, as OpenAI's "Incorrect API key provided: sk-..." does. */
const echoingRejection: Handler = (request, response) => {
  const sent = String(request.headers.authorization ?? '');
  sendJson(response, 401, {
    error: {
      message: `Incorrect API key provided: ${sent.replace(/^Bearer /, '')} (header "${sent}").`,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  });
};

/** The key or a distinctive part of it. */
function leaks(text: string): boolean {
  const secret = KEY.slice('sk-itleakcanary-'.length);
  return [KEY, secret.slice(0, 12), secret.slice(-12)].some((needle) => text.includes(needle));
}

/** Every regular file under `root` (bounded in size), with the ones that contain `needle`. */
function scan(root: string, needle: (text: string) => boolean): { files: number; hits: string[]; texts: string[] } {
  const result = { files: 0, hits: [] as string[], texts: [] as string[] };
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      let stats;
      try {
        stats = statSync(path);
      } catch {
        continue;
      }
      if (stats.isDirectory()) {
        if (name !== 'node_modules' && name !== 'extensions') walk(path);
      } else if (stats.isFile() && stats.size < 64 * 1024 * 1024) {
        result.files++;
        const text = readFileSync(path).toString('latin1');
        result.texts.push(text);
        if (needle(text)) result.hits.push(path);
      }
    }
  };
  walk(root);
  return result;
}

/** The test profile's root (code-server's state dir: home, user-data, ...), or undefined outside the offline runner. */
function profileRoot(): string | undefined {
  const home = process.env.HOME ?? '';
  const root = dirname(home);
  return basename(home) === 'home' && existsSync(join(root, 'user-data')) ? root : undefined;
}

describe('a planted key in the real extension host', function () {
  this.timeout(120_000);
  let chat: TestServer;
  let images: TestServer;

  before(async () => {
    await vscode.extensions.getExtension('generators-dev.vscode-generators')!.activate();
    chat = await startTestServer(openAIChatRoutes());
    images = await startTestServer(openAIImagesRoutes({ apiKey: KEY }));
  });

  after(async () => {
    await run('clearApiKey', { envVar: KEY_NAME });
    for (const key of ['generators', 'defaultChatGenerator', 'defaultImageGenerator', 'logPrompts']) {
      await vscode.workspace.getConfiguration('generators').update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await chat?.close();
    await images?.close();
  });

  it('reaches only the providers’ auth headers: no hit in any profile file, error, export or setting', async function () {
    const root = profileRoot();
    if (!root) this.skip();
    await setSetting('generators', [
      {
        name: 'Leak GPT',
        type: CHAT_TYPE,
        init_parameters: { model: 'gpt-4o-mini', api_base_url: `${chat.url}/v1`, api_key: secretRef, max_retries: 0 },
      },
      {
        name: 'Leak DALL-E',
        type: DALLE_TYPE,
        init_parameters: {
          model: 'dall-e-3',
          api_base_url: `${images.url}/v1`,
          api_key: secretRef,
          max_retries: 0,
          response_format: 'b64_json',
        },
      },
    ]);
    await setSetting('defaultChatGenerator', 'Leak GPT');
    await setSetting('defaultImageGenerator', 'Leak DALL-E');
    await setSetting('logPrompts', true);
    await run('setApiKey', { envVar: KEY_NAME, value: KEY });

    const document = await vscode.workspace.openTextDocument({
      language: 'typescript',
      content: `const ${MARKER.replace(/-/g, '_')} = 1;\n`,
    });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 0, 20);
    const errors: unknown[] = [];
    await run('explainSelection');
    await run('askAboutSelection', { question: `Is ${MARKER} safe?` });
    await eventually(
      'the chat panel request',
      () => chat.requests.some((r) => JSON.stringify(r.body).includes(`Is ${MARKER} safe?`)),
      30_000,
    );
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await run('generateAtCursor', { prompt: 'a sum function' });
    chat.enqueue(echoingRejection);
    errors.push(
      await run('explainSelection').then(
        () => assert.fail('the rejected key must fail the command'),
        (e: unknown) => e,
      ),
    );
    await run('generateImage', { prompt: 'a lighthouse', save: true });
    images.enqueue(echoingRejection);
    errors.push(
      await run('generateImage', { prompt: 'a lighthouse again' }).then(
        () => assert.fail('the rejected key must fail the command'),
        (e: unknown) => e,
      ),
    );
    const exports = [
      await run<string>('exportHaystackComponent', { name: 'Leak GPT', format: 'json' }),
      await run<string>('exportHaystackComponent', { name: 'Leak DALL-E', format: 'yaml' }),
    ];

    // The key was used: every request carried it in its auth header.
    for (const request of [...chat.requests, ...images.requests].filter(
      (r) => r.path.endsWith('/completions') || r.path.endsWith('/generations'),
    )) {
      assert.ok(leaks(String(request.headers.authorization)), `${request.path} was sent with the key`);
    }
    assert.ok(
      errors.every((e) => e instanceof Error && /401|rejected/.test(e.message)),
      errors.map(String).join(' | '),
    );

    // The log channel and the saved conversation reached disk (so the scan below covers them).
    await eventually(
      'the Generators log file and the saved conversation',
      () => {
        const { texts } = scan(root!, () => false);
        return (
          texts.some((t) => t.includes('explainSelection "Leak GPT"')) &&
          texts.some((t) => t.includes(`Is ${MARKER} safe?`) && t.includes('"messages"'))
        );
      },
      30_000,
    );

    const profile = scan(root!, leaks);
    assert.ok(profile.files > 10, `scanned ${profile.files} files`);
    assert.deepEqual(profile.hits, [], `the key is in: ${profile.hits.join(', ')}`);
    const elsewhere: Record<string, string> = {
      'command errors': errors.map((e) => `${String(e)} ${inspect(e, { depth: 4 })}`).join('\n'),
      exports: exports.join('\n'),
      settings: JSON.stringify(vscode.workspace.getConfiguration('generators')),
      'open documents': vscode.workspace.textDocuments.map((d) => d.getText()).join('\n'),
    };
    assert.deepEqual(
      Object.keys(elsewhere).filter((place) => leaks(elsewhere[place]!)),
      [],
    );
  });
});
