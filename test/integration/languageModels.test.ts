// The `haystack` language model provider in the real extension host, used the way any extension uses it:
// vscode.lm.selectChatModels and sendRequest, against the offline provider servers and the local tiny model.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { frame, sseThen } from '../servers/faults';
import { apiError, completionReply, openAIChatRoutes, streamEvents } from '../servers/openaiChatCompletions';
import { startTestServer, type RecordedRequest, type TestServer } from '../servers/testServer';

const KEY_NAME = 'GENERATORS_LM_IT_KEY';
const KEY_VALUE = 'sk-lm-integration-8842';
const MISSING_KEY = 'GENERATORS_LM_IT_UNSET_KEY';
const CHAT = 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
const LOCAL_CHAT = 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator';
const WEATHER: vscode.LanguageModelChatTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
// The compiled suite lives in out/integration/; the tiny models are built by the repository's script.
const repo = join(__dirname, '..', '..');

const run = <T>(command: string, options: Record<string, unknown> = {}) =>
  vscode.commands.executeCommand<T>(`generators.${command}`, options) as Promise<T>;

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('generators').update(key, value, vscode.ConfigurationTarget.Global);
}

async function model(name: string): Promise<vscode.LanguageModelChat> {
  const [found] = await vscode.lm.selectChatModels({ vendor: 'haystack', id: name });
  assert.ok(found, `no haystack model "${name}"`);
  return found;
}

/** Every part of a response, in order. */
async function partsOf(response: vscode.LanguageModelChatResponse): Promise<unknown[]> {
  const parts: unknown[] = [];
  for await (const part of response.stream) parts.push(part);
  return parts;
}

const textOf = (parts: unknown[]) =>
  parts.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');

describe('Language model provider in the extension host', function () {
  this.timeout(60_000);
  let server: TestServer;
  const openai = (name: string, model = 'gpt-4o-mini', keyName = KEY_NAME) => ({
    name,
    type: CHAT,
    init_parameters: {
      model,
      api_base_url: `${server.url}/v1`,
      api_key: { type: 'env_var', env_vars: [keyName], strict: true },
      max_retries: 0,
    },
  });

  before(async () => {
    await vscode.extensions.getExtension('generators-dev.vscode-generators')!.activate();
    server = await startTestServer(openAIChatRoutes());
    execFileSync(process.execPath, [join(repo, 'scripts', 'build-test-models.mjs')], { stdio: 'ignore' });
    await setSetting('localModels.allowRemoteDownloads', false);
    await setSetting('generators', [
      openai('LM GPT'),
      {
        name: 'LM Chain',
        type: 'haystack.components.generators.chat.fallback.FallbackChatGenerator',
        init_parameters: {
          chat_generators: [openai('x', 'primary'), openai('y', 'backup')].map(({ type, init_parameters }) => ({
            type,
            init_parameters,
          })),
        },
      },
      {
        name: 'LM Local',
        type: LOCAL_CHAT,
        init_parameters: { model: join(repo, 'test', 'models', '.built', 'tiny-gpt2-chat') },
      },
      { ...openai('LM Text'), type: 'haystack.components.generators.openai.OpenAIGenerator' },
      openai('LM Keyless', 'gpt-4o-mini', MISSING_KEY),
      {
        name: 'LM Painter',
        type: 'haystack.components.generators.openai_dalle.DALLEImageGenerator',
        init_parameters: {},
      },
    ]);
    await run('setApiKey', { envVar: KEY_NAME, value: KEY_VALUE });
  });

  after(async () => {
    await run('clearApiKey', { envVar: KEY_NAME });
    await setSetting('generators', undefined);
    await setSetting('localModels.allowRemoteDownloads', undefined);
    await server?.close();
  });

  beforeEach(() => server.requests.splice(0));

  it('lists every configured chat and text generator under the haystack vendor, and follows settings changes', async () => {
    const models = await vscode.lm.selectChatModels({ vendor: 'haystack' });
    assert.deepEqual(models.map((m) => m.id).sort(), ['LM Chain', 'LM GPT', 'LM Keyless', 'LM Local', 'LM Text']);
    const gpt = models.find((m) => m.id === 'LM GPT')!;
    assert.equal(gpt.name, 'LM GPT');
    assert.equal(gpt.vendor, 'haystack');
    assert.equal(gpt.family, 'gpt-4o-mini');
    assert.equal(gpt.version, 'OpenAIChatGenerator');
    // gpt-4o-mini's context window less its reply limit, from the OpenAIChatGenerator descriptor.
    assert.equal(gpt.maxInputTokens, 128_000 - 16_384);

    const changed = new Promise<void>((resolve) => {
      const subscription = vscode.lm.onDidChangeChatModels(() => {
        subscription.dispose();
        resolve();
      });
    });
    const entries = vscode.workspace.getConfiguration('generators').get<unknown[]>('generators') ?? [];
    await setSetting('generators', [...entries, openai('LM Added')]);
    await changed;
    assert.ok((await vscode.lm.selectChatModels({ vendor: 'haystack' })).some((m) => m.id === 'LM Added'));
    await setSetting('generators', entries);
  });

  it('streams a reply as text parts, with the system prompt and model options on the wire', async () => {
    server.enqueue(completionReply({ text: 'Streaming from the offline server.', chunkSize: 5 }));
    const response = await (
      await model('LM GPT')
    ).sendRequest([vscode.LanguageModelChatMessage.User('Hello there')], {
      modelOptions: { temperature: 0.25, _internal: true },
    });
    const parts = await partsOf(response);
    assert.ok(parts.length > 1, `expected several parts, got ${parts.length}`);
    assert.ok(parts.every((p) => p instanceof vscode.LanguageModelTextPart));
    assert.equal(textOf(parts), 'Streaming from the offline server.');
    const request = server.requests[0]!;
    assert.equal(request.headers.authorization, `Bearer ${KEY_VALUE}`);
    assert.equal(request.body.temperature, 0.25);
    assert.ok(!('_internal' in request.body));
    assert.deepEqual(request.body.messages, [{ role: 'user', content: 'Hello there' }]);
  });

  it('round-trips a tool call and its result, with the Required tool mode on the wire', async () => {
    const gpt = await model('LM GPT');
    server.enqueue(
      completionReply({ toolCalls: [{ id: 'call_42', name: 'get_weather', arguments: '{"city":"Paris"}' }] }),
    );
    const question = vscode.LanguageModelChatMessage.User('Weather in Paris?');
    const first = await partsOf(
      await gpt.sendRequest([question], { tools: [WEATHER], toolMode: vscode.LanguageModelChatToolMode.Required }),
    );
    assert.equal(first.length, 1);
    const call = first[0] as vscode.LanguageModelToolCallPart;
    assert.ok(call instanceof vscode.LanguageModelToolCallPart);
    assert.deepEqual([call.callId, call.name, call.input], ['call_42', 'get_weather', { city: 'Paris' }]);
    assert.equal(server.requests[0]!.body.tool_choice, 'required');
    assert.equal(server.requests[0]!.body.tools[0].function.name, 'get_weather');

    server.enqueue(completionReply({ text: 'Sunny in Paris.' }));
    const answer = await partsOf(
      await gpt.sendRequest(
        [
          question,
          vscode.LanguageModelChatMessage.Assistant([call]),
          vscode.LanguageModelChatMessage.User([
            new vscode.LanguageModelToolResultPart('call_42', [new vscode.LanguageModelTextPart('sunny, 21 °C')]),
          ]),
        ],
        { tools: [WEATHER] },
      ),
    );
    assert.equal(textOf(answer), 'Sunny in Paris.');
    assert.deepEqual(server.requests[1]!.body.messages.slice(1), [
      {
        role: 'assistant',
        tool_calls: [
          { id: 'call_42', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_42', content: 'sunny, 21 °C' },
    ]);
  });

  it('is cancelled by the token: the server sees the connection close', async () => {
    const events = streamEvents({ body: { model: 'gpt-4o-mini' } } as RecordedRequest, { text: 'Hello, world' });
    const stalled = sseThen(
      events.slice(0, 2).map((event) => frame(event)),
      'stall',
    );
    server.enqueue(stalled);
    const source = new vscode.CancellationTokenSource();
    const response = await (
      await model('LM GPT')
    ).sendRequest([vscode.LanguageModelChatMessage.User('Hello')], {}, source.token);
    const stream = response.stream[Symbol.asyncIterator]();
    const first = await stream.next();
    assert.equal((first.value as vscode.LanguageModelTextPart).value, 'Hell');
    source.cancel();
    await stalled.closed;
    // The stream ends once the request is cancelled; the remaining text never arrives.
    const rest: unknown[] = [];
    try {
      for (let next = await stream.next(); !next.done; next = await stream.next()) rest.push(next.value);
    } catch (error) {
      assert.ok(error instanceof vscode.CancellationError || /cancel/i.test(String(error)), String(error));
    }
    assert.equal(textOf(rest), '');
  });

  it('fails over in a fallback chain and reports the failed attempt', async () => {
    server.enqueue(apiError(503, 'Primary unavailable.'), completionReply({ text: 'Backup here.' }));
    const text = textOf(
      await partsOf(await (await model('LM Chain')).sendRequest([vscode.LanguageModelChatMessage.User('Hi')])),
    );
    assert.match(text, /^Backup here\./);
    assert.match(text, /Fallback\*\*\n> \[0\] OpenAIChatGenerator failed: .*Primary unavailable\./);
    assert.match(text, /Answered by \[1\] OpenAIChatGenerator\./);
    assert.deepEqual(
      server.requests.map((r) => r.body.model),
      ['primary', 'backup'],
    );
  });

  it('runs a local model through the worker and counts its tokens with its tokenizer', async () => {
    const local = await model('LM Local');
    const text = textOf(await partsOf(await local.sendRequest([vscode.LanguageModelChatMessage.User('x')])));
    assert.equal(text, 'abcdefghijklmnopqrstuvwxyz');
    assert.equal(server.requests.length, 0, 'nothing went to the network');
    // Byte-level tokenizer: 11 tokens, where the estimate for remote APIs says 3.
    assert.equal(await local.countTokens('hello world'), 11);
    assert.equal(await (await model('LM GPT')).countTokens('hello world'), 3);
  });

  it('runs a text generator on its prompt form', async () => {
    server.enqueue(completionReply({ text: 'Completed.' }));
    const text = textOf(
      await partsOf(
        await (
          await model('LM Text')
        ).sendRequest([
          vscode.LanguageModelChatMessage.User('Hi'),
          vscode.LanguageModelChatMessage.Assistant('Hello!'),
          vscode.LanguageModelChatMessage.User('Continue'),
        ]),
      ),
    );
    assert.equal(text, 'Completed.');
    assert.deepEqual(server.requests[0]!.body.messages, [
      { role: 'user', content: 'User: Hi\n\nAssistant: Hello!\n\nUser: Continue\n\nAssistant:' },
    ]);
  });

  it('fails with a LanguageModelError that says what is wrong and what to do, before anything is sent', async () => {
    const keyless = await model('LM Keyless');
    await assert.rejects(
      async () => partsOf(await keyless.sendRequest([vscode.LanguageModelChatMessage.User('Hi')])),
      (error: unknown) => {
        assert.ok(error instanceof vscode.LanguageModelError, `not a LanguageModelError: ${String(error)}`);
        assert.match(error.message, new RegExp(MISSING_KEY));
        assert.match(error.message, /Set API Key/);
        return true;
      },
    );
    assert.equal(server.requests.length, 0);
  });
});
