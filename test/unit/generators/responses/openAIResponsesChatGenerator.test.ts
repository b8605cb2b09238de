import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ChatMessage } from '../../../../src/core/chatMessage';
import { ConfigurationError, GeneratorError } from '../../../../src/core/errors';
import { Secret, setSecretResolver } from '../../../../src/core/secret';
import type { StreamingChunk } from '../../../../src/core/streamingChunk';
import { Tool } from '../../../../src/core/tool';
import { OpenAIResponsesChatGenerator } from '../../../../src/generators/responses/openAIResponsesChatGenerator';
import { componentFromDict } from '../../../../src/generators/registry';
import {
  failingResponsesStream,
  openAIErrorReply,
  responsesReply,
  stallingResponsesStream,
  startResponsesServer,
  type ResponseScript,
} from '../../../servers/openaiResponses';
import type { TestServer } from '../../../servers/testServer';

const KEY = 'sk-test-responses-0123456789';
const TYPE = 'haystack.components.generators.chat.openai_responses.OpenAIResponsesChatGenerator';
const weather = new Tool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
});

const reasoningScript: ResponseScript = {
  id: 'resp_r1',
  reasoning: ['**Greeting**\n\nThe user says hello.', 'Answer briefly.'],
  encryptedReasoning: 'gAAAA-encrypted',
  text: 'Hello! How can I help you today?',
  usage: { input_tokens: 9, output_tokens: 8, reasoning_tokens: 128 },
};
const toolScript: ResponseScript = {
  id: 'resp_t1',
  reasoning: [],
  functionCalls: [
    { name: 'get_weather', arguments: { city: 'Paris' } },
    { name: 'get_weather', arguments: { city: 'Berlin, "DE"' } },
  ],
};

describe('OpenAIResponsesChatGenerator against the offline Responses server', () => {
  let server: TestServer;
  before(async () => {
    server = await startResponsesServer();
  });
  after(() => server.close());
  beforeEach(() => server.requests.splice(0));

  const generator = (options: ConstructorParameters<typeof OpenAIResponsesChatGenerator>[0] = {}) =>
    new OpenAIResponsesChatGenerator({
      apiKey: Secret.fromToken(KEY),
      apiBaseUrl: `${server.url}/v1`,
      maxRetries: 0,
      ...options,
    });

  it('sends model, input and merged generation_kwargs to /v1/responses and returns text, reasoning summary and meta', async () => {
    server.enqueue(responsesReply(reasoningScript));
    const gen = generator({
      organization: 'org-7',
      generationKwargs: { reasoning: { effort: 'low', summary: 'auto' }, temperature: 0.2, max_output_tokens: 400 },
    });
    const { replies } = await gen.run([ChatMessage.fromSystem('Be brief.'), ChatMessage.fromUser('Hello')], {
      generationKwargs: { temperature: 0.9, top_p: 0.5, previous_response_id: 'resp_prev' },
    });
    const request = server.requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1/responses');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(request.headers['openai-organization'], 'org-7');
    assert.deepEqual(request.body, {
      model: 'gpt-5-mini',
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      reasoning: { effort: 'low', summary: 'auto' },
      temperature: 0.9,
      max_output_tokens: 400,
      top_p: 0.5,
      previous_response_id: 'resp_prev',
      stream: false,
    });

    const [reply] = replies;
    assert.equal(reply!.role, 'assistant');
    assert.equal(reply!.text, 'Hello! How can I help you today?');
    assert.deepEqual(reply!.reasoning, {
      reasoningText: '**Greeting**\n\nThe user says hello.\nAnswer briefly.',
      extra: { id: 'rs_r1', type: 'reasoning', encrypted_content: 'gAAAA-encrypted' },
    });
    assert.equal(reply!.toolCalls.length, 0);
    const meta = reply!.meta;
    assert.equal(meta.id, 'resp_r1');
    assert.equal(meta.model, 'gpt-5-mini');
    assert.equal(meta.status, 'completed');
    assert.equal(meta.finish_reason, 'stop');
    assert.equal(meta.previous_response_id, 'resp_prev');
    assert.deepEqual(meta.usage, {
      input_tokens: 9,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 136,
      output_tokens_details: { reasoning_tokens: 128 },
      total_tokens: 145,
    });
    assert.equal('output' in meta, false);
    assert.equal('output_text' in meta, false);
  });

  it('returns no replies for no messages without calling the API', async () => {
    assert.deepEqual(await generator().run([]), { replies: [] });
    assert.equal(server.requests.length, 0);
  });

  it('streams reasoning then text in order, with start on each block and the finish reason last, and assembles the non-streamed reply', async () => {
    server.enqueue(responsesReply(reasoningScript), responsesReply(reasoningScript));
    const gen = generator();
    const messages = [ChatMessage.fromUser('Hello')];
    const chunks: StreamingChunk[] = [];
    const streamed = await gen.run(messages, { streamingCallback: (c) => void chunks.push(c) });
    const plain = await gen.run(messages);

    assert.equal(server.requests[0]!.body.stream, true);
    assert.equal(server.requests[1]!.body.stream, false);
    assert.deepEqual(streamed.replies[0]!.toDict(), plain.replies[0]!.toDict());

    const reasoning = chunks.filter((c) => c.reasoning);
    const text = chunks.filter((c) => c.content);
    assert.ok(chunks.indexOf(reasoning.at(-1)!) < chunks.indexOf(text[0]!), 'reasoning streams before the answer');
    assert.equal(reasoning[0]!.start, true);
    assert.equal(reasoning[0]!.index, 0);
    assert.equal(
      reasoning.slice(1).some((c) => c.start),
      false,
    );
    assert.equal(text[0]!.start, true);
    assert.equal(text[0]!.index, 1);
    assert.equal(
      text.slice(1).some((c) => c.start),
      false,
    );
    assert.equal(text.map((c) => c.content).join(''), 'Hello! How can I help you today?');
    const last = chunks.at(-1)!;
    assert.equal(last.finishReason, 'stop');
    assert.equal(chunks.filter((c) => c.finishReason).length, 1);
    assert.equal((last.meta.usage as { output_tokens_details: object }).output_tokens_details.constructor, Object);
    assert.deepEqual(last.componentInfo, { type: TYPE });
    assert.ok(chunks.every((c) => typeof c.meta.received_at === 'string'));
  });

  it('returns function calls with their item and call ids, streams their arguments, and finishes with tool_calls', async () => {
    server.enqueue(responsesReply(toolScript), responsesReply(toolScript));
    const gen = generator({ tools: [weather] });
    const messages = [ChatMessage.fromUser('Weather in Paris and Berlin?')];
    const plain = (await gen.run(messages)).replies[0]!;
    const chunks: StreamingChunk[] = [];
    const streamed = (await gen.run(messages, { streamingCallback: (c) => void chunks.push(c) })).replies[0]!;

    assert.deepEqual(server.requests[0]!.body.tools, [
      {
        type: 'function',
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
          additionalProperties: false,
        },
        strict: false,
      },
    ]);
    assert.equal(plain.text, undefined);
    assert.deepEqual(plain.toolCalls, [
      { id: 'fc_t1_0', toolName: 'get_weather', arguments: { city: 'Paris' }, extra: { call_id: 'call_t1_0' } },
      { id: 'fc_t1_1', toolName: 'get_weather', arguments: { city: 'Berlin, "DE"' }, extra: { call_id: 'call_t1_1' } },
    ]);
    assert.equal(plain.meta.finish_reason, 'tool_calls');
    assert.deepEqual(streamed.toDict(), plain.toDict());

    const starts = chunks.filter((c) => c.start);
    assert.deepEqual(
      starts.map((c) => [c.index, c.reasoning ? 'reasoning' : c.toolCalls?.[0]?.toolName]),
      [
        [0, 'reasoning'],
        [1, 'get_weather'],
        [2, 'get_weather'],
      ],
    );
    const argumentFragments = chunks.filter((c) => c.toolCalls?.[0]?.arguments);
    assert.ok(argumentFragments.length > 2, 'arguments arrive in fragments');
    assert.equal(chunks.at(-1)!.finishReason, 'tool_calls');
  });

  it('sends the tool round trip back as function_call and function_call_output items with the same call id', async () => {
    server.enqueue(responsesReply(toolScript), responsesReply({ text: 'Sunny in Paris.' }));
    const gen = generator({ tools: [weather] });
    const history = [ChatMessage.fromUser('Weather in Paris?')];
    const call = (await gen.run(history)).replies[0]!;
    history.push(call, ...call.toolCalls.map((tc) => ChatMessage.fromTool('18°C', tc)));
    const { replies } = await gen.run(history);
    assert.equal(replies[0]!.text, 'Sunny in Paris.');
    assert.deepEqual(server.requests[1]!.body.input, [
      { role: 'user', content: 'Weather in Paris?' },
      { id: 'rs_t1', type: 'reasoning', summary: [] },
      {
        type: 'function_call',
        call_id: 'call_t1_0',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
        id: 'fc_t1_0',
      },
      {
        type: 'function_call',
        call_id: 'call_t1_1',
        name: 'get_weather',
        arguments: '{"city":"Berlin, \\"DE\\""}',
        id: 'fc_t1_1',
      },
      { type: 'function_call_output', call_id: 'call_t1_0', output: '18°C' },
      { type: 'function_call_output', call_id: 'call_t1_1', output: '18°C' },
    ]);
  });

  it('replaces init tools with run-time tools, lets tools_strict override, and passes raw OpenAI/MCP tools through', async () => {
    const time = new Tool({ name: 'get_time', description: 'Now', parameters: { type: 'object', properties: {} } });
    const gen = generator({ tools: [weather], toolsStrict: false });
    await gen.run([ChatMessage.fromUser('a')], { tools: [time], toolsStrict: true });
    assert.deepEqual(
      // With tools_strict, `strict` is left to the API, whose default for function tools is strict (as in Haystack).
      server.requests[0]!.body.tools.map((t: { name: string; strict?: boolean }) => [t.name, 'strict' in t]),
      [['get_time', false]],
    );
    const raw = [
      { type: 'mcp', server_label: 'docs', server_url: 'https://example.com/mcp', require_approval: 'never' },
      { type: 'web_search' },
    ];
    await generator({ tools: raw }).run([ChatMessage.fromUser('b')]);
    assert.deepEqual(server.requests[1]!.body.tools, raw);
  });

  it('refuses Haystack tools mixed with raw tool dicts, at construction and at run time, before sending anything', async () => {
    const mixed = [weather, { type: 'web_search' }] as never;
    assert.throws(
      () => generator({ tools: mixed }),
      (e: unknown) => e instanceof ConfigurationError && /cannot mix Haystack tools/.test(e.message),
    );
    await assert.rejects(generator().run([ChatMessage.fromUser('x')], { tools: mixed }), /cannot mix Haystack tools/);
    assert.equal(server.requests.length, 0);
  });

  it('sends a text JSON schema and maps text_format onto text.format', async () => {
    const format = {
      type: 'json_schema',
      name: 'city',
      schema: {
        type: 'object',
        properties: { name: { type: 'string' } },
        required: ['name'],
        additionalProperties: false,
      },
      strict: true,
    };
    server.enqueue(responsesReply({ text: '{"name":"Paris"}' }));
    const { replies } = await generator({ generationKwargs: { text: { format } } }).run([
      ChatMessage.fromUser('Capital of France?'),
    ]);
    assert.deepEqual(server.requests[0]!.body.text, { format });
    assert.deepEqual(JSON.parse(replies[0]!.text!), { name: 'Paris' });
    assert.deepEqual(replies[0]!.meta.text, { format });
    await generator({ generationKwargs: { text_format: format } }).run([ChatMessage.fromUser('Capital of France?')]);
    assert.deepEqual(server.requests[1]!.body.text, { format });
    assert.equal('text_format' in server.requests[1]!.body, false);
  });

  it('reports an incomplete response with finish_reason length, streamed and not', async () => {
    const script: ResponseScript = { text: 'Cut sho', status: 'incomplete' };
    server.enqueue(responsesReply(script), responsesReply(script));
    const plain = (await generator().run([ChatMessage.fromUser('long')])).replies[0]!;
    const streamed = (await generator().run([ChatMessage.fromUser('long')], { streamingCallback: () => {} }))
      .replies[0]!;
    assert.equal(plain.meta.finish_reason, 'length');
    assert.deepEqual(plain.meta.incomplete_details, { reason: 'max_output_tokens' });
    assert.deepEqual(streamed.toDict(), plain.toDict());
  });

  it('skips tool calls with malformed arguments and names them in meta', async () => {
    server.enqueue(responsesReply({ functionCalls: [{ name: 'get_weather', arguments: '{"city": "Par' }] }));
    const reply = (await generator().run([ChatMessage.fromUser('w')])).replies[0]!;
    assert.deepEqual(reply.toolCalls, []);
    assert.deepEqual(reply.meta.malformed_tool_calls, ['get_weather']);
  });

  it('surfaces 401 as an authentication error that names the key and never shows it', async () => {
    server.enqueue(openAIErrorReply(401, `Incorrect API key provided: ${KEY}.`, { code: 'invalid_api_key' }));
    const error = await generator({ apiKey: Secret.fromEnvVar('MY_OPENAI_KEY') })
      .run([ChatMessage.fromUser('x')])
      .catch((e: unknown) => e);
    // The env var is unset: the key is checked before any request.
    assert.ok(GeneratorError.isInstance(error));
    assert.equal(error.code, 'missing_secret');
    assert.match(error.message, /MY_OPENAI_KEY/);

    const restore = setSecretResolver((name) => (name === 'MY_OPENAI_KEY' ? KEY : undefined));
    try {
      const failure = await generator({ apiKey: Secret.fromEnvVar('MY_OPENAI_KEY') })
        .run([ChatMessage.fromUser('x')])
        .catch((e: unknown) => e);
      assert.ok(GeneratorError.isInstance(failure));
      assert.equal(failure.code, 'authentication');
      assert.equal(failure.status, 401);
      assert.equal(failure.isRetryable, false);
      assert.match(failure.message, /MY_OPENAI_KEY/);
      assert.equal(failure.message.includes(KEY), false);
      assert.equal(server.requests[0]!.headers.authorization, `Bearer ${KEY}`);
    } finally {
      restore();
    }
  });

  it('surfaces 429 as a retryable rate-limit error with Retry-After, and 500 as a retryable server error', async () => {
    server.enqueue(
      openAIErrorReply(429, 'Rate limit reached for gpt-5-mini.', {
        type: 'requests',
        code: 'rate_limit_exceeded',
        headers: { 'retry-after': '7' },
      }),
    );
    const limited = await generator()
      .run([ChatMessage.fromUser('x')])
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(limited));
    assert.equal(limited.code, 'rate_limit');
    assert.equal(limited.isRetryable, true);
    assert.equal(limited.retryAfter, 7);

    server.enqueue(openAIErrorReply(500, 'The server had an error.', { type: 'server_error' }));
    const failed = await generator({ streamingCallback: () => {} })
      .run([ChatMessage.fromUser('x')])
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(failed));
    assert.equal(failed.code, 'server');
    assert.equal(failed.status, 500);
    assert.equal(failed.isRetryable, true);
    assert.equal(server.requests.length, 2, 'max_retries 0 sends each request once');
  });

  it('retries a 500 up to max_retries and then succeeds', async () => {
    server.enqueue(
      openAIErrorReply(500, 'Temporary.', { type: 'server_error', headers: { 'retry-after-ms': '1' } }),
      responsesReply({ text: 'Recovered.' }),
    );
    const { replies } = await generator({ maxRetries: 1 }).run([ChatMessage.fromUser('x')]);
    assert.equal(replies[0]!.text, 'Recovered.');
    assert.equal(server.requests.length, 2);
  });

  it('surfaces response.failed and error events in the stream as errors, after the chunks that came before', async () => {
    server.enqueue(failingResponsesStream('failed'));
    const chunks: StreamingChunk[] = [];
    const failed = await generator()
      .run([ChatMessage.fromUser('x')], { streamingCallback: (c) => void chunks.push(c) })
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(failed));
    assert.equal(failed.code, 'server');
    assert.match(failed.message, /server_error.*The model failed to generate a response/);
    assert.equal(chunks.map((c) => c.content).join(''), 'Partial an');

    server.enqueue(failingResponsesStream('error', 'rate_limit_exceeded', 'Slow down.'));
    const errored = await generator()
      .run([ChatMessage.fromUser('x')], { streamingCallback: () => {} })
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(errored));
    assert.equal(errored.code, 'rate_limit');
    assert.equal(errored.isRetryable, true);
  });

  it('cancels mid-stream through the AbortSignal: the request is dropped and the run rejects as cancelled', async () => {
    const stall = stallingResponsesStream({ text: 'This answer never finishes streaming.' });
    server.enqueue(stall.handler);
    const controller = new AbortController();
    const chunks: StreamingChunk[] = [];
    const run = generator().run([ChatMessage.fromUser('x')], {
      signal: controller.signal,
      streamingCallback: (c) => {
        chunks.push(c);
        if (c.content) controller.abort();
      },
    });
    const error = await run.catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(error));
    assert.equal(error.code, 'cancelled');
    await stall.disconnected;
    assert.equal(chunks.filter((c) => c.content).length, 1);
  });

  it('does not send anything when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      generator().run([ChatMessage.fromUser('x')], { signal: controller.signal }),
      (e: unknown) => GeneratorError.isInstance(e) && e.code === 'cancelled',
    );
    assert.equal(server.requests.length, 0);
  });

  it('times out a stream that stalls for longer than `timeout`', async () => {
    const stall = stallingResponsesStream({ text: 'Stalls after the first words.' });
    server.enqueue(stall.handler);
    const error = await generator({ timeout: 0.3 })
      .run([ChatMessage.fromUser('x')], { streamingCallback: () => {} })
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(error));
    assert.equal(error.code, 'timeout');
    assert.equal(error.isRetryable, true);
    await stall.disconnected;
  });

  it('keeps the resolved key out of JSON.stringify and util.inspect after a run', async () => {
    const gen = generator();
    await gen.run([ChatMessage.fromUser('x')]);
    assert.equal(JSON.stringify(gen).includes(KEY), false);
    assert.equal(inspect(gen, { depth: 10, showHidden: true }).includes(KEY), false);
  });

  it('sends http_client_kwargs headers with every request', async () => {
    await generator({ httpClientKwargs: { headers: { 'x-team': 'editor' } } }).run([ChatMessage.fromUser('x')]);
    assert.equal(server.requests[0]!.headers['x-team'], 'editor');
  });
});

describe('OpenAIResponsesChatGenerator serialization', () => {
  it('writes Haystack defaults exactly', () => {
    assert.deepEqual(new OpenAIResponsesChatGenerator().toDict(), {
      type: TYPE,
      init_parameters: {
        model: 'gpt-5-mini',
        streaming_callback: null,
        api_base_url: null,
        organization: null,
        generation_kwargs: {},
        api_key: { type: 'env_var', env_vars: ['OPENAI_API_KEY'], strict: true },
        timeout: null,
        max_retries: null,
        tools: null,
        tools_strict: false,
        http_client_kwargs: null,
      },
    });
  });

  it('round-trips every parameter, including tools and a text_format written as text.format', () => {
    const format = { type: 'json_schema', name: 'n', schema: { type: 'object' }, strict: true };
    const gen = new OpenAIResponsesChatGenerator({
      apiKey: Secret.fromEnvVar(['OPENAI_KEY_A', 'OPENAI_KEY_B'], { strict: false }),
      model: 'o4-mini',
      streamingCallback: 'haystack.components.generators.utils.print_streaming_chunk',
      apiBaseUrl: 'https://proxy.example.com/v1',
      organization: 'org-1',
      generationKwargs: { reasoning: { effort: 'high', summary: 'auto' }, text_format: format },
      timeout: 12,
      maxRetries: 2,
      tools: [weather],
      toolsStrict: true,
      httpClientKwargs: { headers: { 'x-a': 'b' } },
    });
    const dict = gen.toDict();
    assert.deepEqual(dict.init_parameters.generation_kwargs, {
      reasoning: { effort: 'high', summary: 'auto' },
      text: { format },
    });
    assert.deepEqual(dict.init_parameters.api_key, {
      type: 'env_var',
      env_vars: ['OPENAI_KEY_A', 'OPENAI_KEY_B'],
      strict: false,
    });
    assert.deepEqual((dict.init_parameters.tools as { type: string }[])[0]!.type, 'haystack.tools.tool.Tool');
    const back = OpenAIResponsesChatGenerator.fromDict(JSON.parse(JSON.stringify(dict)));
    assert.deepEqual(back.toDict(), dict);
    assert.equal(typeof back.streamingCallback, 'function', 'a known Haystack callback becomes its JS equivalent');
    const viaRegistry = componentFromDict(dict);
    assert.ok(viaRegistry instanceof OpenAIResponsesChatGenerator);
  });

  it('round-trips raw tool dicts and fills defaults for missing parameters', () => {
    const raw = [{ type: 'web_search' }];
    const back = OpenAIResponsesChatGenerator.fromDict({ type: TYPE, init_parameters: { tools: raw } });
    assert.deepEqual(back.toDict().init_parameters.tools, raw);
    assert.deepEqual(
      OpenAIResponsesChatGenerator.fromDict({ type: TYPE }).toDict(),
      new OpenAIResponsesChatGenerator().toDict(),
    );
  });

  it('refuses to serialize a token secret and never shows the token', () => {
    const gen = new OpenAIResponsesChatGenerator({ apiKey: Secret.fromToken(KEY) });
    const error = (() => {
      try {
        gen.toDict();
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    assert.ok(error, 'toDict must throw for a token secret');
    assert.equal(error.message.includes(KEY), false);
  });

  it('names the bad field of a malformed dict', () => {
    assert.throws(
      () => OpenAIResponsesChatGenerator.fromDict({ type: TYPE, init_parameters: { model: 5 } }),
      /init_parameters\.model/,
    );
    assert.throws(
      () =>
        OpenAIResponsesChatGenerator.fromDict({
          type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator',
        }),
      /expected "haystack\.components\.generators\.chat\.openai_responses/,
    );
    assert.throws(
      () => OpenAIResponsesChatGenerator.fromDict({ type: TYPE, init_parameters: { api_key: { type: 'token' } } }),
      /token secrets cannot be deserialized/,
    );
  });
});
