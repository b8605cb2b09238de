// What reaches the provider for Haystack 2.x settings: tool definitions with and without `tools_strict` (Haystack
// 2.31's recursive strict schema), schema `$ref`s inlined for Hugging Face, Responses' flattened generation kwargs.
import assert from 'node:assert/strict';
import {
  AIMLAPIChatGenerator,
  AzureOpenAIChatGenerator,
  ChatMessage,
  componentFromDict,
  HuggingFaceAPIChatGenerator,
  OpenAIChatGenerator,
  OpenAIResponsesChatGenerator,
  Secret,
  setSecretResolver,
  Tool,
  type ChatGenerator,
  type ChatMessageDict,
} from '../../../src/index';
import { openAIChatRoutes } from '../../servers/openaiChatCompletions';
import { responsesRoutes } from '../../servers/openaiResponses';
import { fakeHuggingFace, textGenerationInferenceRoutes } from '../../servers/textGenerationInference';
import { startTestServer, type TestServer } from '../../servers/testServer';
import { readFixture, type HaystackComponentDict } from '../../helpers/haystackFixtures';

type MessageFixtures = Record<string, ChatMessageDict>;
const messageFixture = (version: string, name: string) =>
  ChatMessage.fromDict(readFixture<MessageFixtures>(`${version}/ChatMessage.json`)[name]);
const PDF = 'JVBERi0xLjQKJSVFT0YK';

interface ToolsStrictFixture {
  tool: unknown;
  chat_completions_strict: unknown[];
  chat_completions_not_strict: unknown[];
  aimlapi_strict: unknown[];
  responses_strict: unknown[];
  responses_not_strict: unknown[];
  hugging_face_api_parameters: Record<string, unknown>;
}

const KEY = 'sk-interop-test-key';
const expected = () => readFixture<ToolsStrictFixture>('v2.31.0/wire/toolsStrict.json');
const weatherTool = () => Tool.fromDict(expected().tool);
const ask = [ChatMessage.fromUser('Weather in Paris?')];

describe('Haystack 2.x requests on the wire', () => {
  let openai: TestServer;
  let responses: TestServer;
  let tgi: TestServer;
  let restore: () => void;
  before(async () => {
    openai = await startTestServer(openAIChatRoutes());
    responses = await startTestServer(responsesRoutes());
    tgi = await startTestServer(textGenerationInferenceRoutes(fakeHuggingFace()));
    restore = setSecretResolver((name) => (name.endsWith('API_KEY') ? KEY : undefined));
  });
  after(async () => {
    restore();
    await Promise.all([openai.close(), responses.close(), tgi.close()]);
  });
  beforeEach(() => {
    for (const server of [openai, responses, tgi]) server.requests.length = 0;
  });

  const sentTools = async (server: TestServer, generator: ChatGenerator, toolsStrict?: boolean) => {
    await generator.run(ask, toolsStrict === undefined ? {} : { toolsStrict });
    assert.equal(server.requests.length, 1);
    return server.requests[0]!.body.tools;
  };

  describe('tools_strict on Chat Completions: every property required, no additional properties, all the way down', () => {
    const openAI = (toolsStrict: boolean) =>
      new OpenAIChatGenerator({
        apiKey: Secret.fromToken(KEY),
        apiBaseUrl: `${openai.url}/v1`,
        tools: [weatherTool()],
        toolsStrict,
      });

    it('OpenAIChatGenerator with tools_strict', async () => {
      assert.deepStrictEqual(await sentTools(openai, openAI(true)), expected().chat_completions_strict);
    });
    it('OpenAIChatGenerator without tools_strict sends the schema as it is', async () => {
      assert.deepStrictEqual(await sentTools(openai, openAI(false)), expected().chat_completions_not_strict);
    });
    it('a run-time tools_strict overrides the init-time one', async () => {
      assert.deepStrictEqual(await sentTools(openai, openAI(false), true), expected().chat_completions_strict);
    });
    it('AzureOpenAIChatGenerator with tools_strict', async () => {
      const azure = new AzureOpenAIChatGenerator({
        azureEndpoint: openai.url,
        apiKey: Secret.fromToken(KEY),
        tools: [weatherTool()],
        toolsStrict: true,
      });
      assert.deepStrictEqual(await sentTools(openai, azure), expected().chat_completions_strict);
    });
    it("AIMLAPIChatGenerator keeps its integration's own strict mode (closes the top level only)", async () => {
      const aimlapi = new AIMLAPIChatGenerator({
        apiKey: Secret.fromToken(KEY),
        apiBaseUrl: `${openai.url}/v1`,
        tools: [weatherTool()],
      });
      assert.deepStrictEqual(await sentTools(openai, aimlapi, true), expected().aimlapi_strict);
    });
    it("the tool's own schema is left as it was", async () => {
      const tool = weatherTool();
      const before = structuredClone(tool.parameters);
      await sentTools(openai, openAI(true));
      await openAI(true).run(ask, { tools: [tool] });
      assert.deepStrictEqual(tool.parameters, before);
    });
  });

  describe('tools on the Responses API', () => {
    const responsesGenerator = (toolsStrict: boolean) =>
      new OpenAIResponsesChatGenerator({
        apiKey: Secret.fromToken(KEY),
        apiBaseUrl: `${responses.url}/v1`,
        tools: [weatherTool()],
        toolsStrict,
      });
    it('with tools_strict: closed top level, strict left to the API default', async () => {
      assert.deepStrictEqual(await sentTools(responses, responsesGenerator(true)), expected().responses_strict);
    });
    it('without tools_strict: closed top level, strict: false', async () => {
      assert.deepStrictEqual(await sentTools(responses, responsesGenerator(false)), expected().responses_not_strict);
    });
  });

  it('HuggingFaceAPIChatGenerator inlines $defs/$ref in tool schemas (the HF API supports neither)', async () => {
    const generator = new HuggingFaceAPIChatGenerator({
      apiType: 'text_generation_inference',
      apiParams: { url: tgi.url },
      tools: [weatherTool()],
    });
    const tools = await sentTools(tgi, generator);
    assert.equal(tools.length, 1);
    const fn = tools[0].function;
    assert.equal(fn.name, 'get_weather');
    assert.deepStrictEqual(fn.parameters ?? fn.arguments, expected().hugging_face_api_parameters);
  });

  it("Responses: Haystack 2.23+'s flattened generation kwargs become the nested API parameters", async () => {
    const dict = readFixture<Record<string, HaystackComponentDict>>(
      'v2.23.0/OpenAIResponsesChatGenerator.json',
    ).flattened_generation_kwargs!;
    dict.init_parameters.api_base_url = `${responses.url}/v1`;
    const generator = componentFromDict(structuredClone(dict)) as ChatGenerator;
    await generator.run(ask, { generationKwargs: { temperature: 1 } });
    const body = responses.requests[0]!.body;
    assert.deepStrictEqual(body.reasoning, { effort: 'high', summary: 'auto' });
    assert.deepStrictEqual(body.text, { verbosity: 'low' });
    assert.equal(body.temperature, 1);
    for (const flattened of ['reasoning_effort', 'reasoning_summary', 'verbosity'])
      assert.ok(!(flattened in body), `${flattened} must not be sent as it is`);
    assert.deepStrictEqual(generator.toDict(), dict, 'the flattened kwargs stay flattened in the dict');
  });
  it('Haystack 2.30+: a chat generator takes a string as one user message', async () => {
    await new OpenAIChatGenerator({ apiKey: Secret.fromToken(KEY), apiBaseUrl: `${openai.url}/v1` }).run('Hello');
    assert.deepStrictEqual(openai.requests[0]!.body.messages, [{ role: 'user', content: 'Hello' }]);
    const { replies } = await new OpenAIResponsesChatGenerator({
      apiKey: Secret.fromToken(KEY),
      apiBaseUrl: `${responses.url}/v1`,
    }).run('Hello');
    assert.equal(replies[0]!.text, 'Echo: Hello');
  });

  describe('content parts added in Haystack 2.23 and 2.24', () => {
    const chat = () => new OpenAIChatGenerator({ apiKey: Secret.fromToken(KEY), apiBaseUrl: `${openai.url}/v1` });
    const responsesChat = () =>
      new OpenAIResponsesChatGenerator({ apiKey: Secret.fromToken(KEY), apiBaseUrl: `${responses.url}/v1` });

    it('Chat Completions: a file part is sent as a file item (PDF and a placeholder name when unknown)', async () => {
      await chat().run([
        messageFixture('v2.24.0', 'user_text_and_file'),
        messageFixture('v2.24.0', 'user_file_without_name'),
      ]);
      assert.deepStrictEqual(openai.requests[0]!.body.messages, [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Summarise this report.' },
            { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'report.pdf' } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'filename' } }],
        },
      ]);
    });

    it('Chat Completions: a tool result made of text parts is sent as a list of text parts', async () => {
      const call = { toolName: 'search_docs', arguments: { query: 'x' }, id: 'call_3' };
      await chat().run([
        ChatMessage.fromUser('Search'),
        ChatMessage.fromAssistant(null, { toolCalls: [call] }),
        messageFixture('v2.23.0', 'tool_result_with_text_parts'),
      ]);
      assert.deepStrictEqual(openai.requests[0]!.body.messages[2], {
        role: 'tool',
        content: [
          { type: 'text', text: 'line one' },
          { type: 'text', text: 'line two' },
        ],
        tool_call_id: 'call_3',
      });
    });

    it('Chat Completions: a tool result with an image is refused before sending (the API takes none)', async () => {
      await assert.rejects(
        chat().run([ChatMessage.fromUser('Chart'), messageFixture('v2.23.0', 'tool_result_with_text_and_image_parts')]),
        /Responses/,
      );
      assert.equal(openai.requests.length, 0);
    });

    it('Responses: a file part is an input_file, a tool result with parts an output list', async () => {
      await responsesChat().run([
        messageFixture('v2.24.0', 'user_text_and_file'),
        messageFixture('v2.23.0', 'tool_result_with_text_and_image_parts'),
      ]);
      const [user, output] = responses.requests[0]!.body.input;
      assert.deepStrictEqual(user.content[1], {
        type: 'input_file',
        filename: 'report.pdf',
        file_data: `data:application/pdf;base64,${PDF}`,
      });
      assert.equal(output.type, 'function_call_output');
      assert.equal(output.call_id, 'call_9');
      assert.deepStrictEqual(output.output[0], { type: 'input_text', text: 'Here is the chart.' });
      assert.equal(output.output[1].type, 'input_image');
      assert.match(output.output[1].image_url, /^data:image\/png;base64,iVBORw0KGgo/);
    });

    it('Responses: reasoning replayed from a Haystack conversation sends only the fields the API takes', async () => {
      const reasoning = {
        reasoning_text: 'Thought about it.',
        extra: {
          id: 'rs_1',
          type: 'reasoning',
          encrypted_content: 'gAAAA',
          status: 'completed',
          item_id: 'rs_1',
          output_index: 0,
          summary_index: 0,
          sequence_number: 7,
        },
      };
      const assistant = ChatMessage.fromDict({
        role: 'assistant',
        meta: {},
        name: null,
        content: [{ reasoning }, { text: 'Answer.' }],
      });
      await responsesChat().run([ChatMessage.fromUser('Q'), assistant, ChatMessage.fromUser('And?')]);
      assert.deepStrictEqual(responses.requests[0]!.body.input[1], {
        id: 'rs_1',
        type: 'reasoning',
        encrypted_content: 'gAAAA',
        status: 'completed',
        summary: [{ type: 'summary_text', text: 'Thought about it.' }],
      });
    });
  });
  describe('tools of other Haystack classes (ComponentTool, PipelineTool, SearchableToolset)', () => {
    const everyKind = () =>
      readFixture<Record<string, HaystackComponentDict>>('v2.31.0/OpenAIChatGenerator.json').tools_of_every_kind!;
    const pointedAtServer = (dict: HaystackComponentDict) => {
      dict.init_parameters.api_base_url = `${openai.url}/v1`;
      return componentFromDict(dict) as ChatGenerator;
    };

    it('are offered to the model with the parameters their dict gives', async () => {
      const dict = everyKind();
      (dict.init_parameters.tools as unknown[]).shift(); // the ComponentTool whose parameters Python derives
      await pointedAtServer(dict).run(ask);
      const tools = openai.requests[0]!.body.tools as { function: { name: string; parameters: unknown } }[];
      assert.deepStrictEqual(
        tools.map((tool) => tool.function.name),
        ['ask_pipeline', 'add'],
      );
      assert.deepStrictEqual(tools[0]!.function.parameters, {
        type: 'object',
        properties: { question: { type: 'string' } },
        required: ['question'],
      });
    });

    it('a ComponentTool without parameters is refused before sending, naming it and what to do', async () => {
      await assert.rejects(pointedAtServer(everyKind()).run(ask), /ComponentTool "summary_prompt".*parameters/);
      assert.equal(openai.requests.length, 0);
    });

    it('a SearchableToolset at or above its search threshold is refused before sending', async () => {
      const dict = everyKind();
      const tools = dict.init_parameters.tools as { type: string; data: Record<string, unknown> }[];
      tools[2]!.data.search_threshold = 1;
      dict.init_parameters.tools = [tools[2]];
      const generator = pointedAtServer(structuredClone(dict));
      await assert.rejects(generator.run(ask), /SearchableToolset lets the model search 1 tools/);
      assert.equal(openai.requests.length, 0);
      dict.init_parameters.api_base_url = `${openai.url}/v1`;
      assert.deepStrictEqual(generator.toDict(), dict);
    });
  });

  describe('Haystack 2.30.1+: an Azure endpoint and api-version given as secrets', () => {
    const fromSecrets = () =>
      readFixture<Record<string, HaystackComponentDict>>('v2.30.1/AzureOpenAIChatGenerator.json')
        .endpoint_and_version_from_secrets!;
    /** Runs the fixture's generator with these variables set (and every *_API_KEY), restoring the resolver after. */
    const runWith = async (variables: Record<string, string>) => {
      const restoreOwn = setSecretResolver((name) => variables[name] ?? (name.endsWith('API_KEY') ? KEY : undefined));
      try {
        return await (componentFromDict(fromSecrets()) as ChatGenerator).run(ask);
      } finally {
        restoreOwn();
      }
    };

    it('are read when the request is made and used for it', async () => {
      await runWith({ AZURE_OPENAI_ENDPOINT: openai.url, AZURE_OPENAI_API_VERSION: '2024-10-21' });
      const request = openai.requests[0]!;
      assert.equal(request.path, '/openai/deployments/gpt-4.1-mini/chat/completions');
      assert.equal(request.query['api-version'], '2024-10-21');
    });

    it('an unset endpoint is a missing-secret error naming its variable, before any request', async () => {
      await assert.rejects(runWith({ AZURE_OPENAI_API_VERSION: '2024-10-21' }), /AZURE_OPENAI_ENDPOINT/);
      assert.equal(openai.requests.length, 0);
    });
  });
});
