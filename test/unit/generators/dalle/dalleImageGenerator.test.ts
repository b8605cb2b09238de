import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { ConfigurationError, DeserializationError } from '../../../../src/core/errors';
import { Secret, setSecretResolver } from '../../../../src/core/secret';
import {
  DALLEImageGenerator,
  type DALLEImageGeneratorOptions,
} from '../../../../src/generators/dalle/dalleImageGenerator';
import {
  contentPolicyViolation,
  imageColorFor,
  openAIErrorReply,
  openAIImagesRoutes,
  revisedPromptFor,
} from '../../../servers/openaiImages';
import { decodePng } from '../../../servers/png';
import { startTestServer, type TestServer } from '../../../servers/testServer';
import { rejection } from '../../../helpers/rejections';

const API_KEY = 'sk-test-dalle-0123456789';
const TYPE = 'haystack.components.generators.openai_dalle.DALLEImageGenerator';

/** A reply that never comes (a hung provider); `onRequest` is told when the request has arrived. */
const stall = (onRequest?: () => void) => (_request: unknown, _response: ServerResponse) => {
  onRequest?.();
  return new Promise<void>(() => {});
};

/** An error that clients should retry at once (`retry-after-ms` keeps the SDK's back-off out of the test's time). */
const serverError = () =>
  openAIErrorReply(500, 'The server had an error while processing your request. Sorry about that!', {
    type: 'server_error',
    headers: { 'retry-after-ms': '1' },
  });

describe('DALLEImageGenerator', () => {
  let server: TestServer;
  const generator = (options: DALLEImageGeneratorOptions = {}) =>
    new DALLEImageGenerator({
      apiKey: Secret.fromToken(API_KEY),
      apiBaseUrl: `${server.url}/v1`,
      maxRetries: 0,
      ...options,
    });

  before(async () => {
    server = await startTestServer(openAIImagesRoutes({ apiKey: API_KEY }));
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  describe('defaults and serialization', () => {
    it('has the seed defaults and serializes to Haystack’s exact dict', () => {
      const dalle = new DALLEImageGenerator();
      assert.equal(dalle.model, 'dall-e-3');
      assert.equal(dalle.quality, 'standard');
      assert.equal(dalle.size, '1024x1024');
      assert.equal(dalle.responseFormat, 'url');
      assert.deepEqual(dalle.toDict(), {
        type: TYPE,
        init_parameters: {
          model: 'dall-e-3',
          quality: 'standard',
          size: '1024x1024',
          response_format: 'url',
          api_key: { type: 'env_var', env_vars: ['OPENAI_API_KEY'], strict: true },
          api_base_url: null,
          organization: null,
          http_client_kwargs: null,
        },
      });
    });

    it('round-trips every init parameter through toDict/fromDict', () => {
      const dalle = new DALLEImageGenerator({
        model: 'dall-e-2',
        quality: 'standard',
        size: '512x512',
        responseFormat: 'b64_json',
        apiKey: Secret.fromEnvVar(['MY_IMAGES_KEY', 'OPENAI_API_KEY'], { strict: false }),
        apiBaseUrl: 'https://images.example/v1',
        organization: 'org-123',
        httpClientKwargs: { proxy: 'http://proxy:8080' },
      });
      const dict = dalle.toDict();
      assert.deepEqual(DALLEImageGenerator.fromDict(JSON.parse(JSON.stringify(dict))).toDict(), dict);
    });

    it('reads timeout and max_retries from a Haystack dict, and falls back to OPENAI_TIMEOUT / OPENAI_MAX_RETRIES', () => {
      const fromDict = DALLEImageGenerator.fromDict({ type: TYPE, init_parameters: { timeout: 12.5, max_retries: 1 } });
      assert.equal(fromDict.timeout, 12.5);
      assert.equal(fromDict.maxRetries, 1);
      const saved = { timeout: process.env.OPENAI_TIMEOUT, retries: process.env.OPENAI_MAX_RETRIES };
      try {
        process.env.OPENAI_TIMEOUT = '7';
        process.env.OPENAI_MAX_RETRIES = '2';
        const fromEnv = new DALLEImageGenerator();
        assert.equal(fromEnv.timeout, 7);
        assert.equal(fromEnv.maxRetries, 2);
        delete process.env.OPENAI_TIMEOUT;
        delete process.env.OPENAI_MAX_RETRIES;
        const defaults = new DALLEImageGenerator();
        assert.equal(defaults.timeout, 30);
        assert.equal(defaults.maxRetries, 5);
      } finally {
        for (const [name, value] of [
          ['OPENAI_TIMEOUT', saved.timeout],
          ['OPENAI_MAX_RETRIES', saved.retries],
        ] as const) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    });

    it('refuses to serialize a token secret and never puts its value in the error', () => {
      assert.throws(
        () => generator().toDict(),
        (error: Error) => /Cannot serialize token-based secret/.test(error.message) && !error.message.includes(API_KEY),
      );
    });

    it('rejects dicts of another type or with a badly typed parameter, naming the field', () => {
      assert.throws(
        () =>
          DALLEImageGenerator.fromDict({
            type: 'haystack.components.generators.openai.OpenAIGenerator',
            init_parameters: {},
          }),
        DeserializationError,
      );
      assert.throws(
        () => DALLEImageGenerator.fromDict({ type: TYPE, init_parameters: { size: 1024 } }),
        (error: DeserializationError) => error.field === 'init_parameters.size',
      );
      assert.throws(
        () =>
          DALLEImageGenerator.fromDict({
            type: TYPE,
            init_parameters: { api_key: { type: 'token', token: 'sk-leak' } },
          }),
        (error: Error) => error instanceof DeserializationError && !error.message.includes('sk-leak'),
      );
    });
  });

  describe('client-side validation', () => {
    it('rejects a size the model does not have, listing the allowed sizes', () => {
      assert.throws(
        () => new DALLEImageGenerator({ size: '256x256' }),
        (error: ConfigurationError) =>
          error instanceof ConfigurationError &&
          error.field === 'init_parameters.size' &&
          error.message.includes('"256x256" is not a dall-e-3 size') &&
          error.message.includes('1024x1024, 1792x1024, 1024x1792'),
      );
      assert.throws(
        () => new DALLEImageGenerator({ model: 'dall-e-2', size: '1792x1024' }),
        /"1792x1024" is not a dall-e-2 size; use one of 256x256, 512x512, 1024x1024/,
      );
    });

    it('checks GPT image sizes and qualities, rejects hd on dall-e-2 and unknown response formats', () => {
      assert.throws(
        () => new DALLEImageGenerator({ model: 'gpt-image-1', size: '1792x1024', quality: 'high' }),
        /init_parameters.size: "1792x1024" is not a gpt-image-1 size; use one of 1024x1024, 1024x1536, 1536x1024, auto\./,
      );
      assert.throws(
        () => new DALLEImageGenerator({ model: 'gpt-image-1', quality: 'hd' }),
        /"hd" is not a gpt-image-1 quality; use "auto", "high", "medium" or "low"\./,
      );
      assert.equal(new DALLEImageGenerator({ model: 'gpt-image-2', size: '1536x864' }).size, '1536x864');
      // A model the project does not know (a newer one, or one behind a proxy) is sent as given, as Haystack does.
      assert.equal(new DALLEImageGenerator({ model: 'my-image-model', size: '640x480' }).model, 'my-image-model');
      assert.throws(
        () => new DALLEImageGenerator({ model: 'dall-e-2', quality: 'hd', size: '512x512' }),
        /"hd" is not a dall-e-2 quality; use "standard"/,
      );
      assert.throws(
        () => new DALLEImageGenerator({ responseFormat: 'png' as never }),
        /init_parameters.response_format/,
      );
    });

    it('checks run-time overrides before sending anything', async () => {
      const error = await rejection(generator().run('a lighthouse', { size: '512x512' }));
      assert.equal(error.code, 'bad_request');
      assert.match(
        error.message,
        /^size: "512x512" is not a dall-e-3 size; use one of 1024x1024, 1792x1024, 1024x1792\.$/,
      );
      assert.equal(
        (await rejection(generator({ model: 'dall-e-2', size: '256x256' }).run('a lighthouse', { quality: 'hd' })))
          .code,
        'bad_request',
      );
      assert.equal((await rejection(generator().run('   '))).code, 'bad_request');
      assert.equal(server.requests.length, 0);
    });
  });

  describe('the offline images API itself', () => {
    const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${API_KEY}` }) =>
      fetch(`${server.url}/v1/images/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    it('answers a request without a key with the API’s 401 error shape', async () => {
      const response = await post({ prompt: 'x' }, {});
      assert.equal(response.status, 401);
      const { error } = (await response.json()) as { error: Record<string, unknown> };
      assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'param', 'type']);
      assert.equal(error.type, 'invalid_request_error');
    });

    it('rejects what the real API rejects for dall-e-3: other sizes, n > 1, a missing prompt', async () => {
      const size = await post({ model: 'dall-e-3', prompt: 'x', size: '256x256' });
      assert.equal(size.status, 400);
      assert.match(
        ((await size.json()) as { error: { message: string } }).error.message,
        /'256x256' is not one of \['1024x1024', '1024x1792', '1792x1024'\] - 'size'/,
      );
      assert.equal((await post({ model: 'dall-e-3', prompt: 'x', n: 2 })).status, 400);
      assert.equal((await post({ model: 'dall-e-3' })).status, 400);
    });

    it('defaults to dall-e-2, as the API does when no model is given', async () => {
      const response = await post({ prompt: 'a default', size: '256x256', response_format: 'b64_json' });
      const body = (await response.json()) as {
        created: number;
        data: { b64_json: string; revised_prompt?: string }[];
      };
      assert.equal(typeof body.created, 'number');
      assert.equal(body.data[0].revised_prompt, undefined);
      assert.equal(decodePng(Buffer.from(body.data[0].b64_json, 'base64')).height, 256);
    });
  });

  describe('run against the offline images API', () => {
    it('sends the seed defaults and returns a URL that serves the generated PNG', async () => {
      const prompt = 'A black cat on a red sofa';
      const result = await generator({
        organization: 'org-images',
        httpClientKwargs: { headers: { 'x-team': 'design' } },
      }).run(prompt);

      assert.equal(server.requests.length, 1);
      const request = server.requests[0];
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/v1/images/generations');
      assert.equal(request.headers.authorization, `Bearer ${API_KEY}`);
      assert.equal(request.headers['openai-organization'], 'org-images');
      assert.equal(request.headers['x-team'], 'design');
      assert.deepEqual(request.body, {
        model: 'dall-e-3',
        prompt,
        size: '1024x1024',
        quality: 'standard',
        response_format: 'url',
        n: 1,
      });

      assert.equal(result.images.length, 1);
      assert.match(result.images[0], /^http:\/\/127\.0\.0\.1:\d+\/images\/img-\d+\.png$/);
      assert.equal(result.revisedPrompt, revisedPromptFor(prompt));
      const download = await fetch(result.images[0]);
      assert.equal(download.headers.get('content-type'), 'image/png');
      const png = decodePng(Buffer.from(await download.arrayBuffer()));
      assert.deepEqual([png.width, png.height], [1024, 1024]);
      assert.deepEqual(png.pixel(0, 0), imageColorFor(prompt));
    });

    it('lets run-time size, quality and response_format override the init values', async () => {
      const prompt = 'A wide mountain panorama';
      const result = await generator().run(prompt, { size: '1792x1024', quality: 'hd', responseFormat: 'b64_json' });

      assert.deepEqual(server.requests[0].body, {
        model: 'dall-e-3',
        prompt,
        size: '1792x1024',
        quality: 'hd',
        response_format: 'b64_json',
        n: 1,
      });
      const png = decodePng(Buffer.from(result.images[0], 'base64'));
      assert.deepEqual([png.width, png.height], [1792, 1024]);
      assert.deepEqual(png.pixel(5, 5), imageColorFor(prompt));
    });

    it('generates with dall-e-2, which reports no revised prompt', async () => {
      const result = await generator({ model: 'dall-e-2', size: '256x256', responseFormat: 'b64_json' }).run(
        'a small icon',
      );
      assert.equal(server.requests[0].body.model, 'dall-e-2');
      assert.equal(result.revisedPrompt, '');
      assert.equal(decodePng(Buffer.from(result.images[0], 'base64')).width, 256);
    });

    it('reads an env-var key at call time, so a key set after construction is used', async () => {
      const dalle = generator({ apiKey: Secret.fromEnvVar('DALLE_TEST_KEY') });
      const missing = await rejection(dalle.run('a tree'));
      assert.equal(missing.code, 'missing_secret');
      assert.match(missing.message, /DALLE_TEST_KEY/);
      assert.equal(server.requests.length, 0);

      const restore = setSecretResolver((name) => (name === 'DALLE_TEST_KEY' ? API_KEY : undefined));
      try {
        await dalle.run('a tree');
      } finally {
        restore();
      }
      assert.equal(server.requests[0].headers.authorization, `Bearer ${API_KEY}`);
    });

    it('surfaces the API’s validation errors as bad_request with its message', async () => {
      const error = await rejection(generator().run('x'.repeat(4001)));
      assert.equal(error.code, 'bad_request');
      assert.equal(error.status, 400);
      assert.match(error.message, /string too long/);
      assert.equal(error.isRetryable, false);

      server.enqueue(contentPolicyViolation);
      const rejected = await rejection(generator().run('something unsafe'));
      assert.equal(rejected.status, 400);
      assert.match(rejected.message, /safety system/);
    });

    it('reports a rejected key as an authentication error without echoing the key', async () => {
      const wrongKey = 'sk-wrong-key-abcdef123456';
      const error = await rejection(generator({ apiKey: Secret.fromToken(wrongKey) }).run('a tree'));
      assert.equal(error.code, 'authentication');
      assert.equal(error.status, 401);
      assert.ok(!error.message.includes(wrongKey) && !error.message.includes('123456'), error.message);
    });

    it('retries server errors up to max_retries, then reports a retryable server error', async () => {
      server.enqueue(serverError(), serverError());
      const result = await generator({ maxRetries: 2, responseFormat: 'b64_json' }).run('retry me');
      assert.equal(server.requests.length, 3);
      assert.ok(result.images[0].length > 0);

      server.requests.length = 0;
      server.enqueue(serverError());
      const error = await rejection(generator({ maxRetries: 0 }).run('no retries'));
      assert.equal(server.requests.length, 1);
      assert.equal(error.code, 'server');
      assert.equal(error.status, 500);
      assert.equal(error.isRetryable, true);
    });

    it('gives up after `timeout` seconds when the API does not answer', async () => {
      server.enqueue(stall());
      const started = Date.now();
      const error = await rejection(generator({ timeout: 0.2 }).run('slow'));
      assert.equal(error.code, 'timeout');
      assert.ok(Date.now() - started < 5000);
    });

    it('stops when its AbortSignal is aborted, and sends nothing when it already was', async () => {
      const controller = new AbortController();
      server.enqueue(stall(() => controller.abort()));
      const pending = generator().run('cancel me', { signal: controller.signal });
      assert.equal((await rejection(pending)).code, 'cancelled');

      server.requests.length = 0;
      assert.equal((await rejection(generator().run('never sent', { signal: AbortSignal.abort() }))).code, 'cancelled');
      assert.equal(server.requests.length, 0);
    });
  });
});
