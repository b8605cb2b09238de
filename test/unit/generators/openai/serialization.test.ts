import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  AIMLAPIChatGenerator,
  AzureOpenAIChatGenerator,
  AzureOpenAIGenerator,
  componentFromDict,
  DeserializationError,
  OpenAIChatGenerator,
  OpenAIGenerator,
  printStreamingChunk,
  Secret,
  Tool,
  Toolset,
} from '../../../../src/index';

const env = (name: string, strict = true) => ({ type: 'env_var', env_vars: [name], strict });
const PRINT = 'haystack.components.generators.utils.print_streaming_chunk';

describe('OpenAI family: to_dict / from_dict in Haystack shape', () => {
  it('OpenAIChatGenerator defaults serialize exactly as Haystack does', () => {
    assert.deepEqual(new OpenAIChatGenerator().toDict(), {
      type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator',
      init_parameters: {
        model: 'gpt-4o-mini',
        streaming_callback: null,
        api_base_url: null,
        organization: null,
        generation_kwargs: {},
        api_key: env('OPENAI_API_KEY'),
        timeout: null,
        max_retries: null,
        tools: null,
        tools_strict: false,
        http_client_kwargs: null,
      },
    });
  });

  it('OpenAIChatGenerator round-trips every parameter, tools and a known callback', () => {
    const tool = new Tool({
      name: 'search',
      description: 'Search docs',
      parameters: { type: 'object', properties: { q: { type: 'string' } } },
      functionRef: 'my_pkg.tools.search',
    });
    const gen = new OpenAIChatGenerator({
      apiKey: Secret.fromEnvVar(['MY_KEY', 'OPENAI_API_KEY'], { strict: false }),
      model: 'gpt-4.1',
      streamingCallback: printStreamingChunk,
      apiBaseUrl: 'http://localhost:8000/v1',
      organization: 'org-x',
      generationKwargs: { temperature: 0.2, response_format: { type: 'json_object' } },
      timeout: 12.5,
      maxRetries: 2,
      tools: [tool, new Toolset([new Tool({ name: 'calc', description: 'Math', parameters: { type: 'object' } })])],
      toolsStrict: true,
      httpClientKwargs: { proxy: 'http://proxy:3128' },
    });
    const dict = gen.toDict();
    assert.equal(dict.init_parameters.streaming_callback, PRINT);
    assert.deepEqual(dict.init_parameters.api_key, {
      type: 'env_var',
      env_vars: ['MY_KEY', 'OPENAI_API_KEY'],
      strict: false,
    });
    assert.deepEqual(
      (dict.init_parameters.tools as { data: { name: string; function: unknown } }[])[0]!.data.function,
      'my_pkg.tools.search',
    );
    const again = componentFromDict(JSON.parse(JSON.stringify(dict)));
    assert.ok(again instanceof OpenAIChatGenerator);
    assert.equal(again.streamingCallback, printStreamingChunk);
    assert.deepEqual(again.toDict(), dict);
  });

  it('a dict written by a Python pipeline with only some keys loads with the seed defaults', () => {
    const gen = OpenAIChatGenerator.fromDict({
      type: OpenAIChatGenerator.typeName,
      init_parameters: { model: 'gpt-4o', streaming_callback: 'my_module.my_callback' },
    });
    assert.equal(gen.model, 'gpt-4o');
    assert.deepEqual(gen.apiKey.toDict(), env('OPENAI_API_KEY'));
    assert.equal(
      gen.toDict().init_parameters.streaming_callback,
      'my_module.my_callback',
      'an unknown Python callable keeps its name',
    );
  });

  it('OpenAIGenerator defaults and round trip', () => {
    assert.deepEqual(new OpenAIGenerator().toDict(), {
      type: 'haystack.components.generators.openai.OpenAIGenerator',
      init_parameters: {
        model: 'gpt-4o-mini',
        streaming_callback: null,
        api_base_url: null,
        organization: null,
        generation_kwargs: {},
        system_prompt: null,
        api_key: env('OPENAI_API_KEY'),
        http_client_kwargs: null,
      },
    });
    const gen = new OpenAIGenerator({
      model: 'gpt-4o',
      systemPrompt: 'Be nice',
      generationKwargs: { max_completion_tokens: 10 },
      timeout: 5,
      maxRetries: 1,
      streamingCallback: printStreamingChunk,
    });
    assert.deepEqual(componentFromDict(gen.toDict()).toDict(), gen.toDict());
  });

  it('AzureOpenAIChatGenerator defaults (timeout and retries resolved as Haystack does) and round trip', () => {
    const dict = new AzureOpenAIChatGenerator({ azureEndpoint: 'https://example.openai.azure.com/' }).toDict();
    assert.deepEqual(dict, {
      type: 'haystack.components.generators.chat.azure.AzureOpenAIChatGenerator',
      init_parameters: {
        azure_endpoint: 'https://example.openai.azure.com/',
        azure_deployment: 'gpt-4o-mini',
        organization: null,
        api_version: '2023-05-15',
        timeout: 30,
        max_retries: 5,
        api_key: env('AZURE_OPENAI_API_KEY', false),
        azure_ad_token: env('AZURE_OPENAI_AD_TOKEN', false),
        default_headers: {},
        azure_ad_token_provider: null,
        http_client_kwargs: null,
        streaming_callback: null,
        generation_kwargs: {},
        tools: null,
        tools_strict: false,
      },
    });
    const full = new AzureOpenAIChatGenerator({
      azureEndpoint: 'https://r.openai.azure.com',
      azureDeployment: 'dep',
      apiVersion: '2024-10-21',
      apiKey: null,
      azureAdTokenProvider: 'my_pkg.auth.token_provider',
      organization: 'o',
      timeout: 3,
      maxRetries: 0,
      defaultHeaders: { a: 'b' },
      generationKwargs: { seed: 1 },
      tools: new Toolset([new Tool({ name: 't', description: 'd', parameters: { type: 'object' } })]),
      toolsStrict: true,
    });
    const fullDict = full.toDict();
    assert.equal(fullDict.init_parameters.api_key, null);
    assert.equal(fullDict.init_parameters.azure_ad_token_provider, 'my_pkg.auth.token_provider');
    assert.equal((fullDict.init_parameters.tools as { type: string }).type, 'haystack.tools.toolset.Toolset');
    assert.deepEqual(componentFromDict(JSON.parse(JSON.stringify(fullDict))).toDict(), fullDict);
  });

  it('AzureOpenAIGenerator round trip keeps the system prompt', () => {
    const gen = new AzureOpenAIGenerator({
      azureEndpoint: 'https://r.openai.azure.com',
      systemPrompt: 'sys',
      generationKwargs: { n: 2 },
    });
    const dict = gen.toDict();
    assert.equal(dict.type, 'haystack.components.generators.azure.AzureOpenAIGenerator');
    assert.equal(dict.init_parameters.system_prompt, 'sys');
    assert.deepEqual(componentFromDict(dict).toDict(), dict);
  });

  it('AIMLAPIChatGenerator defaults and round trip', () => {
    assert.deepEqual(new AIMLAPIChatGenerator().toDict(), {
      type: 'haystack_integrations.components.generators.aimlapi.chat.chat_generator.AIMLAPIChatGenerator',
      init_parameters: {
        model: 'openai/gpt-5-chat-latest',
        streaming_callback: null,
        api_base_url: 'https://api.aimlapi.com/v1',
        generation_kwargs: {},
        api_key: env('AIMLAPI_API_KEY'),
        tools: null,
        extra_headers: null,
        timeout: null,
        max_retries: null,
        http_client_kwargs: null,
      },
    });
    const gen = new AIMLAPIChatGenerator({ model: 'x/y', extraHeaders: { h: 'v' }, timeout: 9, maxRetries: 1 });
    assert.deepEqual(componentFromDict(gen.toDict()).toDict(), gen.toDict());
  });

  it('refuses to serialize a token secret, and never puts the token in any output', () => {
    const token = 'sk-never-print-me-42';
    const gen = new OpenAIChatGenerator({ apiKey: Secret.fromToken(token) });
    assert.throws(() => gen.toDict(), /Cannot serialize token-based secret/);
    assert.ok(!JSON.stringify(gen).includes(token), 'JSON.stringify');
    assert.ok(!inspect(gen, { depth: 5 }).includes(token), 'util.inspect');
  });

  it('names the bad field when a dict is malformed', () => {
    const bad = (init: Record<string, unknown>) => () =>
      componentFromDict({ type: OpenAIChatGenerator.typeName, init_parameters: init });
    assert.throws(
      bad({ model: 42 }),
      (e: unknown) => e instanceof DeserializationError && e.field === 'init_parameters.model',
    );
    assert.throws(
      bad({ api_key: { type: 'token', token: 'x' } }),
      /init_parameters.api_key.type: token secrets cannot be deserialized/,
    );
    assert.throws(
      bad({ tools: [{ type: 'haystack.tools.tool.Tool', data: { name: 'x' } }] }),
      /init_parameters.tools\[0\].data.parameters/,
    );
    assert.throws(bad({ generation_kwargs: 'hot' }), /init_parameters.generation_kwargs: expected an object/);
    assert.throws(
      () => componentFromDict({ type: 'haystack.components.generators.chat.Nope' }),
      /unknown generator type "haystack.components.generators.chat.Nope". Supported: .*OpenAIChatGenerator/,
    );
    assert.throws(() => componentFromDict('nope'), /component: expected an object/);
  });
});
