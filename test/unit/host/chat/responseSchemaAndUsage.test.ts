// The chat controller with a conversation's response schema, usage totals and cost estimates, and the
// conversation export input, against the offline OpenAI Chat Completions and Responses servers.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Generator } from '../../../../src/core/generator';
import { Secret, setSecretResolver } from '../../../../src/core/secret';
import { HuggingFaceLocalChatGenerator } from '../../../../src/generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { OpenAIChatGenerator } from '../../../../src/generators/openai/openAIChatGenerator';
import { OpenAIGenerator } from '../../../../src/generators/openai/openAIGenerator';
import { OpenAIResponsesChatGenerator } from '../../../../src/generators/responses/openAIResponsesChatGenerator';
import { ChatController } from '../../../../src/host/chat/chatController';
import { ConversationStore } from '../../../../src/host/chat/conversations/conversationStore';
import { conversationScriptInput, generatorScriptInput } from '../../../../src/host/haystack/conversationExport';
import { parseResponseSchema } from '../../../../src/host/structuredOutput/conversationSchema';
import { completeReplyStats } from '../../../../src/host/usage/replyUsage';
import type { ConfiguredGenerator } from '../../../../src/host/registry/registryService';
import type {
  Conversation,
  ConversationMessage,
  HostMessage,
  ResponseSchemaView,
} from '../../../../src/shared/protocol';
import { conversationTotals } from '../../../../src/shared/usageTotals';
import { completionReply, startOpenAIServer } from '../../../servers/openaiChatCompletions';
import { responsesReply, startResponsesServer } from '../../../servers/openaiResponses';

import { useTestServer } from '../../../helpers/suiteServer';

const KEY_NAME = 'BEYOND_CHAT_TEST_KEY';
const KEY_VALUE = 'sk-beyond-chat-planted-0123456789';
const SCHEMA_TEXT = JSON.stringify({
  title: 'City facts',
  type: 'object',
  properties: { name: { type: 'string' }, population: { type: 'integer', minimum: 0 } },
  required: ['name', 'population'],
  additionalProperties: false,
});

type Ended = Extract<HostMessage, { type: 'done' | 'error' }>;

describe('chat controller: response schema, usage and cost, export input', function () {
  this.timeout(15_000);
  const openai = useTestServer(startOpenAIServer);
  const responses = useTestServer(startResponsesServer);
  let directory: string;
  let restoreResolver: () => void;
  let posts: HostMessage[];
  let waiters: { requestId: string; resolve: (m: Ended) => void }[];
  let controller: ChatController;
  let generators: Record<string, Generator>;
  let responseSchema: ResponseSchemaView;

  const entries = (): ConfiguredGenerator[] =>
    Object.entries(generators).map(([name, generator]) => ({ name, type: generator.typeName, kind: generator.kind }));

  before(async () => {
    restoreResolver = setSecretResolver((name) => (name === KEY_NAME ? KEY_VALUE : undefined));
    responseSchema = await parseResponseSchema(SCHEMA_TEXT, 'schemas/city.json', 'city');
  });
  after(() => restoreResolver());

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'beyond-chat-'));
    posts = [];
    waiters = [];
    const common = { apiKey: Secret.fromEnvVar(KEY_NAME), maxRetries: 0, timeout: 5 };
    generators = {
      GPT: new OpenAIChatGenerator({ ...common, apiBaseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini' }),
      Reasoner: new OpenAIResponsesChatGenerator({ ...common, apiBaseUrl: `${responses.url}/v1`, model: 'gpt-5-mini' }),
      Completion: new OpenAIGenerator({ ...common, apiBaseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini' }),
      Local: new HuggingFaceLocalChatGenerator({
        model: 'HuggingFaceTB/SmolLM2-135M-Instruct',
        task: 'text-generation',
      }),
    };
    openai.requests.length = 0;
    responses.requests.length = 0;
    controller = new ChatController({
      registry: { list: entries, get: (name) => generators[name], defaultName: () => 'GPT' },
      store: new ConversationStore(directory, () => assert.fail('no conversation file should be corrupt')),
      post: (message) => {
        const copy = structuredClone(message);
        posts.push(copy);
        if (copy.type === 'done' || copy.type === 'error')
          waiters = waiters.filter((w) => (w.requestId === copy.requestId ? (w.resolve(copy), false) : true));
      },
      log: { info: () => {}, warn: () => {}, error: () => {} },
      saveIntervalMs: 0,
      prices: () => ({ 'gpt-4o-mini': { input: 0.15, output: 0.6 }, 'gpt-5-mini': { input: 0.25, output: 2 } }),
    });
  });
  afterEach(async () => {
    await controller.dispose();
    await rm(directory, { recursive: true, force: true });
  });

  /** Sends a message and resolves with the request's single `done` or `error`. */
  async function send(conversationId: string, generator: string, text: string): Promise<Ended> {
    const requestId = `r-${posts.length}-${text.length}`;
    const ended = new Promise<Ended>((resolve) => waiters.push({ requestId, resolve }));
    await controller.send(requestId, conversationId, generator, { text });
    return ended;
  }

  async function openConversation(): Promise<Conversation> {
    return (await controller.conversation())!;
  }

  it('reads a schema file: name from the title, rejects text that is not JSON or not a schema', async () => {
    assert.equal(responseSchema.name, 'City_facts');
    assert.equal(responseSchema.source, 'schemas/city.json');
    const wrapped = await parseResponseSchema(
      JSON.stringify({ name: 'answer', schema: { type: 'object' }, strict: true }),
      'typed',
      'response',
    );
    assert.deepEqual(wrapped, { name: 'answer', schema: { type: 'object' }, source: 'typed' });
    await assert.rejects(parseResponseSchema('{"type": ', 'typed', 'x'), /response_schema: typed is not JSON/);
    await assert.rejects(parseResponseSchema('{"type": 12}', 'typed', 'x'), /is not a valid JSON schema/);
  });

  it('requests the schema, validates the reply, and keeps the schema with the saved conversation', async () => {
    const conversation = await openConversation();
    await controller.setResponseSchema(conversation.id, responseSchema);
    assert.deepEqual(posts.at(-1), {
      type: 'conversation',
      conversation: { ...conversation, responseSchema },
      streamingRequestId: undefined,
    });
    openai.enqueue(completionReply({ text: '{"name": "Paris", "population": 2102650}' }));
    const ended = await send(conversation.id, 'GPT', 'Facts about Paris');
    assert.equal(ended.type, 'done');
    assert.deepEqual(openai.requests[0].body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'City_facts', schema: responseSchema.schema, strict: true },
    });
    assert.deepEqual(ended.message?.structuredOutput, {
      schemaName: 'City_facts',
      valid: true,
      errors: [],
      formatted: '{\n  "name": "Paris",\n  "population": 2102650\n}',
    });

    openai.enqueue(completionReply({ text: '{"name": "Atlantis", "population": -5}' }));
    const invalid = await send(conversation.id, 'GPT', 'Facts about Atlantis');
    assert.deepEqual(invalid.message?.structuredOutput?.errors, ['/population must be >= 0']);
    assert.equal(invalid.message?.structuredOutput?.valid, false);
    await controller.dispose();
    const saved = await new ConversationStore(directory, () => undefined).load(conversation.id);
    assert.deepEqual(saved?.responseSchema, responseSchema);
    assert.equal(saved?.messages.at(-1)?.structuredOutput?.valid, false);
  });

  it('refuses before sending when the generator cannot follow a schema, and sends plainly once it is cleared', async () => {
    const conversation = await openConversation();
    await controller.setResponseSchema(conversation.id, responseSchema);
    const refused = await send(conversation.id, 'Local', 'Facts about Paris');
    assert.equal(refused.type, 'error');
    assert.equal(refused.message?.error?.code, 'configuration');
    assert.match(
      refused.message?.error?.message ?? '',
      /"Local" cannot follow this conversation's JSON schema: local models run without constrained decoding.*Generators: Clear Response Schema/,
    );

    await controller.setResponseSchema(conversation.id, undefined);
    const plain = await send(conversation.id, 'GPT', 'Facts about Paris');
    assert.equal(plain.type, 'done');
    assert.equal(openai.requests[0].body.response_format, undefined);
    assert.equal(plain.message?.structuredOutput, undefined);
  });

  it('reports reasoning tokens and a cost estimate per reply, and totals per conversation', async () => {
    const conversation = await openConversation();
    responses.enqueue(
      responsesReply({
        reasoning: ['Think.'],
        text: 'Paris.',
        usage: { input_tokens: 1000, output_tokens: 500, reasoning_tokens: 1500 },
      }),
    );
    const first = await send(conversation.id, 'Reasoner', 'Capital of France?');
    const stats = first.message?.stats;
    assert.equal(stats?.reasoningTokens, 1500);
    assert.equal(stats?.completionTokens, 2000);
    assert.equal(stats?.costUsd, (1000 * 0.25 + 2000 * 2) / 1e6);
    openai.enqueue(
      completionReply({ text: 'Berlin.', usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 } }),
    );
    const second = await send(conversation.id, 'GPT', 'Capital of Germany?');
    assert.equal(second.message?.stats?.costUsd, (100 * 0.15 + 10 * 0.6) / 1e6);
    const totals = conversationTotals((await controller.conversation(conversation.id))!.messages);
    assert.deepEqual(totals, {
      replies: 2,
      inputTokens: 1100,
      outputTokens: 2010,
      reasoningTokens: 1500,
      totalTokens: 3110,
      unpricedReplies: 0,
      costUsd: 0.00425 + 0.000021,
    });
  });

  it('completes stats with tokens per second and leaves unpriced models without a cost', () => {
    const stats = {
      generator: 'X',
      model: 'mystery-1',
      promptTokens: 10,
      completionTokens: 100,
      totalTokens: 110,
      timeToFirstTokenMs: 200,
      totalMs: 2200,
    };
    completeReplyStats(stats, { 'gpt-4o': { input: 1, output: 1 } });
    assert.deepEqual(stats, { ...stats, tokensPerSecond: 50 });
    assert.equal('costUsd' in stats, false);
    const unpriced: ConversationMessage = {
      id: 'a',
      role: 'assistant',
      text: '',
      status: 'complete',
      createdAt: 0,
      stats: { generator: 'X', totalTokens: 5, promptTokens: 2, completionTokens: 3 },
    };
    assert.equal(conversationTotals([unpriced]).unpricedReplies, 1);
    assert.equal(conversationTotals([unpriced]).costUsd, undefined);
    const generatedOnly: ConversationMessage = { ...unpriced, stats: { generator: 'TGI', completionTokens: 7 } };
    const noUsage: ConversationMessage = { ...unpriced, stats: { generator: 'X' } };
    assert.deepEqual(conversationTotals([generatedOnly, noUsage]), {
      replies: 1,
      inputTokens: 0,
      outputTokens: 7,
      reasoningTokens: 0,
      totalTokens: 7,
      unpricedReplies: 1,
    });
  });

  it('exports a conversation up to its last question, with its settings and schema as Python-side kwargs', async () => {
    const conversation = await openConversation();
    await controller.updateSettings(conversation.id, {
      temperature: 0.3,
      maxTokens: 200,
      systemPrompt: 'Answer in JSON.',
    });
    await controller.setResponseSchema(conversation.id, responseSchema);
    responses.enqueue(responsesReply({ text: '{"name": "Paris", "population": 1}' }));
    await send(conversation.id, 'Reasoner', 'Facts about Paris');
    const live = (await controller.conversation(conversation.id))!;
    const input = conversationScriptInput(live, 'Reasoner', generators.Reasoner);
    assert.deepEqual(input.component, generators.Reasoner.toDict());
    assert.equal(input.conversationTitle, 'Facts about Paris');
    assert.deepEqual(
      input.messages?.map((m) => [m.role, m.text]),
      [
        ['system', 'Answer in JSON.'],
        ['user', 'Facts about Paris'],
      ],
    );
    // Haystack's Python Responses generator takes the JSON format as `text.format`, not our `text_format`.
    assert.deepEqual(input.generationKwargs, {
      temperature: 0.3,
      max_output_tokens: 200,
      text: { format: { type: 'json_schema', name: 'City_facts', schema: responseSchema.schema, strict: true } },
    });

    const text = conversationScriptInput(live, 'Completion', generators.Completion);
    assert.equal(text.prompt, 'Facts about Paris');
    assert.equal(text.messages, undefined);
    assert.deepEqual(generatorScriptInput('GPT', generators.GPT), {
      component: generators.GPT.toDict(),
      kind: 'chat',
      generatorName: 'GPT',
    });
  });
});
