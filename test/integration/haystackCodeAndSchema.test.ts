// Export as Haystack Code and the conversation's response schema, run in a real extension host against the
// offline OpenAI Chat Completions server.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { completionReply, openAIChatRoutes } from '../servers/openaiChatCompletions';
import { startTestServer, type TestServer } from '../servers/testServer';

const KEY_NAME = 'GENERATORS_BEYOND_IT_KEY';
const KEY_VALUE = 'sk-beyond-integration-5531';
const CHAT_TYPE = 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
const CITY_SCHEMA = {
  title: 'City facts',
  type: 'object',
  properties: { name: { type: 'string' }, population: { type: 'integer' } },
  required: ['name', 'population'],
  additionalProperties: false,
};

/** Runs a command the scripted way (with an options object), so failures reject instead of notifying. */
const run = <T>(command: string, options: Record<string, unknown> = {}) =>
  vscode.commands.executeCommand<T>(`generators.${command}`, options) as Promise<T>;

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('generators').update(key, value, vscode.ConfigurationTarget.Global);
}

async function ask(question: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'Paris' });
  const editor = await vscode.window.showTextDocument(document);
  editor.selection = new vscode.Selection(0, 0, 0, 5);
  // The chat panel's ask resolves once the reply has ended.
  await run('askAboutSelection', { question });
}

describe('Export as Haystack Code and response schemas in the extension host', function () {
  this.timeout(60_000);
  let chat: TestServer;
  let previous: { generators: unknown; defaultChatGenerator: unknown };

  before(async () => {
    await vscode.extensions.getExtension('generators-dev.vscode-generators')!.activate();
    chat = await startTestServer(openAIChatRoutes());
    const config = vscode.workspace.getConfiguration('generators');
    previous = {
      generators: config.inspect('generators')?.globalValue,
      defaultChatGenerator: config.inspect('defaultChatGenerator')?.globalValue,
    };
    await setSetting('generators', [
      {
        name: 'Beyond GPT',
        type: CHAT_TYPE,
        init_parameters: {
          model: 'gpt-4o-mini',
          api_base_url: `${chat.url}/v1`,
          api_key: { type: 'env_var', env_vars: [KEY_NAME], strict: true },
          max_retries: 0,
        },
      },
    ]);
    await setSetting('defaultChatGenerator', 'Beyond GPT');
    await run('setApiKey', { envVar: KEY_NAME, value: KEY_VALUE });
    await vscode.commands.executeCommand('generators.chat.newChat');
  });

  after(async () => {
    await run('clearApiKey', { envVar: KEY_NAME });
    await setSetting('generators', previous.generators);
    await setSetting('defaultChatGenerator', previous.defaultChatGenerator);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await chat?.close();
  });

  beforeEach(() => chat.requests.splice(0));

  it('exports a configured generator as a Python file with env-var secrets, never the key', async () => {
    const text = await run<string>('exportAsHaystackCode', { name: 'Beyond GPT' });
    assert.match(text, /"type": "haystack\.components\.generators\.chat\.openai\.OpenAIChatGenerator"/);
    assert.ok(text.includes(`"api_base_url": "${chat.url}/v1"`), text);
    assert.ok(text.includes(`Secret.from_env_var(["${KEY_NAME}"], strict=True).to_dict()`), text);
    assert.ok(!text.includes(KEY_VALUE));
    assert.ok(
      vscode.workspace.textDocuments.some((d) => d.languageId === 'python' && d.getText() === text),
      'the file is opened as a Python document',
    );
  });

  it('requests replies in a workspace schema file, exports the conversation with it, and stops after Clear', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the integration run opens a workspace folder');
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(folder, 'schemas', 'city.schema.json'),
      new TextEncoder().encode(JSON.stringify(CITY_SCHEMA)),
    );
    const schema = await run<{ name: string; source: string }>('setResponseSchema', {
      file: 'schemas/city.schema.json',
    });
    assert.equal(schema.name, 'City_facts');
    assert.equal(schema.source, 'schemas/city.schema.json');

    chat.enqueue(completionReply({ text: '{"name": "Paris", "population": 2102650}' }));
    await ask('Facts about this city?');
    assert.deepEqual(chat.requests[0].body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'City_facts', schema: CITY_SCHEMA, strict: true },
    });

    const code = await run<string>('exportAsHaystackCode', { fromConversation: true });
    assert.match(code, /^ {4}ChatMessage\.from_user\("Facts about this city\?/m);
    assert.match(code, /^GENERATION_KWARGS = \{\n {4}"response_format": \{/m);
    assert.match(code, /result = generator\.run\(messages=MESSAGES, generation_kwargs=GENERATION_KWARGS\)/);

    await run('clearResponseSchema');
    await ask('And its area?');
    assert.equal(chat.requests.at(-1)?.body.response_format, undefined);
  });
});
