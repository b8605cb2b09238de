import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { ChatMessage } from '../../../../src/core/chatMessage';
import { ConfigurationError, DeserializationError } from '../../../../src/core/errors';
import { Secret } from '../../../../src/core/secret';
import type { StreamingChunk } from '../../../../src/core/streamingChunk';
import { Tool } from '../../../../src/core/tool';
import { AzureOpenAIChatGenerator } from '../../../../src/generators/azure/azureOpenAIChatGenerator';
import { DALLEImageGenerator } from '../../../../src/generators/dalle/dalleImageGenerator';
import {
  FALLBACK_RESTART,
  FallbackChainError,
  FallbackChatGenerator,
} from '../../../../src/generators/fallback/fallbackChatGenerator';
import { HuggingFaceLocalChatGenerator } from '../../../../src/generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { OpenAIChatGenerator } from '../../../../src/generators/openai/openAIChatGenerator';
import { componentFromDict } from '../../../../src/generators/registry';
import { apiError, resetAfter, stallAfter, startOpenAIServer } from '../../../servers/openaiChatCompletions';
import type { TestServer } from '../../../servers/testServer';
import { rejection } from '../../../helpers/rejections';

const OPENAI_KEY = 'sk-primary-0123456789abcdef';
const AZURE_KEY = 'azure-backup-key-0123456789';
const DEPLOYMENT = 'gpt-4o-mini-backup';
const TYPE = 'haystack.components.generators.chat.fallback.FallbackChatGenerator';
const question = [ChatMessage.fromUser('What is Haystack?')];

/** A reply that never comes; `onRequest` is told when the request has arrived. */
const stall = (onRequest?: () => void) => (_request: unknown, _response: ServerResponse) => {
  onRequest?.();
  return new Promise<void>(() => {});
};

describe('FallbackChatGenerator', () => {
  // Two providers on two servers, so each test can see which one was asked what.
  let primaryServer: TestServer;
  let backupServer: TestServer;
  before(async () => {
    [primaryServer, backupServer] = await Promise.all([startOpenAIServer(), startOpenAIServer()]);
  });
  after(() => Promise.all([primaryServer.close(), backupServer.close()]));
  beforeEach(() => {
    primaryServer.requests.length = 0;
    backupServer.requests.length = 0;
  });

  const primary = (options: { timeout?: number } = {}) =>
    new OpenAIChatGenerator({
      apiKey: Secret.fromToken(OPENAI_KEY),
      apiBaseUrl: `${primaryServer.url}/v1`,
      maxRetries: 0,
      ...options,
    });
  const backup = () =>
    new AzureOpenAIChatGenerator({
      azureEndpoint: backupServer.url,
      azureDeployment: DEPLOYMENT,
      apiKey: Secret.fromToken(AZURE_KEY),
      maxRetries: 0,
    });
  const chain = (options: { timeout?: number } = {}) =>
    new FallbackChatGenerator({ chatGenerators: [primary(options), backup()] });

  describe('construction and serialization', () => {
    it('needs a non-empty list of chat generators', () => {
      assert.throws(
        () => new FallbackChatGenerator({ chatGenerators: [] }),
        (error: ConfigurationError) =>
          error instanceof ConfigurationError &&
          error.field === 'init_parameters.chat_generators' &&
          /non-empty list/.test(error.message),
      );
      assert.throws(
        () => new FallbackChatGenerator({ chatGenerators: [primary(), new DALLEImageGenerator() as never] }),
        /init_parameters\.chat_generators\[1\]: is an image generator \(haystack\.components\.generators\.openai_dalle\.DALLEImageGenerator\)/,
      );
    });

    it('serializes the children’s own dicts under chat_generators and round-trips OpenAI → Azure → local model', () => {
      const fallback = new FallbackChatGenerator({
        chatGenerators: [
          new OpenAIChatGenerator({ model: 'gpt-4o', generationKwargs: { temperature: 0.2 } }),
          new AzureOpenAIChatGenerator({
            azureEndpoint: 'https://example.openai.azure.com/',
            azureDeployment: DEPLOYMENT,
          }),
          new HuggingFaceLocalChatGenerator({ model: 'HuggingFaceTB/SmolLM2-135M-Instruct', task: 'text-generation' }),
        ],
      });
      const dict = fallback.toDict();
      assert.deepEqual(dict, {
        type: TYPE,
        init_parameters: { chat_generators: fallback.chatGenerators.map((g) => g.toDict()) },
      });
      assert.equal(
        (dict.init_parameters.chat_generators as { type: string }[])[1].type,
        'haystack.components.generators.chat.azure.AzureOpenAIChatGenerator',
      );

      const restored = FallbackChatGenerator.fromDict(JSON.parse(JSON.stringify(dict)), componentFromDict);
      assert.ok(restored.chatGenerators[0] instanceof OpenAIChatGenerator);
      assert.ok(restored.chatGenerators[1] instanceof AzureOpenAIChatGenerator);
      assert.ok(restored.chatGenerators[2] instanceof HuggingFaceLocalChatGenerator);
      assert.deepEqual(restored.toDict(), dict);
      const viaRegistry = componentFromDict(dict);
      assert.ok(viaRegistry instanceof FallbackChatGenerator);
      assert.deepEqual(viaRegistry.toDict(), dict);
    });

    it('names the child that cannot be restored', () => {
      const good = new OpenAIChatGenerator().toDict();
      assert.throws(
        () =>
          FallbackChatGenerator.fromDict(
            {
              type: TYPE,
              init_parameters: {
                chat_generators: [
                  good,
                  { type: 'haystack.components.generators.chat.made_up.MadeUp', init_parameters: {} },
                ],
              },
            },
            componentFromDict,
          ),
        (error: DeserializationError) =>
          error instanceof DeserializationError &&
          error.field === 'init_parameters.chat_generators[1]' &&
          /unknown generator type/.test(error.message),
      );
      assert.throws(
        () =>
          FallbackChatGenerator.fromDict(
            {
              type: TYPE,
              init_parameters: { chat_generators: [good, new DALLEImageGenerator().toDict()] },
            },
            componentFromDict,
          ),
        /chat_generators\[1\].*DALLEImageGenerator is an image generator/,
      );
      assert.throws(
        () =>
          FallbackChatGenerator.fromDict({ type: TYPE, init_parameters: { chat_generators: [] } }, componentFromDict),
        DeserializationError,
      );
      assert.throws(
        () => FallbackChatGenerator.fromDict({ type: TYPE, init_parameters: {} }, componentFromDict),
        DeserializationError,
      );
    });

    it('warms up and shuts down every child, in order', async () => {
      const calls: string[] = [];
      const first = primary();
      const second = backup();
      first.warmUp = async () => void calls.push('warm first');
      second.warmUp = async () => void calls.push('warm second');
      Object.assign(first, { shutdown: async () => void calls.push('shut first') });
      Object.assign(second, { shutdown: async () => void calls.push('shut second') });
      const fallback = new FallbackChatGenerator({ chatGenerators: [first, second] });
      await fallback.warmUp();
      await fallback.shutdown();
      assert.deepEqual(calls, ['warm first', 'warm second', 'shut first', 'shut second']);
    });
  });

  describe('falling back', () => {
    const failures: [string, () => void, string][] = [
      ['a 429', () => primaryServer.enqueue(apiError(429, 'Rate limit reached for gpt-4o-mini')), 'rate_limit'],
      ['a 500', () => primaryServer.enqueue(apiError(500, 'The server had an error')), 'server'],
      ['a 401', () => primaryServer.enqueue(apiError(401, 'Incorrect API key provided')), 'authentication'],
      [
        'a 400 (context too long)',
        () => primaryServer.enqueue(apiError(400, "This model's maximum context length is 128000 tokens")),
        'bad_request',
      ],
      ['no answer within its timeout', () => primaryServer.enqueue(stall()), 'timeout'],
    ];
    for (const [what, arrange, code] of failures) {
      it(`moves on to the next generator when the first gets ${what}`, async () => {
        arrange();
        const weather = new Tool({
          name: 'get_weather',
          description: 'Weather',
          parameters: { type: 'object', properties: {} },
        });
        const result = await chain({ timeout: 0.3 }).run(question, {
          generationKwargs: { temperature: 0.3 },
          tools: [weather],
        });

        assert.equal(primaryServer.requests.length, 1);
        assert.equal(backupServer.requests.length, 1);
        const retried = backupServer.requests[0];
        assert.equal(retried.path, `/openai/deployments/${DEPLOYMENT}/chat/completions`);
        assert.equal(retried.headers['api-key'], AZURE_KEY);
        // Both generators got the same run-time arguments.
        for (const request of [primaryServer.requests[0], retried]) {
          assert.equal(request.body.temperature, 0.3);
          assert.equal(request.body.tools[0].function.name, 'get_weather');
          assert.deepEqual(request.body.messages, [{ role: 'user', content: 'What is Haystack?' }]);
        }

        assert.equal(result.replies[0].text, 'Echo: What is Haystack?');
        const meta = result.meta ?? {};
        assert.equal(meta.successful_chat_generator_index, 1);
        assert.equal(meta.successful_chat_generator_class, 'AzureOpenAIChatGenerator');
        assert.equal(meta.total_attempts, 2);
        const [failure] = meta.failed_chat_generators as {
          index: number;
          class: string;
          error: string;
          code: string;
        }[];
        assert.deepEqual(
          { index: failure.index, class: failure.class, code: failure.code },
          { index: 0, class: 'OpenAIChatGenerator', code },
        );
        assert.ok(failure.error.length > 0 && !failure.error.includes(OPENAI_KEY));
      });
    }

    it('returns the first generator’s reply without trying the others when it succeeds', async () => {
      const result = await chain().run(question);
      assert.equal(backupServer.requests.length, 0);
      assert.deepEqual(result.meta, {
        successful_chat_generator_index: 0,
        successful_chat_generator_class: 'OpenAIChatGenerator',
        total_attempts: 1,
        failed_chat_generators: [],
      });
    });

    it('throws one error naming every generator and its failure when all fail', async () => {
      primaryServer.enqueue(apiError(500, 'The server had an error'));
      backupServer.enqueue(apiError(401, 'Access denied due to invalid subscription key'));
      const error = await rejection(chain().run(question));

      assert.ok(error instanceof FallbackChainError);
      assert.match(
        error.message,
        /^All 2 chat generators failed\. \[0\] OpenAIChatGenerator: .*The server had an error.*; \[1\] AzureOpenAIChatGenerator: .*invalid subscription key/,
      );
      assert.deepEqual(
        error.failures.map((f) => [f.index, f.class, f.code]),
        [
          [0, 'OpenAIChatGenerator', 'server'],
          [1, 'AzureOpenAIChatGenerator', 'authentication'],
        ],
      );
      // The last failure says what to do next; one retryable failure makes the whole chain worth retrying.
      assert.equal(error.code, 'authentication');
      assert.equal(error.status, 401);
      assert.equal(error.isRetryable, true);
      assert.ok(!error.message.includes(OPENAI_KEY) && !error.message.includes(AZURE_KEY));
    });
  });

  describe('streaming', () => {
    const collect = () => {
      const chunks: StreamingChunk[] = [];
      return { chunks, callback: (chunk: StreamingChunk) => void chunks.push(chunk) };
    };
    const restartIndex = (chunks: StreamingChunk[]) => chunks.findIndex((c) => c.meta[FALLBACK_RESTART] === true);

    for (const [what, arrange] of [
      ['stalls', () => primaryServer.enqueue(stallAfter({ text: 'A partial answer that stalls', chunkSize: 8 }, 3))],
      [
        'drops the connection',
        () => primaryServer.enqueue(resetAfter({ text: 'A partial answer that is cut', chunkSize: 8 }, 3)),
      ],
    ] as const) {
      it(`keeps the chunks of a generator that ${what} mid-stream out of the winner’s reply and flags the restart`, async () => {
        arrange();
        const { chunks, callback } = collect();
        const result = await chain({ timeout: 0.3 }).run(question, { streamingCallback: callback });

        const restart = restartIndex(chunks);
        assert.ok(restart > 0, 'a restart chunk follows the failed attempt’s chunks');
        assert.equal(chunks.filter((c) => c.meta[FALLBACK_RESTART] === true).length, 1);
        const before = chunks.slice(0, restart);
        const after = chunks.slice(restart + 1);
        assert.equal(before.map((c) => c.content).join(''), 'A partial answer');
        assert.ok(before.every((c) => c.componentInfo?.type === OpenAIChatGenerator.typeName));
        assert.deepEqual(chunks[restart], {
          content: '',
          meta: {
            [FALLBACK_RESTART]: true,
            failed_chat_generator_index: 0,
            failed_chat_generator_class: 'OpenAIChatGenerator',
          },
          componentInfo: { type: TYPE },
        });
        assert.ok(after.length > 0 && after.every((c) => c.componentInfo?.type === AzureOpenAIChatGenerator.typeName));
        assert.equal(after.map((c) => c.content).join(''), 'Echo: What is Haystack?');
        assert.equal(result.replies[0].text, 'Echo: What is Haystack?');
        assert.equal(result.meta?.successful_chat_generator_index, 1);
      });
    }

    it('sends no restart chunk when the failed generator streamed nothing, nor after the last generator', async () => {
      primaryServer.enqueue(apiError(429, 'Rate limit reached'));
      const first = collect();
      await chain().run(question, { streamingCallback: first.callback });
      assert.equal(restartIndex(first.chunks), -1);
      assert.equal(first.chunks.map((c) => c.content).join(''), 'Echo: What is Haystack?');

      primaryServer.enqueue(resetAfter({ text: 'first partial' }, 3));
      backupServer.enqueue(resetAfter({ text: 'second partial' }, 3));
      const both = collect();
      await rejection(chain().run(question, { streamingCallback: both.callback }));
      assert.equal(both.chunks.filter((c) => c.meta[FALLBACK_RESTART] === true).length, 1);
      assert.notEqual(both.chunks.at(-1)?.meta[FALLBACK_RESTART], true);
    });

    it('stops the chain when the streaming callback itself throws', async () => {
      const broken = new Error('the panel went away');
      const error = await chain()
        .run(question, {
          streamingCallback: () => {
            throw broken;
          },
        })
        .catch((e: unknown) => e);
      assert.equal(error, broken);
      assert.equal(backupServer.requests.length, 0);
    });
  });

  describe('cancellation', () => {
    it('makes no further attempt after the signal is aborted during an attempt', async () => {
      const controller = new AbortController();
      primaryServer.enqueue(stall(() => controller.abort()));
      const error = await rejection(chain({ timeout: 30 }).run(question, { signal: controller.signal }));
      assert.equal(error.code, 'cancelled');
      assert.equal(backupServer.requests.length, 0);
    });

    it('stops mid-stream when the callback aborts, without trying the next generator', async () => {
      const controller = new AbortController();
      primaryServer.enqueue(stallAfter({ text: 'abcdefghij', chunkSize: 1 }, 8));
      const chunks: StreamingChunk[] = [];
      const error = await rejection(
        chain({ timeout: 30 }).run(question, {
          signal: controller.signal,
          streamingCallback: (chunk) => {
            chunks.push(chunk);
            if (chunk.content === 'c') controller.abort();
          },
        }),
      );
      assert.equal(error.code, 'cancelled');
      assert.equal(chunks.at(-1)?.content, 'c');
      assert.equal(backupServer.requests.length, 0);
    });

    it('sends nothing when the signal was aborted before the run', async () => {
      const error = await rejection(chain().run(question, { signal: AbortSignal.abort() }));
      assert.equal(error.code, 'cancelled');
      assert.equal(primaryServer.requests.length + backupServer.requests.length, 0);
    });
  });
});
