import assert from 'node:assert/strict';
import { ChatMessage } from '../../../../src/core/chatMessage';
import { Secret } from '../../../../src/core/secret';
import type { StreamingChunk } from '../../../../src/core/streamingChunk';
import { Tool, Toolset } from '../../../../src/core/tool';
import { componentFromDict } from '../../../../src/generators/registry';
import {
  HuggingFaceAPIChatGenerator,
  type HuggingFaceAPIChatGeneratorOptions,
} from '../../../../src/generators/huggingFaceApi/huggingFaceAPIChatGenerator';
import { HFGenerationAPIType } from '../../../../src/generators/huggingFaceApi/huggingFaceApiType';
import { stallingReply, tgiError } from '../../../servers/textGenerationInference';
import { startSse, writeSse } from '../../../servers/testServer';
import { useHuggingFaceServers } from '../../../helpers/huggingFaceApiServers';
import { rejectionWithout } from '../../../helpers/rejections';

const TOKEN = 'hf_chatUnitToken_4d2f8e61';
const TYPE = 'haystack.components.generators.chat.hugging_face_api.HuggingFaceAPIChatGenerator';
const CHAT_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const weatherTool = () =>
  new Tool({
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { $ref: '#/$defs/Unit' } },
      required: ['city'],
      $defs: { Unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    },
  });

const conversation = () => [
  ChatMessage.fromSystem('You are a helpful assistant.'),
  ChatMessage.fromUser("What's Natural Language Processing?"),
];

const rejection = (promise: Promise<unknown>) => rejectionWithout(TOKEN, promise);

describe('HuggingFaceAPIChatGenerator', () => {
  const hf = useHuggingFaceServers('HF_TOKEN', TOKEN);

  const tgiChat = (options: Partial<HuggingFaceAPIChatGeneratorOptions> = {}) =>
    new HuggingFaceAPIChatGenerator({
      apiType: 'text_generation_inference',
      apiParams: { url: hf.tgi.url },
      ...options,
    });
  const serverless = (apiParams: Record<string, unknown>, options: Partial<HuggingFaceAPIChatGeneratorOptions> = {}) =>
    new HuggingFaceAPIChatGenerator({
      apiType: 'serverless_inference_api',
      apiParams,
      serviceUrls: { router: hf.router.url, hub: hf.router.url },
      ...options,
    });
  const collect = () => {
    const chunks: StreamingChunk[] = [];
    return { chunks, callback: (chunk: StreamingChunk) => void chunks.push(chunk) };
  };

  describe('text_generation_inference', () => {
    it('posts the messages to /v1/chat/completions and returns the reply with Haystack meta', async () => {
      const { replies } = await tgiChat().run(conversation());
      assert.equal(replies.length, 1);
      assert.equal(replies[0].role, 'assistant');
      assert.equal(replies[0].text, 'Natural language processing is fun.');
      assert.deepEqual(replies[0].meta, {
        model: hf.tgi.url,
        finish_reason: 'stop',
        index: 0,
        usage: { prompt_tokens: 21, completion_tokens: 6 },
      });
      const request = hf.tgi.requests[0];
      assert.equal(request.path, '/v1/chat/completions');
      assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
      assert.deepEqual(request.body, {
        model: 'tgi',
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: "What's Natural Language Processing?" },
        ],
        stop: [],
        max_tokens: 512,
      });
    });

    it('streams text chunks in order, then usage, and assembles the reply', async () => {
      const { chunks, callback } = collect();
      const { replies } = await tgiChat({ streamingCallback: callback }).run(conversation());
      const request = hf.tgi.requests[0];
      assert.equal(request.body.stream, true);
      assert.deepEqual(request.body.stream_options, { include_usage: true });
      assert.deepEqual(
        chunks.map((c) => c.content),
        ['Natural', ' language', ' processing', ' is', ' fun', '.', ''],
      );
      assert.equal(chunks[0].start, true);
      assert.ok(chunks.slice(1).every((c) => !c.start));
      assert.equal(chunks[4].index, 0);
      assert.equal(chunks[5].finishReason, 'stop');
      assert.equal(chunks[5].meta.finish_reason, 'eos_token');
      assert.deepEqual(chunks[6].meta.usage, { prompt_tokens: 21, completion_tokens: 6 });
      assert.ok(chunks.every((c) => c.componentInfo?.type === TYPE && typeof c.meta.received_at === 'string'));
      assert.equal(replies[0].text, 'Natural language processing is fun.');
      assert.equal(replies[0].meta.finish_reason, 'stop');
      assert.equal(replies[0].meta.model, hf.fake.tgiModelId);
      assert.deepEqual(replies[0].meta.usage, { prompt_tokens: 21, completion_tokens: 6 });
    });

    it('sends stop words as `stop`, merges run-time generation_kwargs and reports a length stop', async () => {
      const generator = tgiChat({ stopWords: ['fun'], generationKwargs: { temperature: 0.3, max_tokens: 100 } });
      assert.deepEqual(generator.generationKwargs, { temperature: 0.3, max_tokens: 100, stop: ['fun'] });
      const stopped = await generator.run(conversation());
      assert.equal(stopped.replies[0].text, 'Natural language processing is fun');
      assert.equal(stopped.replies[0].meta.finish_reason, 'stop');
      const cut = await generator.run(conversation(), { generationKwargs: { max_tokens: 2, top_p: 0.9 } });
      assert.deepEqual(
        { ...hf.tgi.requests[1].body, messages: undefined },
        { model: 'tgi', messages: undefined, temperature: 0.3, max_tokens: 2, stop: ['fun'], top_p: 0.9 },
      );
      assert.equal(cut.replies[0].text, 'Natural language');
      assert.equal(cut.replies[0].meta.finish_reason, 'length');
    });

    it('sends images as data URLs next to the text, in order', async () => {
      const message = ChatMessage.fromUser('Describe these images', {
        images: [{ base64Image: PNG, mimeType: 'image/png' }, { base64Image: PNG }],
      });
      await tgiChat().run([message]);
      assert.deepEqual(hf.tgi.requests[0].body.messages, [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe these images' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${PNG}` } },
          ],
        },
      ]);
    });

    it('offers tools with $refs inlined and returns the tool calls TGI makes (object arguments)', async () => {
      hf.fake.script.toolCalls = [{ id: '0', name: 'get_weather', arguments: { city: 'Paris' } }];
      const { replies } = await tgiChat({ tools: [weatherTool()] }).run([ChatMessage.fromUser('Weather in Paris?')]);
      assert.deepEqual(hf.tgi.requests[0].body.tools, [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather in a city',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
              required: ['city'],
            },
          },
        },
      ]);
      assert.equal(replies[0].text, undefined);
      assert.deepEqual(replies[0].toolCalls, [{ toolName: 'get_weather', arguments: { city: 'Paris' }, id: '0' }]);
      assert.equal(replies[0].meta.finish_reason, 'tool_calls');
    });

    it('replaces the init-time tools with run-time tools', async () => {
      const other = new Tool({
        name: 'search',
        description: 'Search the docs',
        parameters: { type: 'object', properties: {} },
      });
      await tgiChat({ tools: [weatherTool()] }).run(conversation(), { tools: new Toolset([other]) });
      assert.deepEqual(
        hf.tgi.requests[0].body.tools.map((t: { function: { name: string } }) => t.function.name),
        ['search'],
      );
    });

    it('sends an earlier tool call and its result back in the wire format', async () => {
      const call = { toolName: 'get_weather', arguments: { city: 'Paris' }, id: 'call_1' };
      await tgiChat().run([
        ChatMessage.fromUser('Weather in Paris?'),
        ChatMessage.fromAssistant(null, { toolCalls: [call] }),
        ChatMessage.fromTool('22°C, sunny', call),
      ]);
      assert.deepEqual(hf.tgi.requests[0].body.messages.slice(1), [
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            { type: 'function', id: 'call_1', function: { name: 'get_weather', arguments: { city: 'Paris' } } },
          ],
        },
        { role: 'tool', content: '22°C, sunny', tool_call_id: 'call_1' },
      ]);
    });

    it('returns reasoning the server sends', async () => {
      hf.fake.script.reasoning = 'The user wants a definition.';
      const { replies } = await tgiChat().run(conversation());
      assert.equal(replies[0].reasoning?.reasoningText, 'The user wants a definition.');
      const streamed = await tgiChat().run(conversation(), { streamingCallback: () => undefined });
      assert.equal(streamed.replies[0].reasoning?.reasoningText, 'The user wants a definition.');
      assert.equal(streamed.replies[0].text, 'Natural language processing is fun.');
    });
  });

  describe('inference_endpoints', () => {
    it('posts to the endpoint with api_params headers and the served model name', async () => {
      const generator = new HuggingFaceAPIChatGenerator({
        apiType: HFGenerationAPIType.INFERENCE_ENDPOINTS,
        apiParams: { url: `${hf.tgi.url}/v1/`, model: 'served-model', headers: { 'X-Team': 'editor' } },
        token: Secret.fromToken(TOKEN),
      });
      const { replies } = await generator.run(conversation());
      assert.equal(replies[0].text, 'Natural language processing is fun.');
      assert.equal(hf.tgi.requests[0].path, '/v1/chat/completions');
      assert.equal(hf.tgi.requests[0].headers['x-team'], 'editor');
      assert.equal(hf.tgi.requests[0].body.model, 'served-model');
    });
  });

  describe('serverless_inference_api', () => {
    it('uses the auto router when no provider is given', async () => {
      const { replies } = await serverless({ model: CHAT_MODEL, bill_to: 'my-org' }).run(conversation());
      assert.equal(replies[0].text, 'Natural language processing is fun.');
      assert.deepEqual(replies[0].meta, {
        model: CHAT_MODEL,
        finish_reason: 'stop',
        index: 0,
        usage: { prompt_tokens: 21, completion_tokens: 6 },
      });
      assert.equal(hf.router.requests.length, 1);
      const request = hf.router.requests[0];
      assert.equal(request.path, '/v1/chat/completions');
      assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(request.headers['x-hf-bill-to'], 'my-org');
      assert.equal(request.body.model, CHAT_MODEL);
    });

    it("routes to the provider's path with the provider's model id from the Hub", async () => {
      const { replies } = await serverless({ model: CHAT_MODEL, provider: 'together' }).run(conversation());
      assert.equal(replies[0].text, 'Natural language processing is fun.');
      const post = hf.router.requests.find((r) => r.method === 'POST');
      assert.equal(post?.path, '/together/v1/chat/completions');
      assert.equal(post?.body.model, 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo');
      assert.equal(post?.headers.authorization, `Bearer ${TOKEN}`);
    });

    it('streams tool calls from a provider (string arguments) and assembles them', async () => {
      hf.fake.script.toolCalls = [
        { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
        { id: 'call_b', name: 'get_weather', arguments: { city: 'Oslo' } },
      ];
      const { chunks, callback } = collect();
      const { replies } = await serverless({ model: CHAT_MODEL, provider: 'hf-inference' }).run(
        [ChatMessage.fromUser('Weather?')],
        { tools: [weatherTool()], streamingCallback: callback },
      );
      const post = hf.router.requests.find((r) => r.method === 'POST');
      assert.equal(post?.path, `/hf-inference/models/${CHAT_MODEL}/v1/chat/completions`);
      assert.equal(post?.body.tools.length, 1);
      const deltas = chunks.flatMap((c) => c.toolCalls ?? []);
      assert.deepEqual(deltas.slice(0, 2), [
        { index: 0, id: 'call_a', toolName: 'get_weather' },
        { index: 0, arguments: '{"city":"Pa' },
      ]);
      assert.equal(chunks.findLast((c) => c.finishReason)?.finishReason, 'tool_calls');
      assert.deepEqual(replies[0].toolCalls, [
        { toolName: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' }, id: 'call_a' },
        { toolName: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_b' },
      ]);
      assert.equal(replies[0].meta.finish_reason, 'tool_calls');
      assert.deepEqual(replies[0].meta.usage, { prompt_tokens: 21, completion_tokens: 12 });
    });

    it('explains a model the Hub does not know', async () => {
      const error = await rejection(
        serverless({ model: 'nobody/unknown-model', provider: 'together' }).run(conversation()),
      );
      assert.equal(error.code, 'bad_request');
      assert.equal(error.status, 404);
      assert.match(error.message, /nobody\/unknown-model.*Check api_params \(model, provider, url\)/);
      assert.equal(hf.router.requests.filter((r) => r.method === 'POST').length, 0);
    });

    it('needs a token before calling the router', async () => {
      const error = await rejection(serverless({ model: CHAT_MODEL }, { token: null }).run(conversation()));
      assert.equal(error.code, 'missing_secret');
      assert.equal(hf.router.requests.length, 0);
    });
  });

  it('stops reading and reports the error when the streaming callback throws', async () => {
    const failure = new Error('callback failed');
    await assert.rejects(
      tgiChat().run(conversation(), {
        streamingCallback: () => {
          throw failure;
        },
      }),
      (error) => error === failure,
    );
    const { replies } = await tgiChat().run(conversation());
    assert.equal(replies[0].text, 'Natural language processing is fun.');
  });

  describe('errors', () => {
    it('gives Haystack’s messages for a missing url or model', () => {
      assert.throws(
        () => new HuggingFaceAPIChatGenerator({ apiType: 'inference_endpoints', apiParams: {} }),
        /you need to specify the `url` parameter in `api_params`/,
      );
      assert.throws(
        () => new HuggingFaceAPIChatGenerator({ apiType: 'serverless_inference_api', apiParams: {} }),
        /you need to specify the `model` parameter in `api_params`/,
      );
      assert.throws(
        () =>
          new HuggingFaceAPIChatGenerator({
            apiType: 'text_generation_inference',
            apiParams: { url: hf.tgi.url, provider: 'together' },
          }),
        /api_params\.provider: only applies to serverless_inference_api/,
      );
      assert.throws(() => tgiChat({ tools: [weatherTool(), weatherTool()] }), /duplicate tool name "get_weather"/);
    });

    it('rejects a message the wire format cannot carry before sending anything', async () => {
      await assert.rejects(
        tgiChat().run([ChatMessage.fromUser('Hi'), ChatMessage.fromAssistant(null)]),
        /messages\[1\]: A `ChatMessage` must contain at least one/,
      );
      assert.equal(hf.tgi.requests.length, 0);
    });

    it('surfaces server errors with status, code and the server message', async () => {
      hf.tgi.enqueue(tgiError(422, 'Input validation error: `max_tokens` must be strictly positive', 'validation'));
      const invalid = await rejection(tgiChat().run(conversation()));
      assert.equal(invalid.code, 'bad_request');
      assert.match(invalid.message, /max_tokens` must be strictly positive/);
      hf.tgi.enqueue(tgiError(500, 'Incomplete generation', 'incomplete_generation'));
      const server = await rejection(tgiChat().run(conversation(), { streamingCallback: () => undefined }));
      assert.equal(server.code, 'server');
      assert.equal(server.isRetryable, true);
    });

    it('treats a completion without choices, or an empty stream, as a retryable server error', async () => {
      hf.tgi.enqueue({ status: 200, body: { id: '', created: 1, model: 'm', system_fingerprint: 'x', usage: null } });
      const shapeless = await rejection(tgiChat().run(conversation()));
      assert.equal(shapeless.code, 'server');
      assert.equal(shapeless.isRetryable, true);
      hf.tgi.enqueue((_req, res) => {
        startSse(res);
        writeSse(res, '[DONE]');
        res.end();
      });
      const empty = await rejection(tgiChat().run(conversation(), { streamingCallback: () => undefined }));
      assert.equal(empty.code, 'server');
    });

    it('fails when the stream reports an error event', async () => {
      hf.tgi.enqueue((_req, res) => {
        startSse(res);
        writeSse(res, {
          id: '',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'm',
          system_fingerprint: 'x',
          choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, logprobs: null, finish_reason: null }],
        });
        writeSse(res, { error: 'Request failed during generation: out of memory', error_type: 'generation' });
        res.end();
      });
      const { chunks, callback } = collect();
      const error = await rejection(tgiChat().run(conversation(), { streamingCallback: callback }));
      assert.match(error.message, /out of memory/);
      assert.equal(chunks.length, 1);
    });

    it('is cancelled through the AbortSignal mid-stream', async () => {
      hf.tgi.enqueue(
        stallingReply({
          id: '',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'm',
          system_fingerprint: 'x',
          choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, logprobs: null, finish_reason: null }],
        }),
      );
      const controller = new AbortController();
      const error = await rejection(
        tgiChat().run(conversation(), { signal: controller.signal, streamingCallback: () => controller.abort() }),
      );
      assert.equal(error.code, 'cancelled');
    });
  });

  describe('toDict / fromDict', () => {
    it("serializes in Haystack's shape, with tools and the api_type string", () => {
      const generator = new HuggingFaceAPIChatGenerator({
        apiType: HFGenerationAPIType.SERVERLESS_INFERENCE_API,
        apiParams: { model: 'Qwen/Qwen2.5-7B-Instruct', provider: 'together' },
        tools: [weatherTool()],
        stopWords: ['Observation:'],
      });
      assert.deepEqual(generator.toDict(), {
        type: TYPE,
        init_parameters: {
          api_type: 'serverless_inference_api',
          api_params: { model: 'Qwen/Qwen2.5-7B-Instruct', provider: 'together' },
          token: { type: 'env_var', env_vars: ['HF_API_TOKEN', 'HF_TOKEN'], strict: false },
          generation_kwargs: { stop: ['Observation:'], max_tokens: 512 },
          streaming_callback: null,
          tools: [weatherTool().toDict()],
        },
      });
    });

    it('round-trips through fromDict', () => {
      const dict = {
        type: TYPE,
        init_parameters: {
          api_type: 'text_generation_inference',
          api_params: { url: 'http://localhost:8080', timeout: 60, headers: { 'X-Team': 'editor' } },
          token: { type: 'env_var', env_vars: ['MY_HF_TOKEN'], strict: true },
          generation_kwargs: { temperature: 0.1, stop: [], max_tokens: 256 },
          streaming_callback: 'my_module.on_chunk',
          tools: { type: 'haystack.tools.toolset.Toolset', data: { tools: [weatherTool().toDict()] } },
        },
      };
      const generator = HuggingFaceAPIChatGenerator.fromDict(dict);
      assert.ok(generator.tools instanceof Toolset);
      assert.deepEqual(generator.toDict(), dict);
      const registered = componentFromDict(dict);
      assert.ok(registered instanceof HuggingFaceAPIChatGenerator);
      assert.deepEqual(registered.toDict(), dict);
    });

    it('refuses to serialize a token secret without revealing it', () => {
      const generator = tgiChat({ token: Secret.fromToken(TOKEN) });
      assert.throws(
        () => generator.toDict(),
        (error: Error) => !error.message.includes(TOKEN),
      );
      assert.ok(!JSON.stringify(generator).includes(TOKEN));
    });
  });
});
