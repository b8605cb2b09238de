// A language model request run by real generators against the offline provider servers: what goes on the wire and
// which parts come back, without VS Code (the extension-host side is in test/integration/languageModels.test.ts).
import assert from 'node:assert/strict';
import { ChatMessage } from '../../../../src/core/chatMessage';
import { GeneratorError } from '../../../../src/core/errors';
import type { Generator } from '../../../../src/core/generator';
import { Secret } from '../../../../src/core/secret';
import { FallbackChatGenerator } from '../../../../src/generators/fallback/fallbackChatGenerator';
import { HuggingFaceLocalChatGenerator } from '../../../../src/generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { OpenAIChatGenerator } from '../../../../src/generators/openai/openAIChatGenerator';
import { OpenAIGenerator } from '../../../../src/generators/openai/openAIGenerator';
import { GeneratorRegistry } from '../../../../src/host/registry/generatorRegistry';
import { capabilitiesOf } from '../../../../src/host/languageModels/generatorCapabilities';
import {
  runLanguageModelRequest,
  type LanguageModelRequest,
} from '../../../../src/host/languageModels/languageModelRequest';
import { LM_ROLE, type LmMessage, type LmResponsePart } from '../../../../src/host/languageModels/lmParts';
import { FALLBACK_HEADER, REASONING_HEADER } from '../../../../src/host/languageModels/markedBlocks';
import { listModels } from '../../../../src/host/languageModels/modelInformation';
import { ReplyParts } from '../../../../src/host/languageModels/replyParts';
import { TOOL_MODE_REQUIRED } from '../../../../src/host/languageModels/requestOptions';
import { frame, sseThen } from '../../../servers/faults';
import {
  apiError,
  completionReply,
  resetAfter,
  startOpenAIServer,
  streamEvents,
} from '../../../servers/openaiChatCompletions';
import type { RecordedRequest, TestServer } from '../../../servers/testServer';

const KEY_NAME = 'GENERATORS_LM_UNIT_KEY';
const OPENAI_CHAT = 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
const WEATHER = {
  name: 'get_weather',
  description: 'Weather for a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const user = (text: string): LmMessage => ({ role: LM_ROLE.user, content: [{ kind: 'text', text }] });

describe('language model requests run by generators against the offline servers', () => {
  let server: TestServer;
  before(async () => {
    server = await startOpenAIServer();
    process.env[KEY_NAME] = 'sk-lm-provider-0123456789';
  });
  after(async () => {
    delete process.env[KEY_NAME];
    await server.close();
  });
  beforeEach(() => server.requests.splice(0));

  const openai = (model = 'gpt-4o-mini') =>
    new OpenAIChatGenerator({
      apiKey: Secret.fromEnvVar(KEY_NAME),
      apiBaseUrl: `${server.url}/v1`,
      model,
      maxRetries: 0,
    });

  /** Runs a request and returns the parts it reported. */
  async function run(generator: Generator, overrides: Partial<LanguageModelRequest> = {}): Promise<LmResponsePart[]> {
    const parts: LmResponsePart[] = [];
    await runLanguageModelRequest({
      name: 'Test generator',
      generator,
      component: generator.toDict(),
      messages: [user('Hello there')],
      toolMode: 1,
      signal: new AbortController().signal,
      emit: (part) => parts.push(part),
      ...overrides,
    });
    return parts;
  }
  const textOf = (parts: LmResponsePart[]) => parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');

  it('streams the reply as text parts and sends the model options, never the editor keys', async () => {
    server.enqueue(completionReply({ text: 'Echo: Hello there', chunkSize: 4 }));
    const parts = await run(openai(), {
      messages: [{ role: LM_ROLE.system, content: [{ kind: 'text', text: 'Be brief.' }] }, user('Hello there')],
      modelOptions: { temperature: 0.3, _conversationId: 'abc' },
    });
    assert.ok(parts.length >= 4, `expected streamed pieces, got ${JSON.stringify(parts)}`);
    assert.ok(parts.every((p) => p.kind === 'text'));
    assert.equal(textOf(parts), 'Echo: Hello there');
    const body = server.requests[0]!.body;
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello there' },
    ]);
    assert.equal(body.temperature, 0.3);
    assert.equal(body.stream, true);
    assert.ok(!('_conversationId' in body) && !('tools' in body), JSON.stringify(body));
  });

  it('offers the tools, requires a call in Required mode, and reports the call as a tool-call part', async () => {
    server.enqueue(
      completionReply({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city": "Paris"}' }] }),
    );
    const parts = await run(openai(), { tools: [WEATHER], toolMode: TOOL_MODE_REQUIRED });
    assert.deepEqual(parts, [{ kind: 'toolCall', callId: 'call_1', name: 'get_weather', input: { city: 'Paris' } }]);
    const body = server.requests[0]!.body;
    assert.equal(body.tool_choice, 'required');
    assert.deepEqual(body.tools, [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather for a city', parameters: WEATHER.inputSchema },
      },
    ]);
  });

  it('sends a tool result back as the tool message answering the call, and streams the answer', async () => {
    server.enqueue(completionReply({ text: 'It is sunny in Paris.' }));
    const parts = await run(openai(), {
      tools: [WEATHER],
      messages: [
        user('Weather in Paris?'),
        {
          role: LM_ROLE.assistant,
          content: [{ kind: 'toolCall', callId: 'call_1', name: 'get_weather', input: { city: 'Paris' } }],
        },
        {
          role: LM_ROLE.user,
          content: [{ kind: 'toolResult', callId: 'call_1', content: [{ kind: 'text', text: 'sunny, 21 °C' }] }],
        },
      ],
    });
    assert.equal(textOf(parts), 'It is sunny in Paris.');
    const messages = server.requests[0]!.body.messages;
    assert.deepEqual(messages.slice(1), [
      {
        role: 'assistant',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny, 21 °C' },
    ]);
  });

  it('reports the failed attempts of a fallback chain, mid-stream failures included', async () => {
    const chain = new FallbackChatGenerator({ chatGenerators: [openai('primary'), openai('backup')] });
    server.enqueue(apiError(500, 'The primary is down.'), completionReply({ text: 'Backup answer.' }));
    const first = textOf(await run(chain));
    assert.match(first, /^Backup answer\./);
    assert.ok(first.includes(`\n\n${FALLBACK_HEADER}\n> [0] OpenAIChatGenerator failed: `), first);
    assert.ok(first.includes('The primary is down.'), first);
    assert.ok(first.includes('> Answered by [1] OpenAIChatGenerator.'), first);

    server.enqueue(resetAfter({ text: 'Half of a repl' }, 3), completionReply({ text: 'Whole reply.' }));
    const second = textOf(await run(chain));
    const restart = second.indexOf(FALLBACK_HEADER);
    assert.ok(restart > 0 && second.slice(0, restart).startsWith('Half'), second);
    assert.match(second.slice(restart), /the text above is not the answer\.[^]*Whole reply\./);
    assert.deepEqual(
      server.requests.map((r) => r.body.model),
      ['primary', 'backup', 'primary', 'backup'],
    );
  });

  it('gives a text generator the prompt form: the system prompt and a transcript', async () => {
    const generator = new OpenAIGenerator({
      apiKey: Secret.fromEnvVar(KEY_NAME),
      apiBaseUrl: `${server.url}/v1`,
      maxRetries: 0,
    });
    server.enqueue(completionReply({ text: 'Fine.' }));
    const parts = await run(generator, {
      messages: [
        { role: LM_ROLE.system, content: [{ kind: 'text', text: 'Be kind.' }] },
        user('Hi'),
        { role: LM_ROLE.assistant, content: [{ kind: 'text', text: 'Hello!' }] },
        user('How are you?'),
      ],
    });
    assert.equal(textOf(parts), 'Fine.');
    assert.deepEqual(server.requests[0]!.body.messages, [
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'User: Hi\n\nAssistant: Hello!\n\nUser: How are you?\n\nAssistant:' },
    ]);
    await assert.rejects(run(generator, { tools: [WEATHER], toolMode: TOOL_MODE_REQUIRED }), /cannot call tools/);
  });

  it('refuses images for a generator that does not read them, before anything is sent', async () => {
    const local = new HuggingFaceLocalChatGenerator({ model: '/nonexistent/model' });
    const image: LmMessage = {
      role: LM_ROLE.user,
      content: [{ kind: 'data', mimeType: 'image/png', data: new Uint8Array([1, 2, 3]) }],
    };
    await assert.rejects(run(local, { messages: [image] }), (error: unknown) => {
      assert.ok(GeneratorError.isInstance(error));
      assert.equal(
        error.message,
        '"Test generator" does not accept images. Remove the image or pick a generator whose model reads images.',
      );
      return true;
    });
    await assert.rejects(
      run(local, { tools: [WEATHER], toolMode: TOOL_MODE_REQUIRED }),
      /cannot be required to call a tool/,
    );
  });

  it('aborts the request on the wire when the signal fires', async () => {
    const events = streamEvents({ body: { model: 'gpt-4o-mini' } } as RecordedRequest, { text: 'Hello, world' });
    const stalled = sseThen(
      events.slice(0, 2).map((event) => frame(event)),
      'stall',
    );
    server.enqueue(stalled);
    const abort = new AbortController();
    const parts: LmResponsePart[] = [];
    const generator = openai();
    const request = runLanguageModelRequest({
      name: 'Test generator',
      generator,
      component: generator.toDict(),
      messages: [user('Hello')],
      toolMode: 1,
      signal: abort.signal,
      emit: (part) => {
        parts.push(part);
        abort.abort();
      },
    });
    await assert.rejects(request, (error: unknown) => GeneratorError.isInstance(error) && error.code === 'cancelled');
    await stalled.closed;
    assert.deepEqual(parts, [{ kind: 'text', text: 'Hell' }]);
  });
});

describe('language model provider: reply parts', () => {
  it('marks streamed reasoning as a quoted block ahead of the answer, and names calls without an id', () => {
    const parts: LmResponsePart[] = [];
    const reply = new ReplyParts((part) => parts.push(part));
    reply.onChunk({ content: '', meta: {}, reasoning: { reasoningText: 'Think\nmore' } });
    reply.onChunk({ content: '', meta: {}, reasoning: { reasoningText: ' still' } });
    reply.onChunk({ content: 'Answer', meta: {} });
    reply.finish(
      ChatMessage.fromAssistant('Answer', {
        toolCalls: [
          { toolName: 'ping', arguments: {} },
          { toolName: 'pong', arguments: { n: 1 }, id: 'c9' },
        ],
      }),
      undefined,
    );
    const text = parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('');
    assert.equal(text, `${REASONING_HEADER}\n> Think\n> more still\n\nAnswer`);
    assert.deepEqual(
      parts.filter((p) => p.kind === 'toolCall'),
      [
        { kind: 'toolCall', callId: 'haystack_call_1', name: 'ping', input: {} },
        { kind: 'toolCall', callId: 'c9', name: 'pong', input: { n: 1 } },
      ],
    );
  });

  it('reports a reply that did not stream whole, reasoning first', () => {
    const parts: LmResponsePart[] = [];
    new ReplyParts((part) => parts.push(part)).finish(
      ChatMessage.fromAssistant('Done.', { reasoning: 'Because.' }),
      undefined,
    );
    assert.equal(
      parts.map((p) => (p.kind === 'text' ? p.text : '')).join(''),
      `${REASONING_HEADER}\n> Because.\n\nDone.`,
    );
  });
});

describe('language model provider: the models listed', () => {
  it('lists chat and text generators with their capabilities, bad entries with their problem, no image generators', () => {
    const registry = new GeneratorRegistry({
      generators: [
        {
          name: 'GPT',
          type: OPENAI_CHAT,
          init_parameters: { model: 'gpt-4o', generation_kwargs: { max_completion_tokens: 300 } },
        },
        {
          name: 'Local',
          type: 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator',
          init_parameters: { model: '/models/tiny' },
        },
        {
          name: 'Chain',
          type: 'haystack.components.generators.chat.fallback.FallbackChatGenerator',
          init_parameters: {
            chat_generators: [
              { type: OPENAI_CHAT, init_parameters: { model: 'gpt-4o' } },
              {
                type: 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator',
                init_parameters: { model: '/models/tiny' },
              },
            ],
          },
        },
        { name: 'Completion', type: 'haystack.components.generators.openai.OpenAIGenerator', init_parameters: {} },
        {
          name: 'Painter',
          type: 'haystack.components.generators.openai_dalle.DALLEImageGenerator',
          init_parameters: {},
        },
        { name: 'Broken', type: OPENAI_CHAT, init_parameters: { timeout: 'soon' } },
      ],
      defaults: {},
    });
    const models = listModels(registry);
    assert.deepEqual(
      models.map((m) => [
        m.id,
        m.capabilities.imageInput,
        m.capabilities.toolCalling,
        m.maxInputTokens,
        m.maxOutputTokens,
      ]),
      [
        // The descriptors' token limits; a reply cap in generation_kwargs (under the API's own key) wins.
        ['GPT', true, true, 128_000 - 300, 300],
        ['Local', false, true, 2_048 - 512, 512],
        ['Chain', false, true, 2_048 - 512, 512],
        ['Completion', false, false, 128_000 - 16_384, 16_384],
        ['Broken', false, false, 128_000 - 16_384, 16_384],
      ],
    );
    assert.equal(models[0]!.family, 'gpt-4o');
    assert.equal(models[0]!.version, 'OpenAIChatGenerator');
    assert.match(models[4]!.tooltip!, /^OpenAIChatGenerator — cannot be used: .*timeout/);
    assert.equal(capabilitiesOf(registry.entry('GPT')!).requiredToolChoice, true);
    assert.equal(capabilitiesOf(registry.entry('Local')!).requiredToolChoice, false);
    assert.equal(capabilitiesOf(registry.entry('Chain')!).requiredToolChoice, false);
  });
});
