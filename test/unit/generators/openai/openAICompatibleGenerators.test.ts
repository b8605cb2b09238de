import assert from 'node:assert/strict';
import {
  AIMLAPIChatGenerator,
  AzureOpenAIChatGenerator,
  AzureOpenAIGenerator,
  ChatMessage,
  ConfigurationError,
  GeneratorError,
  OpenAIGenerator,
  Secret,
  type StreamingChunk,
} from '../../../../src/index';
import { completionReply, startOpenAIServer } from '../../../servers/openaiChatCompletions';
import type { TestServer } from '../../../servers/testServer';

describe('Azure OpenAI, AIMLAPI and the text generators against the offline server', () => {
  let server: TestServer;
  before(async () => {
    server = await startOpenAIServer();
  });
  after(() => server.close());
  beforeEach(() => server.requests.splice(0));

  describe('AzureOpenAIChatGenerator', () => {
    it('calls the deployment path with api-version and the api-key header', async () => {
      const gen = new AzureOpenAIChatGenerator({
        azureEndpoint: server.url,
        azureDeployment: 'my-gpt',
        apiVersion: '2024-10-21',
        apiKey: Secret.fromToken('azure-key-1'),
        azureAdToken: null,
        maxRetries: 0,
      });
      const { replies } = await gen.run([ChatMessage.fromUser('hi azure')], {
        generationKwargs: { max_completion_tokens: 9 },
      });
      const request = server.requests[0]!;
      assert.equal(request.path, '/openai/deployments/my-gpt/chat/completions');
      assert.equal(request.query['api-version'], '2024-10-21');
      assert.equal(request.headers['api-key'], 'azure-key-1');
      assert.equal(request.headers.authorization, undefined);
      assert.equal(request.body.model, 'my-gpt');
      assert.equal(request.body.max_completion_tokens, 9);
      assert.equal(replies[0]!.text, 'Echo: hi azure');
    });

    it('authenticates with a static AD token as a bearer token', async () => {
      const gen = new AzureOpenAIChatGenerator({
        azureEndpoint: server.url,
        apiKey: null,
        azureAdToken: Secret.fromToken('ad-token-1'),
        maxRetries: 0,
      });
      await gen.run([ChatMessage.fromUser('x')]);
      assert.equal(server.requests[0]!.headers.authorization, 'Bearer ad-token-1');
      assert.equal(server.requests[0]!.path, '/openai/deployments/gpt-4o-mini/chat/completions');
      assert.equal(server.requests[0]!.query['api-version'], '2023-05-15');
    });

    it('calls the AD token provider before every request', async () => {
      let calls = 0;
      const gen = new AzureOpenAIChatGenerator({
        azureEndpoint: server.url,
        apiKey: null,
        azureAdToken: null,
        azureAdTokenProvider: async () => `tok-${++calls}`,
        maxRetries: 0,
      });
      await gen.run([ChatMessage.fromUser('1')]);
      await gen.run([ChatMessage.fromUser('2')]);
      assert.deepEqual(
        server.requests.map((r) => r.headers.authorization),
        ['Bearer tok-1', 'Bearer tok-2'],
      );
    });

    it('sends default_headers and streams like OpenAI', async () => {
      server.enqueue(completionReply({ text: 'streamed from azure' }));
      const chunks: StreamingChunk[] = [];
      const gen = new AzureOpenAIChatGenerator({
        azureEndpoint: server.url,
        apiKey: Secret.fromToken('k'),
        defaultHeaders: { 'x-team': 'editor' },
        maxRetries: 0,
      });
      const { replies } = await gen.run([ChatMessage.fromUser('x')], { streamingCallback: (c) => void chunks.push(c) });
      assert.equal(server.requests[0]!.headers['x-team'], 'editor');
      assert.equal(chunks.map((c) => c.content).join(''), 'streamed from azure');
      assert.equal(replies[0]!.text, 'streamed from azure');
      assert.ok(chunks.every((c) => c.componentInfo?.type === AzureOpenAIChatGenerator.typeName));
    });

    it('explains a missing or malformed endpoint and missing credentials', async () => {
      const saved = process.env.AZURE_OPENAI_ENDPOINT;
      delete process.env.AZURE_OPENAI_ENDPOINT;
      try {
        assert.throws(
          () => new AzureOpenAIChatGenerator(),
          (e: unknown) =>
            e instanceof ConfigurationError && e.field === 'azure_endpoint' && /AZURE_OPENAI_ENDPOINT/.test(e.message),
        );
        assert.throws(
          () => new AzureOpenAIChatGenerator({ azureEndpoint: 'not a url' }),
          /azure_endpoint: "not a url" is not a URL/,
        );
        assert.throws(
          () => new AzureOpenAIChatGenerator({ azureEndpoint: server.url, apiKey: null, azureAdToken: null }),
          /Please provide an API key or an Azure Active Directory token/,
        );
      } finally {
        if (saved !== undefined) process.env.AZURE_OPENAI_ENDPOINT = saved;
      }
      const gen = new AzureOpenAIChatGenerator({
        azureEndpoint: server.url,
        apiKey: Secret.fromEnvVar('GENERATORS_TEST_UNSET_AZURE_KEY', { strict: false }),
        azureAdToken: Secret.fromEnvVar('GENERATORS_TEST_UNSET_AD_TOKEN', { strict: false }),
      });
      const error = await gen.run([ChatMessage.fromUser('x')]).catch((e: unknown) => e);
      assert.ok(GeneratorError.isInstance(error) && error.code === 'missing_secret');
      assert.match(error.message, /GENERATORS_TEST_UNSET_AZURE_KEY or GENERATORS_TEST_UNSET_AD_TOKEN/);
      assert.equal(server.requests.length, 0);
    });
  });

  describe('AIMLAPIChatGenerator', () => {
    it('sends the Haystack attribution headers, extra headers and its default model', async () => {
      const gen = new AIMLAPIChatGenerator({
        apiKey: Secret.fromToken('aiml-key'),
        apiBaseUrl: `${server.url}/v1`,
        extraHeaders: { 'X-Title': 'Editor' },
        maxRetries: 0,
      });
      const { replies } = await gen.run([ChatMessage.fromUser('hello aiml')], { generationKwargs: { max_tokens: 5 } });
      const request = server.requests[0]!;
      assert.equal(request.path, '/v1/chat/completions');
      assert.equal(request.headers.authorization, 'Bearer aiml-key');
      assert.equal(request.headers['http-referer'], 'https://github.com/deepset-ai/haystack-core-integrations');
      assert.equal(request.headers['x-title'], 'Editor');
      assert.equal(request.body.model, 'openai/gpt-5-chat-latest');
      assert.equal(request.body.max_tokens, 5);
      assert.equal(replies[0]!.text, 'Echo: hello aiml');
    });
  });

  describe('OpenAIGenerator and AzureOpenAIGenerator', () => {
    it('sends the init-time system prompt and the prompt, returning strings and meta', async () => {
      const gen = new OpenAIGenerator({
        apiKey: Secret.fromToken('k'),
        apiBaseUrl: `${server.url}/v1`,
        systemPrompt: 'You are terse.',
        maxRetries: 0,
      });
      const result = await gen.run('What is NLP?');
      assert.deepEqual(server.requests[0]!.body.messages, [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'What is NLP?' },
      ]);
      assert.deepEqual(result.replies, ['Echo: What is NLP?']);
      assert.equal(result.meta[0]!.model, 'gpt-4o-mini');
      assert.equal(result.meta[0]!.finish_reason, 'stop');
    });

    it('lets the run-time system prompt override the init-time one, and streams', async () => {
      const gen = new OpenAIGenerator({
        apiKey: Secret.fromToken('k'),
        apiBaseUrl: `${server.url}/v1`,
        systemPrompt: 'init',
        maxRetries: 0,
      });
      const chunks: StreamingChunk[] = [];
      const result = await gen.run('stream me', {
        systemPrompt: 'runtime',
        streamingCallback: (c) => void chunks.push(c),
      });
      assert.equal(server.requests[0]!.body.messages[0].content, 'runtime');
      assert.equal(chunks.map((c) => c.content).join(''), 'Echo: stream me');
      assert.ok(chunks.every((c) => c.componentInfo?.type === OpenAIGenerator.typeName));
      assert.deepEqual(result.replies, ['Echo: stream me']);
      assert.ok(result.meta[0]!.usage);
    });

    it('returns n replies for n completions', async () => {
      server.enqueue(completionReply({ choices: ['a', 'b', 'c'] }));
      const gen = new OpenAIGenerator({
        apiKey: Secret.fromToken('k'),
        apiBaseUrl: `${server.url}/v1`,
        generationKwargs: { n: 3 },
        maxRetries: 0,
      });
      const result = await gen.run('three');
      assert.deepEqual(result.replies, ['a', 'b', 'c']);
      assert.deepEqual(
        result.meta.map((m) => m.index),
        [0, 1, 2],
      );
    });

    it('AzureOpenAIGenerator sends the prompt to the deployment', async () => {
      const gen = new AzureOpenAIGenerator({
        azureEndpoint: server.url,
        azureDeployment: 'text-dep',
        apiKey: Secret.fromToken('k'),
        systemPrompt: 'sys',
        maxRetries: 0,
      });
      const result = await gen.run('azure text');
      assert.equal(server.requests[0]!.path, '/openai/deployments/text-dep/chat/completions');
      assert.equal(server.requests[0]!.body.messages[0].content, 'sys');
      assert.deepEqual(result.replies, ['Echo: azure text']);
    });
  });
});
