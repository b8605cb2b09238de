import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { GeneratorError } from '../../../../src/core/errors';
import { Secret, setSecretResolver } from '../../../../src/core/secret';
import type { StreamingChunk } from '../../../../src/core/streamingChunk';
import { HuggingFaceAPIGenerator } from '../../../../src/generators/huggingFaceApi/huggingFaceAPIGenerator';
import { HFGenerationAPIType } from '../../../../src/generators/huggingFaceApi/huggingFaceApiType';
import { componentFromDict } from '../../../../src/generators/registry';
import {
  generateStreamFailingAfter,
  stallingReply,
  streamEvent,
  tgiError,
} from '../../../servers/textGenerationInference';
import { startTestServer } from '../../../servers/testServer';
import { useHuggingFaceServers } from '../../../helpers/huggingFaceApiServers';
import { rejectionWithout } from '../../../helpers/rejections';

const TOKEN = 'hf_unitTestToken_9c1e5b7a';
const TYPE = 'haystack.components.generators.hugging_face_api.HuggingFaceAPIGenerator';

const rejection = (promise: Promise<unknown>) => rejectionWithout(TOKEN, promise);

describe('HuggingFaceAPIGenerator', () => {
  const hf = useHuggingFaceServers('HF_API_TOKEN', TOKEN);

  const tgiGenerator = (options: Partial<ConstructorParameters<typeof HuggingFaceAPIGenerator>[0]> = {}) =>
    new HuggingFaceAPIGenerator({ apiType: 'text_generation_inference', apiParams: { url: hf.tgi.url }, ...options });

  describe('text_generation_inference', () => {
    it('posts the prompt to /generate with details and returns the reply with Haystack meta', async () => {
      const result = await tgiGenerator().run("What's Natural Language Processing?");
      assert.deepEqual(result.replies, ['Natural language processing is fun.']);
      assert.deepEqual(result.meta, [
        { model: hf.tgi.url, finish_reason: 'eos_token', usage: { completion_tokens: 7 } },
      ]);
      assert.equal(hf.tgi.requests.length, 1);
      const request = hf.tgi.requests[0];
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/generate');
      assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
      assert.match(String(request.headers['content-type']), /application\/json/);
      assert.deepEqual(request.body, {
        inputs: "What's Natural Language Processing?",
        parameters: { max_new_tokens: 512, details: true },
      });
    });

    it('streams tokens from /generate_stream in order, skipping special tokens, and assembles the reply', async () => {
      const chunks: StreamingChunk[] = [];
      const result = await tgiGenerator().run('Tell me', { streamingCallback: (chunk) => void chunks.push(chunk) });
      assert.equal(hf.tgi.requests[0].path, '/generate_stream');
      assert.deepEqual(hf.tgi.requests[0].body.parameters, { max_new_tokens: 512, details: true });
      assert.deepEqual(
        chunks.map((c) => c.content),
        ['Natural', ' language', ' processing', ' is', ' fun', '.'],
      );
      assert.deepEqual(
        chunks.map((c) => c.start),
        [true, false, false, false, false, false],
      );
      assert.ok(chunks.every((c) => c.index === 0 && c.componentInfo?.type === TYPE));
      assert.deepEqual(Object.keys(chunks[0].meta).sort(), ['id', 'logprob', 'special', 'text']);
      assert.deepEqual(result.replies, ['Natural language processing is fun.']);
      const meta = result.meta[0];
      assert.equal(meta.finish_reason, 'eos_token');
      assert.equal(meta.model, hf.tgi.url);
      assert.deepEqual(meta.usage, { completion_tokens: 7 });
      assert.equal(typeof meta.completion_start_time, 'string');
    });

    it('sends stop words as TGI `stop` and reports the stop on the last streamed chunk', async () => {
      const generator = tgiGenerator({ stopWords: ['processing'] });
      assert.deepEqual(generator.generationKwargs, { stop_sequences: ['processing'], max_new_tokens: 512 });
      const chunks: StreamingChunk[] = [];
      const result = await generator.run('x', { streamingCallback: (chunk) => void chunks.push(chunk) });
      assert.deepEqual(hf.tgi.requests[0].body.parameters.stop, ['processing']);
      assert.deepEqual(result.replies, ['Natural language processing']);
      assert.equal(result.meta[0].finish_reason, 'stop_sequence');
      assert.equal(chunks.at(-1)?.finishReason, 'stop');
      assert.equal(chunks.at(-1)?.meta.finish_reason, 'stop_sequence');
    });

    it('merges run-time generation_kwargs over the init-time ones', async () => {
      const generator = tgiGenerator({ generationKwargs: { temperature: 0.2, max_new_tokens: 5, top_k: 10 } });
      const result = await generator.run('x', { generationKwargs: { max_new_tokens: 2, top_p: 0.9 } });
      assert.deepEqual(hf.tgi.requests[0].body.parameters, {
        temperature: 0.2,
        max_new_tokens: 2,
        top_k: 10,
        top_p: 0.9,
        details: true,
      });
      assert.deepEqual(result.replies, ['Natural language']);
      assert.equal(result.meta[0].finish_reason, 'length');
    });

    it('puts the editor system prompt before the prompt, as the text generator has none', async () => {
      await tgiGenerator().run('Explain this.', { systemPrompt: 'Be brief.' });
      assert.equal(hf.tgi.requests[0].body.inputs, 'Be brief.\n\nExplain this.');
    });

    it('sends no Authorization header when no token is configured', async () => {
      await tgiGenerator({ token: null }).run('x');
      assert.equal(hf.tgi.requests[0].headers.authorization, undefined);
    });
  });

  describe('inference_endpoints', () => {
    it('calls the endpoint URL (trailing slash allowed) with api_params headers', async () => {
      const generator = new HuggingFaceAPIGenerator({
        apiType: HFGenerationAPIType.INFERENCE_ENDPOINTS,
        apiParams: { url: `${hf.tgi.url}/`, headers: { 'X-Team': 'editor' } },
        token: Secret.fromToken(TOKEN),
      });
      const result = await generator.run('x');
      assert.deepEqual(result.replies, ['Natural language processing is fun.']);
      assert.equal(hf.tgi.requests[0].path, '/generate');
      assert.equal(hf.tgi.requests[0].headers['x-team'], 'editor');
      assert.equal(hf.tgi.requests[0].headers.authorization, `Bearer ${TOKEN}`);
    });
  });

  describe('serverless_inference_api', () => {
    const serverless = (options: Partial<ConstructorParameters<typeof HuggingFaceAPIGenerator>[0]> = {}) =>
      new HuggingFaceAPIGenerator({
        apiType: 'serverless_inference_api',
        apiParams: { model: 'HuggingFaceH4/zephyr-7b-beta', provider: 'hf-inference' },
        serviceUrls: { router: hf.router.url, hub: hf.router.url },
        ...options,
      });

    it("resolves the provider on the Hub and posts to the router's completions route", async () => {
      const result = await serverless({ stopWords: ['fun'] }).run('Say something');
      assert.deepEqual(result.replies, ['Natural language processing is fun']);
      assert.equal(result.meta[0].model, 'HuggingFaceH4/zephyr-7b-beta');
      const post = hf.router.requests.find((r) => r.method === 'POST');
      assert.ok(post);
      assert.equal(post.path, '/hf-inference/models/HuggingFaceH4/zephyr-7b-beta/v1/completions');
      assert.equal(post.headers.authorization, `Bearer ${TOKEN}`);
      assert.deepEqual(post.body, {
        model: 'HuggingFaceH4/zephyr-7b-beta',
        max_tokens: 512,
        stop: ['fun'],
        prompt: 'Say something',
      });
    });

    it('streams completion chunks from the router', async () => {
      const chunks: StreamingChunk[] = [];
      const result = await serverless().run('x', { streamingCallback: (chunk) => void chunks.push(chunk) });
      assert.equal(chunks.length, 6);
      assert.equal(chunks.at(-1)?.finishReason, 'stop');
      assert.deepEqual(result.replies, ['Natural language processing is fun.']);
      assert.equal(result.meta[0].finish_reason, 'stop');
      const post = hf.router.requests.find((r) => r.method === 'POST');
      assert.equal(post?.body.stream, true);
    });

    it('refuses to call the router without a token, naming the variables to set', async () => {
      const restore = setSecretResolver(() => undefined);
      try {
        const error = await rejection(serverless().run('x'));
        assert.equal(error.code, 'missing_secret');
        assert.match(error.message, /HF_API_TOKEN or HF_TOKEN/);
        assert.equal(hf.router.requests.length, 0);
      } finally {
        restore();
      }
    });
  });

  describe('configuration errors', () => {
    it('requires url for TGI and Inference Endpoints, with Haystack’s message', () => {
      for (const apiType of ['text_generation_inference', 'inference_endpoints']) {
        assert.throws(
          () => new HuggingFaceAPIGenerator({ apiType, apiParams: {} }),
          (error: GeneratorError) => {
            assert.equal(error.code, 'configuration');
            assert.match(
              error.message,
              /api_params\.url: To use Text Generation Inference or Inference Endpoints, you need to specify the `url` parameter in `api_params`\./,
            );
            return true;
          },
        );
      }
    });

    it('treats empty strings in api_params as not given', () => {
      assert.throws(
        () => new HuggingFaceAPIGenerator({ apiType: 'text_generation_inference', apiParams: { url: ' ' } }),
        /you need to specify the `url` parameter/,
      );
      const generator = new HuggingFaceAPIGenerator({
        apiType: 'text_generation_inference',
        apiParams: { url: hf.tgi.url, model: '', provider: '' },
      });
      assert.deepEqual(generator.toDict().init_parameters.api_params, { url: hf.tgi.url, model: '', provider: '' });
    });

    it('requires model for the Serverless Inference API', () => {
      assert.throws(
        () => new HuggingFaceAPIGenerator({ apiType: 'serverless_inference_api', apiParams: { provider: 'together' } }),
        /api_params\.model: To use the Serverless Inference API, you need to specify the `model` parameter in `api_params`\./,
      );
    });

    it('rejects unknown api types, invalid URLs and unsupported api_params', () => {
      assert.throws(
        () => new HuggingFaceAPIGenerator({ apiType: 'local', apiParams: {} }),
        /Unknown Hugging Face API type 'local'. Supported types are: 'text_generation_inference', 'inference_endpoints', 'serverless_inference_api'/,
      );
      assert.throws(
        () =>
          new HuggingFaceAPIGenerator({ apiType: 'text_generation_inference', apiParams: { url: 'localhost:8080' } }),
        /Invalid URL: localhost:8080/,
      );
      assert.throws(
        () =>
          new HuggingFaceAPIGenerator({
            apiType: 'text_generation_inference',
            apiParams: { url: hf.tgi.url, proxies: {} },
          }),
        /api_params\.proxies: is not supported/,
      );
      assert.throws(
        () =>
          new HuggingFaceAPIGenerator({
            apiType: 'text_generation_inference',
            apiParams: { url: hf.tgi.url, timeout: -1 },
          }),
        /api_params\.timeout/,
      );
    });
  });

  describe('errors from the server', () => {
    it('surfaces TGI validation errors as bad requests with the server message', async () => {
      hf.tgi.enqueue(
        tgiError(422, 'Input validation error: `inputs` must have less than 1024 tokens. Given: 2000', 'validation'),
      );
      const error = await rejection(tgiGenerator().run('x'));
      assert.equal(error.code, 'bad_request');
      assert.equal(error.status, 422);
      assert.match(
        error.message,
        /the Hugging Face endpoint at http:\/\/127\.0\.0\.1:\d+ rejected the request \(422\): Input validation error/,
      );
    });

    it('marks an overloaded model as retryable and a rejected token as an authentication error', async () => {
      hf.tgi.enqueue(tgiError(429, 'Model is overloaded', 'overloaded'));
      const overloaded = await rejection(tgiGenerator().run('x'));
      assert.equal(overloaded.code, 'rate_limit');
      assert.equal(overloaded.isRetryable, true);
      hf.tgi.enqueue({ status: 401, body: { error: `Invalid credentials in Authorization header: ${TOKEN}` } });
      const unauthorized = await rejection(tgiGenerator().run('x'));
      assert.equal(unauthorized.code, 'authentication');
      assert.match(unauthorized.message, /HF_API_TOKEN/);
    });

    it('fails a stream that reports an error event, after delivering the earlier tokens', async () => {
      hf.tgi.enqueue(generateStreamFailingAfter(['Hello'], 'Request failed during generation: CUDA out of memory'));
      const chunks: StreamingChunk[] = [];
      const error = await rejection(tgiGenerator().run('x', { streamingCallback: (chunk) => void chunks.push(chunk) }));
      assert.deepEqual(
        chunks.map((c) => c.content),
        ['Hello'],
      );
      assert.match(error.message, /CUDA out of memory/);
    });

    it('treats a reply without generated_text, or a stream without events, as a retryable server error', async () => {
      hf.tgi.enqueue({ status: 200, body: { details: null } });
      const shapeless = await rejection(tgiGenerator().run('x'));
      assert.equal(shapeless.code, 'server');
      assert.equal(shapeless.isRetryable, true);
      hf.tgi.enqueue((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end();
      });
      const empty = await rejection(tgiGenerator().run('x', { streamingCallback: () => undefined }));
      assert.equal(empty.code, 'server');
    });

    it('reports an unreachable server as a network error', async () => {
      const closed = await startTestServer([]);
      const url = closed.url;
      await closed.close();
      const error = await rejection(
        new HuggingFaceAPIGenerator({ apiType: 'text_generation_inference', apiParams: { url } }).run('x'),
      );
      assert.equal(error.code, 'network');
      assert.equal(error.isRetryable, true);
    });
  });

  describe('cancellation and timeout', () => {
    it('cancels a streamed generation through the AbortSignal', async () => {
      hf.tgi.enqueue(stallingReply(streamEvent('Hello')));
      const controller = new AbortController();
      const chunks: StreamingChunk[] = [];
      const error = await rejection(
        tgiGenerator().run('x', {
          signal: controller.signal,
          streamingCallback: (chunk) => {
            chunks.push(chunk);
            controller.abort();
          },
        }),
      );
      assert.equal(error.code, 'cancelled');
      assert.equal(chunks.length, 1);
    });

    it('cancels a request that is waiting for its reply', async () => {
      const controller = new AbortController();
      hf.tgi.enqueue(async (request, response) => {
        controller.abort();
        await stallingReply()(request, response);
      });
      const error = await rejection(tgiGenerator().run('x', { signal: controller.signal }));
      assert.equal(error.code, 'cancelled');
    });

    it('refuses to start when the signal is already aborted', async () => {
      const error = await rejection(tgiGenerator().run('x', { signal: AbortSignal.abort() }));
      assert.equal(error.code, 'cancelled');
      assert.equal(hf.tgi.requests.length, 0);
    });

    it('gives up after api_params.timeout seconds of silence', async () => {
      hf.tgi.enqueue(stallingReply());
      const generator = new HuggingFaceAPIGenerator({
        apiType: 'text_generation_inference',
        apiParams: { url: hf.tgi.url, timeout: 0.2 },
      });
      const error = await rejection(generator.run('x'));
      assert.equal(error.code, 'timeout');
      assert.match(error.message, /did not answer within 0\.2 s/);
    });
  });

  describe('toDict / fromDict', () => {
    it("serializes in Haystack's shape with the api_type string and an env-var token", () => {
      const generator = new HuggingFaceAPIGenerator({
        apiType: HFGenerationAPIType.TEXT_GENERATION_INFERENCE,
        apiParams: { url: 'http://localhost:8080' },
        generationKwargs: { temperature: 0.7 },
        stopWords: ['\n\n'],
      });
      assert.deepEqual(generator.toDict(), {
        type: TYPE,
        init_parameters: {
          api_type: 'text_generation_inference',
          api_params: { url: 'http://localhost:8080' },
          token: { type: 'env_var', env_vars: ['HF_API_TOKEN', 'HF_TOKEN'], strict: false },
          generation_kwargs: { temperature: 0.7, stop_sequences: ['\n\n'], max_new_tokens: 512 },
          streaming_callback: null,
        },
      });
    });

    it('round-trips through fromDict, including a known callback and a null token', () => {
      const dict = {
        type: TYPE,
        init_parameters: {
          api_type: 'serverless_inference_api',
          api_params: { model: 'HuggingFaceH4/zephyr-7b-beta', provider: 'hf-inference', timeout: 30 },
          token: null,
          generation_kwargs: { max_new_tokens: 100, stop_sequences: [] },
          streaming_callback: 'haystack.components.generators.utils.print_streaming_chunk',
        },
      };
      const generator = HuggingFaceAPIGenerator.fromDict(dict);
      assert.equal(generator.token, undefined);
      assert.deepEqual(generator.toDict(), dict);
      assert.deepEqual(HuggingFaceAPIGenerator.fromDict(generator.toDict()).toDict(), dict);
      const registered = componentFromDict(dict);
      assert.ok(registered instanceof HuggingFaceAPIGenerator);
      assert.equal(registered.kind, 'text');
    });

    it('never serializes a token value', () => {
      const generator = tgiGenerator({ token: Secret.fromToken(TOKEN) });
      assert.throws(
        () => generator.toDict(),
        (error: Error) => !error.message.includes(TOKEN) && /Cannot serialize token-based secret/.test(error.message),
      );
      assert.ok(!JSON.stringify(generator).includes(TOKEN));
      assert.ok(!inspect(generator, { depth: 5 }).includes(TOKEN));
    });

    it('names the bad field of a malformed dict', () => {
      assert.throws(
        () =>
          HuggingFaceAPIGenerator.fromDict({ type: TYPE, init_parameters: { api_type: 'text_generation_inference' } }),
        /init_parameters\.api_params: is required/,
      );
      assert.throws(
        () => HuggingFaceAPIGenerator.fromDict({ type: TYPE, init_parameters: { api_type: 3, api_params: {} } }),
        /init_parameters\.api_type: Unknown Hugging Face API type/,
      );
    });
  });
});
