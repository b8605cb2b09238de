import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { hostErrorMessage } from '../../../../src/host/platform/hostErrorMessage';
import {
  ChatMessage,
  GeneratorError,
  OpenAIChatGenerator,
  Secret,
  Tool,
  type StreamingChunk,
} from '../../../../src/index';
import {
  apiError,
  completionReply,
  resetAfter,
  stallAfter,
  startOpenAIServer,
} from '../../../servers/openaiChatCompletions';
import type { TestServer } from '../../../servers/testServer';

const KEY = 'sk-test-0123456789abcdef';
const weather = new Tool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
});

describe('OpenAIChatGenerator against the offline Chat Completions server', () => {
  let server: TestServer;
  before(async () => {
    server = await startOpenAIServer();
  });
  after(() => server.close());
  beforeEach(() => server.requests.splice(0));

  const generator = (options: ConstructorParameters<typeof OpenAIChatGenerator>[0] = {}) =>
    new OpenAIChatGenerator({
      apiKey: Secret.fromToken(KEY),
      apiBaseUrl: `${server.url}/v1`,
      maxRetries: 0,
      ...options,
    });

  it('sends the messages, model and merged generation_kwargs and returns the reply with Haystack meta', async () => {
    const gen = generator({ organization: 'org-1', generationKwargs: { temperature: 0.1, max_completion_tokens: 50 } });
    const { replies } = await gen.run([ChatMessage.fromSystem('Be brief.'), ChatMessage.fromUser('Hello there')], {
      generationKwargs: { temperature: 0.7, seed: 3 },
    });
    const request = server.requests[0]!;
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(request.headers['openai-organization'], 'org-1');
    assert.deepEqual(request.body, {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
      ],
      stream: false,
      n: 1,
      temperature: 0.7,
      max_completion_tokens: 50,
      seed: 3,
    });
    assert.equal(replies.length, 1);
    assert.equal(replies[0]!.role, 'assistant');
    assert.equal(replies[0]!.text, 'Echo: Hello there');
    assert.equal(replies[0]!.meta.model, 'gpt-4o-mini');
    assert.equal(replies[0]!.meta.index, 0);
    assert.equal(replies[0]!.meta.finish_reason, 'stop');
    // The openai SDK's shape, as Haystack reports it: the detail objects are null when the API sends none.
    assert.deepEqual(Object.keys(replies[0]!.meta.usage as object).sort(), [
      'completion_tokens',
      'completion_tokens_details',
      'prompt_tokens',
      'prompt_tokens_details',
      'total_tokens',
    ]);
  });

  it('keeps the resolved key out of JSON and inspect output after a call', async () => {
    const gen = generator();
    await gen.run([ChatMessage.fromUser('x')]);
    assert.ok(!JSON.stringify(gen).includes(KEY));
    assert.ok(!inspect(gen, { depth: 10, showHidden: true }).includes(KEY));
  });

  it('returns no replies for no messages without calling the API', async () => {
    assert.deepEqual(await generator().run([]), { replies: [] });
    assert.equal(server.requests.length, 0);
  });

  it('streams chunks in order, asks for usage, and assembles the same reply as the non-streamed call', async () => {
    const text = 'Streaming works one small piece at a time.';
    server.enqueue(completionReply({ text }), completionReply({ text }));
    const chunks: StreamingChunk[] = [];
    const streamed = await generator().run([ChatMessage.fromUser('hi')], {
      streamingCallback: (c) => void chunks.push(c),
    });
    const plain = await generator().run([ChatMessage.fromUser('hi')]);

    assert.equal(server.requests[0]!.body.stream, true);
    assert.deepEqual(server.requests[0]!.body.stream_options, { include_usage: true });
    assert.equal(chunks.map((c) => c.content).join(''), text);
    assert.equal(chunks.filter((c) => c.start).length, 1, 'one text block starts once');
    assert.equal(chunks.find((c) => c.content !== '')!.start, true);
    assert.equal(chunks.at(-2)!.finishReason, 'stop');
    assert.ok(chunks.at(-1)!.meta.usage, 'the last chunk carries usage');
    assert.ok(chunks.every((c) => c.componentInfo?.type === OpenAIChatGenerator.typeName));

    const [s] = streamed.replies;
    const [p] = plain.replies;
    assert.equal(s!.text, p!.text);
    assert.equal(s!.meta.finish_reason, p!.meta.finish_reason);
    assert.deepEqual(s!.meta.usage, p!.meta.usage);
    assert.equal(typeof s!.meta.completion_start_time, 'string');
  });

  it('awaits an async streaming callback before delivering the next chunk', async () => {
    server.enqueue(completionReply({ text: 'abcdefghijkl', chunkSize: 2 }));
    const seen: string[] = [];
    let inside = false;
    await generator().run([ChatMessage.fromUser('x')], {
      streamingCallback: async (c) => {
        assert.equal(inside, false, 'callbacks never overlap');
        inside = true;
        await new Promise((r) => setTimeout(r, 1));
        seen.push(c.content);
        inside = false;
      },
    });
    assert.equal(seen.join(''), 'abcdefghijkl');
  });

  it('sends tools (strict when asked), parses tool calls, and sends tool results back', async () => {
    const call = { id: 'call_1', name: 'get_weather', arguments: '{"city": "Paris"}' };
    server.enqueue(completionReply({ toolCalls: [call] }));
    const gen = generator({ tools: [weather], toolsStrict: true });
    const { replies } = await gen.run([ChatMessage.fromUser('Weather in Paris?')]);
    assert.deepEqual(server.requests[0]!.body.tools, [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { ...weather.parameters, additionalProperties: false },
          strict: true,
        },
      },
    ]);
    const reply = replies[0]!;
    assert.equal(reply.text, undefined);
    assert.deepEqual(reply.toolCalls, [{ id: 'call_1', toolName: 'get_weather', arguments: { city: 'Paris' } }]);
    assert.equal(reply.meta.finish_reason, 'tool_calls');

    await gen.run(
      [ChatMessage.fromUser('Weather in Paris?'), reply, ChatMessage.fromTool('22 degrees', reply.toolCall!)],
      { toolsStrict: false },
    );
    const sent = server.requests[1]!.body;
    assert.equal(sent.tools[0].function.strict, undefined, 'run-time tools_strict overrides init');
    assert.deepEqual(sent.messages.slice(1), [
      {
        role: 'assistant',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '22 degrees' },
    ]);
  });

  it('assembles streamed tool-call deltas into tool calls', async () => {
    const calls = [
      { id: 'call_a', name: 'get_weather', arguments: '{"city": "Berlin, Germany"}' },
      { id: 'call_b', name: 'get_weather', arguments: '{"city": "Rome"}' },
    ];
    server.enqueue(completionReply({ toolCalls: calls }));
    const chunks: StreamingChunk[] = [];
    const { replies } = await generator({ tools: [weather] }).run([ChatMessage.fromUser('two cities')], {
      streamingCallback: (c) => void chunks.push(c),
    });
    assert.deepEqual(replies[0]!.toolCalls, [
      { id: 'call_a', toolName: 'get_weather', arguments: { city: 'Berlin, Germany' } },
      { id: 'call_b', toolName: 'get_weather', arguments: { city: 'Rome' } },
    ]);
    assert.equal(chunks.filter((c) => c.start && c.toolCalls).length, 2, 'each tool call starts once');
    assert.ok(chunks.filter((c) => c.toolCalls).length > 4, 'arguments arrived in fragments');
    assert.equal(replies[0]!.meta.finish_reason, 'tool_calls');
  });

  it('returns n completions and refuses to stream more than one', async () => {
    server.enqueue(completionReply({ choices: ['first', 'second'] }));
    const { replies } = await generator({ generationKwargs: { n: 2 } }).run([ChatMessage.fromUser('two')]);
    assert.equal(server.requests[0]!.body.n, 2);
    assert.deepEqual(
      replies.map((r) => [r.text, r.meta.index]),
      [
        ['first', 0],
        ['second', 1],
      ],
    );
    await assert.rejects(
      generator({ generationKwargs: { n: 2 } }).run([ChatMessage.fromUser('x')], { streamingCallback: () => {} }),
      /Cannot stream multiple responses, please set n=1/,
    );
  });

  it('passes response_format through as given', async () => {
    const responseFormat = {
      type: 'json_schema',
      json_schema: { name: 'city', schema: { type: 'object', properties: { name: { type: 'string' } } } },
    };
    server.enqueue(completionReply({ text: '{"name":"Oslo"}' }));
    const { replies } = await generator().run([ChatMessage.fromUser('city')], {
      generationKwargs: { response_format: responseFormat },
    });
    assert.deepEqual(server.requests[0]!.body.response_format, responseFormat);
    assert.deepEqual(JSON.parse(replies[0]!.text!), { name: 'Oslo' });
  });

  it('sends user images as data URLs with their detail', async () => {
    await generator().run([
      ChatMessage.fromUser('What is this?', {
        images: [{ base64Image: 'iVBORw0KGgo=', mimeType: 'image/png', detail: 'low' }],
      }),
    ]);
    assert.deepEqual(server.requests[0]!.body.messages[0].content, [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
    ]);
  });

  it('retries 500 and 429 up to max_retries, honouring retry-after', async () => {
    server.enqueue(
      apiError(500, 'boom', { 'retry-after-ms': '1' }),
      apiError(429, 'slow down', { 'retry-after': '0' }),
    );
    const { replies } = await generator({ maxRetries: 2 }).run([ChatMessage.fromUser('again')]);
    assert.equal(replies[0]!.text, 'Echo: again');
    assert.equal(server.requests.length, 3);
  });

  it('surfaces a 429 after the retries are spent, with the wait the provider asked for', async () => {
    server.enqueue(
      apiError(429, 'Rate limit reached', { 'retry-after': '0' }),
      apiError(429, 'Rate limit reached', { 'retry-after': '7' }),
    );
    const error = await generator({ maxRetries: 1 })
      .run([ChatMessage.fromUser('x')])
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(error));
    assert.equal(error.code, 'rate_limit');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfter, 7);
    assert.equal(error.isRetryable, true);
    assert.match(error.message, /Rate limit reached.*Retry after 7 s/);
    assert.equal(server.requests.length, 2);
  });

  it('takes max_retries from OPENAI_MAX_RETRIES when not given', async () => {
    process.env.OPENAI_MAX_RETRIES = '1';
    try {
      server.enqueue(
        apiError(503, 'unavailable', { 'retry-after-ms': '1' }),
        apiError(503, 'unavailable', { 'retry-after-ms': '1' }),
      );
      const error = await generator({ maxRetries: undefined })
        .run([ChatMessage.fromUser('x')])
        .catch((e: unknown) => e);
      assert.ok(GeneratorError.isInstance(error) && error.code === 'server' && error.status === 503);
      assert.equal(server.requests.length, 2);
    } finally {
      delete process.env.OPENAI_MAX_RETRIES;
    }
  });

  it('reports a rejected key without revealing it and says how to fix it', async () => {
    const leaked = `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com.`;
    server.enqueue(apiError(401, leaked));
    process.env.GENERATORS_TEST_OPENAI_KEY = KEY;
    const error = await generator({ apiKey: Secret.fromEnvVar('GENERATORS_TEST_OPENAI_KEY') })
      .run([ChatMessage.fromUser('x')])
      .catch((e: unknown) => e)
      .finally(() => delete process.env.GENERATORS_TEST_OPENAI_KEY);
    assert.ok(GeneratorError.isInstance(error));
    assert.equal(error.code, 'authentication');
    assert.ok(!error.message.includes(KEY) && !error.message.includes('0123456789abcdef'), error.message);
    // The core names the variable for a script's user; the editor adds the command that stores it.
    assert.deepEqual(error.envVars, ['GENERATORS_TEST_OPENAI_KEY']);
    assert.doesNotMatch(error.message, /Generators:/);
    assert.match(hostErrorMessage(error), /Run 'Generators: Set API Key' to store a valid GENERATORS_TEST_OPENAI_KEY/);
  });

  it('names the missing environment variable when the key is not set', async () => {
    const error = await new OpenAIChatGenerator({
      apiKey: Secret.fromEnvVar('GENERATORS_TEST_UNSET_KEY'),
      apiBaseUrl: `${server.url}/v1`,
    })
      .run([ChatMessage.fromUser('x')])
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(error));
    assert.equal(error.code, 'missing_secret');
    assert.match(error.message, /GENERATORS_TEST_UNSET_KEY/);
    assert.equal(server.requests.length, 0);
  });

  it('aborts a stream that stalls longer than the timeout', async () => {
    server.enqueue(stallAfter({ text: 'partial reply that never ends' }, 3));
    const chunks: StreamingChunk[] = [];
    const started = Date.now();
    const error = await generator({ timeout: 0.3 })
      .run([ChatMessage.fromUser('x')], { streamingCallback: (c) => void chunks.push(c) })
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(error));
    assert.equal(error.code, 'timeout');
    assert.match(error.message, /stopped sending/);
    assert.ok(Date.now() - started < 5000);
    assert.equal(chunks.map((c) => c.content).join(''), 'partial ', 'the chunks already delivered stay delivered');
    assert.equal(server.requests.length, 1, 'a stream that already reached the user is not retried');
  });

  it('fails clearly when the connection drops mid-stream, without retrying', async () => {
    server.enqueue(resetAfter({ text: 'cut short here' }, 2));
    const error = await generator({ maxRetries: 3 })
      .run([ChatMessage.fromUser('x')], { streamingCallback: () => {} })
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(error), String(error));
    assert.equal(server.requests.length, 1);
  });

  it('cancels a stream through the AbortSignal, delivering nothing after the abort', async () => {
    server.enqueue(stallAfter({ text: 'abcdefghijklmnop', chunkSize: 1 }, 6));
    const controller = new AbortController();
    let afterAbort = 0;
    const error = await generator({ timeout: 30 })
      .run([ChatMessage.fromUser('x')], {
        signal: controller.signal,
        streamingCallback: (c) => {
          if (controller.signal.aborted) afterAbort++;
          if (c.content === 'c') controller.abort();
        },
      })
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(error));
    assert.equal(error.code, 'cancelled');
    assert.equal(afterAbort, 0);
  });

  it('rejects immediately when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      generator().run([ChatMessage.fromUser('x')], { signal: controller.signal }),
      (e: unknown) => GeneratorError.isInstance(e) && e.code === 'cancelled',
    );
    assert.equal(server.requests.length, 0);
  });
});
