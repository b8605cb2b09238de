import assert from 'node:assert/strict';
import { ChatMessage } from '../../../../src/core/chatMessage';
import { ConfigurationError, GeneratorError } from '../../../../src/core/errors';
import { Secret, setSecretResolver } from '../../../../src/core/secret';
import type { StreamingChunk } from '../../../../src/core/streamingChunk';
import { AzureOpenAIResponsesChatGenerator } from '../../../../src/generators/azure/azureOpenAIResponsesChatGenerator';
import { componentFromDict } from '../../../../src/generators/registry';
import { openAIErrorReply, responsesReply, startResponsesServer } from '../../../servers/openaiResponses';
import type { TestServer } from '../../../servers/testServer';

const KEY = 'azure-key-0123456789abcdef';
const TYPE = 'haystack.components.generators.chat.azure_responses.AzureOpenAIResponsesChatGenerator';

describe('AzureOpenAIResponsesChatGenerator against the offline Responses server', () => {
  let server: TestServer;
  let restoreSecrets: () => void;
  const savedEndpoint = process.env.AZURE_OPENAI_ENDPOINT;
  before(async () => {
    server = await startResponsesServer();
    restoreSecrets = setSecretResolver((name) => (name === 'AZURE_OPENAI_API_KEY' ? KEY : undefined));
    delete process.env.AZURE_OPENAI_ENDPOINT;
  });
  after(async () => {
    restoreSecrets();
    if (savedEndpoint === undefined) delete process.env.AZURE_OPENAI_ENDPOINT;
    else process.env.AZURE_OPENAI_ENDPOINT = savedEndpoint;
    await server.close();
  });
  beforeEach(() => server.requests.splice(0));

  const generator = (options: ConstructorParameters<typeof AzureOpenAIResponsesChatGenerator>[0] = {}) =>
    new AzureOpenAIResponsesChatGenerator({ azureEndpoint: `${server.url}/`, maxRetries: 0, ...options });

  it("posts to the resource's /openai/v1/responses with the deployment as model and the AZURE_OPENAI_API_KEY key", async () => {
    const { replies } = await generator({
      azureDeployment: 'my-gpt5',
      generationKwargs: { reasoning: { effort: 'low', summary: 'auto' } },
    }).run([ChatMessage.fromUser('Hi Azure')]);
    const request = server.requests[0]!;
    assert.equal(request.path, '/openai/v1/responses');
    assert.deepEqual(request.query, {}, 'the v1 API takes no api-version');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(request.body, {
      model: 'my-gpt5',
      input: [{ role: 'user', content: 'Hi Azure' }],
      reasoning: { effort: 'low', summary: 'auto' },
      stream: false,
    });
    assert.equal(replies[0]!.text, 'Echo: Hi Azure');
    assert.equal(replies[0]!.meta.model, 'my-gpt5');
  });

  it('streams through the same conversion as OpenAI', async () => {
    const script = { reasoning: ['Thinking.'], text: 'Streamed from Azure.' };
    server.enqueue(responsesReply(script), responsesReply(script));
    const chunks: StreamingChunk[] = [];
    const streamed = await generator().run([ChatMessage.fromUser('s')], {
      streamingCallback: (c) => void chunks.push(c),
    });
    const plain = await generator().run([ChatMessage.fromUser('s')]);
    assert.deepEqual(streamed.replies[0]!.toDict(), plain.replies[0]!.toDict());
    assert.equal(chunks.at(-1)!.finishReason, 'stop');
    assert.deepEqual(chunks.at(-1)!.componentInfo, { type: TYPE });
  });

  it('authenticates with a token provider, sync or async, called for each run', async () => {
    let calls = 0;
    await generator({ apiKey: async () => `entra-token-${++calls}` }).run([ChatMessage.fromUser('a')]);
    await generator({ apiKey: () => 'sync-token' }).run([ChatMessage.fromUser('b')]);
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer entra-token-1');
    assert.equal(server.requests[1]!.headers.authorization, 'Bearer sync-token');
  });

  it('says which key is missing, and that the failure came from Azure', async () => {
    const missing = await generator({ apiKey: Secret.fromEnvVar('AZURE_OTHER_KEY', { strict: false }) })
      .run([ChatMessage.fromUser('x')])
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(missing));
    assert.equal(missing.code, 'missing_secret');
    assert.match(missing.message, /Azure OpenAI.*AZURE_OTHER_KEY/);
    assert.equal(server.requests.length, 0);

    server.enqueue(
      openAIErrorReply(401, 'Access denied due to invalid subscription key or wrong API endpoint.', { code: '401' }),
    );
    const denied = await generator()
      .run([ChatMessage.fromUser('x')])
      .catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(denied));
    assert.equal(denied.code, 'authentication');
    assert.match(denied.message, /Azure OpenAI.*AZURE_OPENAI_API_KEY/);
    assert.equal(denied.message.includes(KEY), false);
  });

  it('takes the endpoint from AZURE_OPENAI_ENDPOINT, and asks for one when there is none', async () => {
    assert.throws(
      () => new AzureOpenAIResponsesChatGenerator(),
      (e: unknown) =>
        e instanceof ConfigurationError && e.field === 'azure_endpoint' && /AZURE_OPENAI_ENDPOINT/.test(e.message),
    );
    assert.throws(
      () => new AzureOpenAIResponsesChatGenerator({ azureEndpoint: 'example-resource' }),
      /is not an http\(s\) URL/,
    );
    process.env.AZURE_OPENAI_ENDPOINT = server.url;
    try {
      const gen = new AzureOpenAIResponsesChatGenerator({ maxRetries: 0 });
      assert.equal(gen.azureEndpoint, server.url);
      await gen.run([ChatMessage.fromUser('env')]);
      assert.equal(server.requests[0]!.path, '/openai/v1/responses');
    } finally {
      delete process.env.AZURE_OPENAI_ENDPOINT;
    }
  });
});

describe('AzureOpenAIResponsesChatGenerator serialization', () => {
  const endpoint = 'https://example-resource.openai.azure.com/';

  it("writes Haystack's init parameters and defaults exactly", () => {
    assert.deepEqual(new AzureOpenAIResponsesChatGenerator({ azureEndpoint: endpoint }).toDict(), {
      type: TYPE,
      init_parameters: {
        azure_endpoint: endpoint,
        api_key: { type: 'env_var', env_vars: ['AZURE_OPENAI_API_KEY'], strict: false },
        azure_deployment: 'gpt-5-mini',
        streaming_callback: null,
        organization: null,
        generation_kwargs: {},
        timeout: null,
        max_retries: null,
        tools: null,
        tools_strict: false,
        http_client_kwargs: null,
      },
    });
  });

  it('round-trips every parameter through the registry', () => {
    const gen = new AzureOpenAIResponsesChatGenerator({
      azureEndpoint: endpoint,
      apiKey: Secret.fromEnvVar('MY_AZURE_KEY'),
      azureDeployment: 'gpt-5',
      organization: 'org-a',
      generationKwargs: { reasoning: { effort: 'medium' }, previous_response_id: 'resp_1' },
      timeout: 20,
      maxRetries: 1,
      tools: [{ type: 'web_search' }],
      toolsStrict: true,
      httpClientKwargs: { headers: { 'x-ms-client': 'editor' } },
    });
    const dict = gen.toDict();
    const back = componentFromDict(JSON.parse(JSON.stringify(dict)));
    assert.ok(back instanceof AzureOpenAIResponsesChatGenerator);
    assert.deepEqual(back.toDict(), dict);
    assert.equal(back.model, 'gpt-5');
  });

  it('keeps a Python token provider name for round trips but refuses to run it', async () => {
    const dict = { type: TYPE, init_parameters: { azure_endpoint: endpoint, api_key: 'my_package.auth.get_token' } };
    const gen = AzureOpenAIResponsesChatGenerator.fromDict(dict);
    assert.equal(gen.toDict().init_parameters.api_key, 'my_package.auth.get_token');
    await assert.rejects(
      gen.run([ChatMessage.fromUser('x')]),
      (e: unknown) =>
        e instanceof ConfigurationError && /my_package\.auth\.get_token.*cannot run in the editor/.test(e.message),
    );
  });

  it('refuses to serialize a JavaScript token provider or a token secret, without showing the token', () => {
    const token = 'entra-secret-token-value';
    const withFunction = new AzureOpenAIResponsesChatGenerator({ azureEndpoint: endpoint, apiKey: () => token });
    assert.throws(
      () => withFunction.toDict(),
      (e: unknown) => GeneratorError.isInstance(e) && e.code === 'configuration' && !e.message.includes(token),
    );
    const withToken = new AzureOpenAIResponsesChatGenerator({
      azureEndpoint: endpoint,
      apiKey: Secret.fromToken(token),
    });
    assert.throws(
      () => withToken.toDict(),
      (e: unknown) => GeneratorError.isInstance(e) && !e.message.includes(token),
    );
    assert.equal(JSON.stringify(withToken).includes(token), false);
  });
});
