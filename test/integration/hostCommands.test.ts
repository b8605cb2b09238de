// Every command of the registry/secrets/editor/image issue, run in a real extension host against the offline
// OpenAI servers: settings -> registry, SecretStorage round trip, selection commands editing real documents,
// the image command saving inside the workspace.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { completionReply, openAIChatRoutes, stallAfter } from '../servers/openaiChatCompletions';
import { contentPolicyViolation, openAIImagesRoutes } from '../servers/openaiImages';
import { startTestServer, type TestServer } from '../servers/testServer';

const KEY_NAME = 'GENERATORS_IT_KEY';
const KEY_VALUE = 'sk-integration-7781';
const CHAT_TYPE = 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
const DALLE_TYPE = 'haystack.components.generators.openai_dalle.DALLEImageGenerator';
const secretRef = { type: 'env_var', env_vars: [KEY_NAME], strict: true };

/** Polls until `check` holds; fails with `what` after `ms` (no fixed sleeps). */
async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('generators').update(key, value, vscode.ConfigurationTarget.Global);
  await eventually(
    `setting ${key}`,
    () => JSON.stringify(vscode.workspace.getConfiguration('generators').get(key)) === JSON.stringify(value),
  );
}

async function openEditor(content: string, language = 'typescript'): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(document);
}

/** Runs a command the scripted way (with an options object), so failures reject instead of notifying. */
const run = <T>(command: string, options: Record<string, unknown> = {}) =>
  vscode.commands.executeCommand<T>(`generators.${command}`, options) as Promise<T>;

describe('host commands in the extension host', function () {
  this.timeout(60_000);
  let chat: TestServer;
  let images: TestServer;

  before(async () => {
    await vscode.extensions.getExtension('generators-dev.vscode-generators')!.activate();
    chat = await startTestServer(openAIChatRoutes());
    images = await startTestServer(openAIImagesRoutes({ apiKey: KEY_VALUE }));
    await setSetting('generators', [
      {
        name: 'Test GPT',
        type: CHAT_TYPE,
        init_parameters: { model: 'gpt-4o-mini', api_base_url: `${chat.url}/v1`, api_key: secretRef, max_retries: 0 },
      },
      {
        name: 'Test DALL-E',
        type: DALLE_TYPE,
        init_parameters: { model: 'dall-e-3', api_base_url: `${images.url}/v1`, api_key: secretRef, max_retries: 0 },
      },
      { name: 'Broken', type: CHAT_TYPE, init_parameters: { model: 42 } },
    ]);
    await setSetting('defaultChatGenerator', 'Test GPT');
    await setSetting('defaultImageGenerator', 'Test DALL-E');
    await run('setApiKey', { envVar: KEY_NAME, value: KEY_VALUE });
  });

  after(async () => {
    await run('clearApiKey', { envVar: KEY_NAME });
    for (const key of ['generators', 'defaultChatGenerator', 'defaultImageGenerator']) {
      await vscode.workspace.getConfiguration('generators').update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await chat?.close();
    await images?.close();
  });

  beforeEach(() => {
    chat.requests.splice(0);
    images.requests.splice(0);
  });

  describe('API keys in SecretStorage', () => {
    it('sends the stored key, and after Clear API Key says which variable to set', async () => {
      const editor = await openEditor('const a = 1;');
      editor.selection = new vscode.Selection(0, 0, 0, 12);
      chat.enqueue(completionReply({ text: 'A constant.' }));
      await run('explainSelection');
      assert.equal(chat.requests[0].headers.authorization, `Bearer ${KEY_VALUE}`);

      await run('clearApiKey', { envVar: KEY_NAME });
      await assert.rejects(
        run('explainSelection'),
        (error: Error) => error.message.includes(KEY_NAME) && error.message.includes('Generators: Set API Key'),
      );
      assert.equal(chat.requests.length, 1, 'no request is sent without a key');
      await run('setApiKey', { envVar: KEY_NAME, value: KEY_VALUE });
    });

    it('refuses a name that is not an environment variable name', async () => {
      await assert.rejects(run('setApiKey', { envVar: 'not a name', value: 'x' }), /not a valid name/);
    });
  });

  describe('registry from settings', () => {
    it('reports an invalid entry by name and field while the others keep working', async () => {
      await openEditor('let x = 2;');
      await assert.rejects(
        run('explainSelection', { generator: 'Broken' }),
        /Generator "Broken": init_parameters\.model: expected a string, got number\./,
      );
      chat.enqueue(completionReply({ text: 'fine' }));
      const result = await run<{ text: string }>('explainSelection', { generator: 'Test GPT' });
      assert.equal(result.text, 'fine');
    });

    it('adds, exports and removes a generator; the export holds env-var references, never the key', async () => {
      const entry = {
        name: 'Added',
        type: CHAT_TYPE,
        init_parameters: { model: 'gpt-4.1', api_base_url: `${chat.url}/v1`, api_key: secretRef },
      };
      assert.equal(await run('addGenerator', { entry }), 'Added');
      await eventually('the added entry', () =>
        (vscode.workspace.getConfiguration('generators').get<{ name: string }[]>('generators') ?? []).some(
          (e) => e.name === 'Added',
        ),
      );
      const json = await run<string>('exportHaystackComponent', { name: 'Added', format: 'json' });
      const exported = JSON.parse(json);
      assert.equal(exported.type, CHAT_TYPE);
      assert.equal(exported.init_parameters.model, 'gpt-4.1');
      assert.deepEqual(exported.init_parameters.api_key, secretRef);
      assert.ok(!json.includes(KEY_VALUE));
      const yaml = await run<string>('exportHaystackComponent', { name: 'Added', format: 'yaml' });
      assert.match(yaml, /^type: haystack\.components\.generators\.chat\.openai\.OpenAIChatGenerator\n/);

      assert.equal(await run('removeGenerator', { name: 'Added' }), true);
      await eventually(
        'the removed entry',
        () =>
          !(vscode.workspace.getConfiguration('generators').get<{ name: string }[]>('generators') ?? []).some(
            (e) => e.name === 'Added',
          ),
      );
    });

    it('refuses to add an entry that would not build, naming the field', async () => {
      await assert.rejects(
        run('addGenerator', { entry: { name: 'Bad', type: CHAT_TYPE, init_parameters: { generation_kwargs: 'hot' } } }),
        /Generator "Bad": init_parameters\.generation_kwargs/,
      );
    });

    it('imports the generators of a Haystack pipeline YAML', async () => {
      const yaml = [
        'components:',
        '  builder:',
        '    type: haystack.components.builders.prompt_builder.PromptBuilder',
        '    init_parameters: {template: "x"}',
        '  imported_llm:',
        `    type: ${CHAT_TYPE}`,
        '    init_parameters:',
        '      model: gpt-4o',
        `      api_base_url: ${chat.url}/v1`,
        `      api_key: {type: env_var, env_vars: [${KEY_NAME}], strict: true}`,
        'connections: []',
      ].join('\n');
      assert.deepEqual(await run('importHaystackComponent', { text: yaml }), ['imported_llm']);
      await eventually('the imported entry', () =>
        (vscode.workspace.getConfiguration('generators').get<{ name: string }[]>('generators') ?? []).some(
          (e) => e.name === 'imported_llm',
        ),
      );
      chat.enqueue(completionReply({ text: 'imported works' }));
      await openEditor('x');
      assert.equal(
        (await run<{ text: string }>('explainSelection', { generator: 'imported_llm' })).text,
        'imported works',
      );
      assert.equal(chat.requests[0].body.model, 'gpt-4o');
      await run('removeGenerator', { name: 'imported_llm' });
    });
  });

  describe('editor selection commands', () => {
    it('explains the selection with the language and file name, streaming into a Markdown document', async () => {
      const editor = await openEditor('function add(a, b) {\n  return a + b;\n}\n', 'javascript');
      editor.selection = new vscode.Selection(0, 0, 2, 1);
      chat.enqueue(completionReply({ text: 'It **adds** two numbers.', chunkSize: 3 }));
      const result = await run<{ text: string; stopped: boolean }>('explainSelection');
      assert.equal(result.text, 'It **adds** two numbers.');
      const user = chat.requests[0].body.messages[1].content as string;
      assert.match(
        user,
        /^Explain the following javascript code from the file Untitled-\d+:\n\n```javascript\nfunction add\(a, b\) \{\n {2}return a \+ b;\n\}\n```$/,
      );
      assert.equal(chat.requests[0].body.stream, true);
      const markdown = vscode.workspace.textDocuments.find(
        (d) => d.languageId === 'markdown' && d.getText() === 'It **adds** two numbers.',
      );
      assert.ok(markdown, 'the explanation streamed into a Markdown document');
    });

    it('improves the selection: Accept replaces it, Reject leaves it', async () => {
      const editor = await openEditor('var x = 1\nconsole.log(x)\n');
      editor.selection = new vscode.Selection(0, 0, 1, 14);
      chat.enqueue(completionReply({ text: 'Here you go:\n```ts\nconst x = 1;\nconsole.log(x);\n```' }));
      assert.equal(await run('improveSelection', { accept: false }), 'rejected');
      assert.equal(editor.document.getText(), 'var x = 1\nconsole.log(x)\n');
      chat.enqueue(completionReply({ text: '```ts\nconst x = 1;\nconsole.log(x);\n```' }));
      await vscode.window.showTextDocument(editor.document);
      assert.equal(await run('improveSelection', { accept: true, instruction: 'use const' }), 'accepted');
      assert.equal(editor.document.getText(), 'const x = 1;\nconsole.log(x);\n');
      assert.match(chat.requests[1].body.messages[1].content, /^use const\n/);
    });

    it('takes the answer from the diff editor: its Accept button applies, closing the diff rejects', async () => {
      const editor = await openEditor('let y = 1\n');
      editor.selection = new vscode.Selection(0, 0, 0, 9);
      chat.enqueue(completionReply({ text: '```ts\nconst y = 1;\n```' }));
      const accepting = run<string>('improveSelection', { instruction: '' });
      await eventually('the proposal to be shown', async () => (await run<boolean>('acceptProposal')) === true, 20_000);
      assert.equal(await accepting, 'accepted');
      assert.equal(editor.document.getText(), 'const y = 1;\n');

      await vscode.window.showTextDocument(editor.document);
      editor.selection = new vscode.Selection(0, 0, 0, 12);
      chat.enqueue(completionReply({ text: '```ts\nconst y = 2;\n```' }));
      const closing = run<string>('improveSelection', { instruction: '' });
      const diffTab = () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'generators-proposal');
      await eventually('the diff tab', () => diffTab() !== undefined, 20_000);
      await vscode.window.tabGroups.close(diffTab()!);
      assert.equal(await closing, 'rejected');
      assert.equal(editor.document.getText(), 'const y = 1;\n');
    });

    it('sends Ask About Selection to the chat panel with the selection attached', async () => {
      const editor = await openEditor('SELECT * FROM users;', 'sql');
      editor.selection = new vscode.Selection(0, 0, 0, 20);
      await run('askAboutSelection', { question: 'Is this query slow?' });
      await eventually('the chat request', () => chat.requests.length > 0, 20_000);
      const body = JSON.stringify(chat.requests[0].body.messages);
      assert.ok(body.includes('Is this query slow?'), body);
      assert.ok(body.includes('SELECT * FROM users;'), body);
    });

    it('streams Generate at Cursor into the editor as one undoable edit', async () => {
      const editor = await openEditor('// sum\n\n// end\n');
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      chat.enqueue(
        completionReply({ text: '```ts\nfunction sum(a: number, b: number) {\n  return a + b;\n}\n```', chunkSize: 5 }),
      );
      const result = await run<{ stopped: boolean }>('generateAtCursor', { prompt: 'a sum function' });
      assert.equal(result.stopped, false);
      assert.equal(
        editor.document.getText(),
        '// sum\nfunction sum(a: number, b: number) {\n  return a + b;\n}\n// end\n',
      );
      const system = chat.requests[0].body.messages[0].content as string;
      assert.match(system, /typescript code that is inserted verbatim at the cursor/);
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('undo');
      assert.equal(editor.document.getText(), '// sum\n\n// end\n');
    });

    it('stops Generate at Cursor mid-stream and keeps the partial text', async () => {
      const editor = await openEditor('');
      chat.enqueue(stallAfter({ text: 'first second third fourth', chunkSize: 6 }, 3));
      const pending = run<{ stopped: boolean; text: string }>('generateAtCursor', { prompt: 'words' });
      await eventually('streamed text in the editor', () => editor.document.getText().length > 0);
      assert.ok((await run<number>('stop')) >= 1);
      const result = await pending;
      assert.equal(result.stopped, true);
      assert.ok('first second third fourth'.startsWith(editor.document.getText()), editor.document.getText());
    });
  });

  describe('local models', () => {
    // The compiled suite lives in out/integration/; the tiny models are built by the repository's script.
    const repo = join(__dirname, '..', '..');
    const LOCAL_CHAT = 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator';

    it('runs a keyless local chat generator in the worker process, with remote downloads turned off', async () => {
      execFileSync(process.execPath, [join(repo, 'scripts', 'build-test-models.mjs')], { stdio: 'ignore' });
      await setSetting('localModels.allowRemoteDownloads', false);
      const entries = vscode.workspace.getConfiguration('generators').get<unknown[]>('generators') ?? [];
      await setSetting('generators', [
        ...entries,
        {
          name: 'Local test',
          type: LOCAL_CHAT,
          init_parameters: { model: join(repo, 'test', 'models', '.built', 'tiny-gpt2-chat') },
        },
      ]);
      await openEditor('x = 1', 'python');
      const result = await run<{ text: string; stopped: boolean }>('explainSelection', { generator: 'Local test' });
      assert.equal(result.stopped, false);
      assert.equal(result.text, 'abcdefghijklmnopqrstuvwxyz');
      assert.equal(chat.requests.length, 0, 'nothing went to the network');
      await setSetting('generators', entries);
      await vscode.workspace
        .getConfiguration('generators')
        .update('localModels.allowRemoteDownloads', undefined, vscode.ConfigurationTarget.Global);
    });
  });

  describe('Generate Image', () => {
    it('generates from a url response, shows the revised prompt and saves under images/<slug>.png in the workspace', async () => {
      const result = await run<{ revisedPrompt: string; mimeType: string; byteLength: number; savedTo: string }>(
        'generateImage',
        { prompt: 'A red fox / ../../escape', save: true },
      );
      assert.equal(result.revisedPrompt, 'A detailed digital illustration of: A red fox / ../../escape');
      assert.equal(result.mimeType, 'image/png');
      const folder = vscode.workspace.workspaceFolders![0].uri;
      const saved = vscode.Uri.joinPath(folder, 'images', 'a-red-fox-escape.png');
      assert.equal(vscode.Uri.file(result.savedTo).fsPath, saved.fsPath);
      const bytes = await vscode.workspace.fs.readFile(saved);
      assert.equal(bytes.length, result.byteLength);
      assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
      assert.equal(images.requests[0].body.size, '1024x1024');
      assert.equal(images.requests[1].method, 'GET', 'the url image is downloaded');
    });

    it('works with b64_json, and names the size and policy problems', async () => {
      await setSetting('generators', [
        ...(vscode.workspace.getConfiguration('generators').get<{ name: string }[]>('generators') ?? []).filter(
          (e) => e.name !== 'B64',
        ),
        {
          name: 'B64',
          type: DALLE_TYPE,
          init_parameters: {
            model: 'dall-e-2',
            api_base_url: `${images.url}/v1`,
            api_key: secretRef,
            response_format: 'b64_json',
            size: '256x256',
            max_retries: 0,
          },
        },
      ]);
      const result = await run<{ byteLength: number }>('generateImage', { prompt: 'tiny', generator: 'B64' });
      assert.ok(result.byteLength > 0);
      assert.equal(images.requests.length, 1, 'no download for b64_json');
      await assert.rejects(
        run('generateImage', { prompt: 'x', size: '256x256' }),
        /256x256.*dall-e-3|dall-e-3.*256x256/,
      );
      images.enqueue(contentPolicyViolation);
      await assert.rejects(run('generateImage', { prompt: 'something not allowed' }), /safety system/);
    });
  });
});
