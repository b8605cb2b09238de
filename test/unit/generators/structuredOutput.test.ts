// Structured output: which generators can follow a JSON schema, the request each one sends for it (checked on the
// wire against the offline servers), and the host's validation of the reply with ajv.
import assert from 'node:assert/strict';
import { ChatMessage } from '../../../src/core/chatMessage';
import { ConfigurationError } from '../../../src/core/errors';
import { Secret, setSecretResolver } from '../../../src/core/secret';
import type { ComponentDict } from '../../../src/core/serialization';
import { isStrictCompatible, type ResponseSchema } from '../../../src/core/structuredOutput';
import { structuredOutputKwargs, structuredOutputSupport } from '../../../src/generators/capabilities';
import { AzureOpenAIChatGenerator } from '../../../src/generators/azure/azureOpenAIChatGenerator';
import { DALLEImageGenerator } from '../../../src/generators/dalle/dalleImageGenerator';
import { FallbackChatGenerator } from '../../../src/generators/fallback/fallbackChatGenerator';
import { HuggingFaceAPIChatGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIChatGenerator';
import { HuggingFaceAPIGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIGenerator';
import { HuggingFaceLocalChatGenerator } from '../../../src/generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { HuggingFaceLocalGenerator } from '../../../src/generators/huggingFaceLocal/huggingFaceLocalGenerator';
import { OpenAIChatGenerator } from '../../../src/generators/openai/openAIChatGenerator';
import { OpenAIGenerator } from '../../../src/generators/openai/openAIGenerator';
import { OpenAIResponsesChatGenerator } from '../../../src/generators/responses/openAIResponsesChatGenerator';
import { compileSchema, validateReply } from '../../../src/host/structuredOutput/replySchemaValidation';
import { completionReply, startOpenAIServer } from '../../servers/openaiChatCompletions';
import { responsesReply, startResponsesServer } from '../../servers/openaiResponses';
import { startTestServer, type TestServer } from '../../servers/testServer';
import {
  fakeHuggingFace,
  textGenerationInferenceRoutes,
  type FakeHuggingFace,
} from '../../servers/textGenerationInference';

// An env-var secret: support is decided from the generator's dict, and token secrets refuse to serialize.
const KEY = Secret.fromEnvVar('STRUCTURED_TEST_KEY');
const city: ResponseSchema = {
  name: 'city_facts',
  schema: {
    type: 'object',
    properties: { name: { type: 'string' }, population: { type: 'integer', minimum: 0 } },
    required: ['name', 'population'],
    additionalProperties: false,
  },
};
const PARIS = '{"name": "Paris", "population": 2102650}';

describe('structured output', () => {
  let openai: TestServer;
  let responses: TestServer;
  let tgi: TestServer;
  let fake: FakeHuggingFace;
  let restoreResolver: () => void;
  before(async () => {
    restoreResolver = setSecretResolver((name) =>
      name === 'STRUCTURED_TEST_KEY' ? 'sk-structured-test-0123456789' : undefined,
    );
    fake = fakeHuggingFace();
    [openai, responses, tgi] = await Promise.all([
      startOpenAIServer(),
      startResponsesServer(),
      startTestServer(textGenerationInferenceRoutes(fake)),
    ]);
  });
  after(async () => {
    restoreResolver();
    await Promise.all([openai.close(), responses.close(), tgi.close()]);
  });
  beforeEach(() => {
    for (const server of [openai, responses, tgi]) server.requests.length = 0;
  });

  describe('support, decided before anything is sent', () => {
    it('says which wire format each family uses', () => {
      const wire = (dict: ComponentDict) => {
        const support = structuredOutputSupport(dict);
        return support.supported ? support.wire : `no: ${support.reason}`;
      };
      assert.equal(
        wire(new OpenAIChatGenerator({ apiKey: KEY }).toDict()),
        'Chat Completions response_format (json_schema)',
      );
      assert.equal(
        wire(new OpenAIGenerator({ apiKey: KEY }).toDict()),
        'Chat Completions response_format (json_schema)',
      );
      assert.equal(
        wire(new OpenAIResponsesChatGenerator({ apiKey: KEY }).toDict()),
        'Responses text.format (json_schema)',
      );
      assert.equal(
        wire(
          new HuggingFaceAPIChatGenerator({
            apiType: 'text_generation_inference',
            apiParams: { url: 'http://127.0.0.1:1' },
          }).toDict(),
        ),
        'TGI chat response_format (json grammar)',
      );
      assert.equal(
        wire(
          new HuggingFaceAPIChatGenerator({
            apiType: 'serverless_inference_api',
            apiParams: { model: 'org/m' },
          }).toDict(),
        ),
        'Inference Providers response_format (json_schema)',
      );
      assert.equal(
        wire(
          new HuggingFaceAPIGenerator({
            apiType: 'text_generation_inference',
            apiParams: { url: 'http://127.0.0.1:1' },
          }).toDict(),
        ),
        'TGI grammar (json)',
      );
    });

    it('refuses local, image and mismatched fallback generators with the reason', () => {
      const refusal = (dict: ComponentDict) => {
        const support = structuredOutputSupport(dict);
        assert.equal(support.supported, false);
        return support.supported ? '' : support.reason;
      };
      assert.match(
        refusal(new HuggingFaceLocalChatGenerator({ model: 'org/m', task: 'text-generation' }).toDict()),
        /local models .* cannot be held to a JSON schema/,
      );
      assert.match(
        refusal(new HuggingFaceLocalGenerator({ model: 'org/m', task: 'text-generation' }).toDict()),
        /local models/,
      );
      assert.match(refusal(new DALLEImageGenerator({ apiKey: KEY }).toDict()), /image generator/);
      assert.match(
        refusal(
          new HuggingFaceAPIGenerator({ apiType: 'serverless_inference_api', apiParams: { model: 'org/m' } }).toDict(),
        ),
        /Inference Providers takes no JSON grammar/,
      );
      const mixed = new FallbackChatGenerator({
        chatGenerators: [new OpenAIChatGenerator({ apiKey: KEY }), new OpenAIResponsesChatGenerator({ apiKey: KEY })],
      });
      assert.match(refusal(mixed.toDict()), /ask for JSON in different ways/);
      const same = new FallbackChatGenerator({
        chatGenerators: [
          new OpenAIChatGenerator({ apiKey: KEY }),
          new AzureOpenAIChatGenerator({ azureEndpoint: 'http://127.0.0.1:1', apiKey: KEY }),
        ],
      });
      assert.equal(structuredOutputSupport(same.toDict()).supported, true);
      assert.throws(
        () => structuredOutputKwargs(new DALLEImageGenerator({ apiKey: KEY }).toDict(), city),
        (error: unknown) => {
          assert.ok(error instanceof ConfigurationError);
          assert.match(error.message, /DALLEImageGenerator cannot follow a JSON schema: an image generator/);
          return true;
        },
      );
    });

    it('sends strict only for schemas inside OpenAI strict subset', () => {
      assert.equal(isStrictCompatible(city.schema), true);
      assert.equal(isStrictCompatible({ type: 'object', properties: { a: { type: 'string' } } }), false);
      assert.equal(
        isStrictCompatible({
          type: 'object',
          properties: { a: { type: 'string' } },
          required: ['a'],
          additionalProperties: false,
        }),
        true,
      );
      const nested = {
        type: 'array',
        items: { type: 'object', properties: { a: { type: 'string' } }, required: [], additionalProperties: false },
      };
      assert.equal(isStrictCompatible(nested), false);
    });

    it('rejects names the APIs refuse and schemas that are not objects', () => {
      assert.throws(
        () =>
          structuredOutputKwargs(new OpenAIChatGenerator({ apiKey: KEY }).toDict(), { name: 'has space', schema: {} }),
        /response_schema.name: use 1 to 64 letters/,
      );
      assert.throws(
        () =>
          structuredOutputKwargs(new OpenAIChatGenerator({ apiKey: KEY }).toDict(), { name: 'x', schema: [] as never }),
        /expected a JSON schema object/,
      );
    });
  });

  describe('the request on the wire, and the reply validated', () => {
    it('Chat Completions: response_format json_schema, streamed, merged over init-time kwargs', async () => {
      const generator = new OpenAIChatGenerator({
        apiKey: KEY,
        apiBaseUrl: `${openai.url}/v1`,
        maxRetries: 0,
        generationKwargs: { temperature: 0.1 },
      });
      openai.enqueue(completionReply({ text: PARIS }));
      const kwargs = structuredOutputKwargs(generator.toDict(), city);
      const { replies } = await generator.run([ChatMessage.fromUser('Facts about Paris')], {
        generationKwargs: kwargs,
        streamingCallback: () => undefined,
      });
      const body = openai.requests[0].body;
      assert.deepEqual(body.response_format, {
        type: 'json_schema',
        json_schema: { name: 'city_facts', schema: city.schema, strict: true },
      });
      assert.equal(body.temperature, 0.1);
      const validation = await validateReply(replies[0].text ?? '', city.schema);
      assert.deepEqual(validation, {
        valid: true,
        value: { name: 'Paris', population: 2102650 },
        formatted: '{\n  "name": "Paris",\n  "population": 2102650\n}',
      });
    });

    it('Responses: text.format json_schema, keeping other text settings', async () => {
      const generator = new OpenAIResponsesChatGenerator({
        apiKey: KEY,
        apiBaseUrl: `${responses.url}/v1`,
        maxRetries: 0,
        generationKwargs: { text: { verbosity: 'low' } },
      });
      responses.enqueue(responsesReply({ text: PARIS }));
      const { replies } = await generator.run([ChatMessage.fromUser('Facts about Paris')], {
        generationKwargs: structuredOutputKwargs(generator.toDict(), city),
      });
      assert.deepEqual(responses.requests[0].body.text, {
        verbosity: 'low',
        format: { type: 'json_schema', name: 'city_facts', schema: city.schema, strict: true },
      });
      assert.equal((await validateReply(replies[0].text ?? '', city.schema)).valid, true);
    });

    it('TGI text generation: parameters.grammar json', async () => {
      fake.script = { tokens: ['{"name": ', '"Paris", ', '"population": -1}'] };
      const generator = new HuggingFaceAPIGenerator({
        apiType: 'text_generation_inference',
        apiParams: { url: tgi.url },
      });
      const result = await generator.run('Facts about Paris', {
        generationKwargs: structuredOutputKwargs(generator.toDict(), city),
      });
      assert.deepEqual(tgi.requests[0].body.parameters.grammar, { type: 'json', value: city.schema });
      const validation = await validateReply(result.replies[0], city.schema);
      assert.equal(validation.valid, false);
      assert.deepEqual(!validation.valid && validation.errors, ['/population must be >= 0']);
      assert.equal(validation.formatted, '{\n  "name": "Paris",\n  "population": -1\n}');
    });

    it('TGI chat: response_format {type: json, value: schema}', async () => {
      fake.script = { tokens: ['```json\n', PARIS, '\n```'] };
      const generator = new HuggingFaceAPIChatGenerator({
        apiType: 'text_generation_inference',
        apiParams: { url: tgi.url },
      });
      const { replies } = await generator.run([ChatMessage.fromUser('Facts about Paris')], {
        generationKwargs: structuredOutputKwargs(generator.toDict(), city),
      });
      assert.deepEqual(tgi.requests[0].body.response_format, { type: 'json', value: city.schema });
      // A fenced reply is unwrapped before parsing.
      assert.equal((await validateReply(replies[0].text ?? '', city.schema)).valid, true);
    });
  });

  describe('validation', () => {
    it('reports a reply that is not JSON', async () => {
      const validation = await validateReply('Paris has about two million people.', city.schema);
      assert.equal(validation.valid, false);
      assert.match(!validation.valid ? validation.errors[0] : '', /^The reply is not JSON: /);
      assert.equal(validation.formatted, undefined);
    });

    it('lists every error: missing, extra and mistyped properties, and formats', async () => {
      const schema = {
        ...city.schema,
        properties: { ...(city.schema.properties as object), email: { type: 'string', format: 'email' } },
      };
      const validation = await validateReply('{"name": 3, "extra": true, "email": "nope"}', schema);
      assert.deepEqual(!validation.valid && validation.errors, [
        "(the reply) must have required property 'population'",
        '(the reply) must NOT have additional properties: extra',
        '/name must be string',
        '/email must match format "email"',
      ]);
    });

    it('checks against a schema with an $id again after it was read again (a reloaded conversation)', async () => {
      const read = () => ({ $id: 'https://example.com/city.json', ...city.schema });
      assert.equal((await validateReply(PARIS, read())).valid, true);
      assert.equal((await validateReply('{"name": "Paris"}', read())).valid, false);
    });

    it('checks schemas that declare draft 2020-12, 2019-09 or draft-07', async () => {
      for (const $schema of [
        'https://json-schema.org/draft/2020-12/schema',
        'https://json-schema.org/draft/2019-09/schema',
        'http://json-schema.org/draft-07/schema#',
      ]) {
        const validation = await validateReply('{"name": "Paris", "population": 1.5}', { $schema, ...city.schema });
        assert.deepEqual(!validation.valid && validation.errors, ['/population must be integer'], $schema);
      }
    });

    it('refuses a schema ajv cannot compile, naming the problem', async () => {
      await assert.rejects(compileSchema({ type: 'no-such-type' }), (error: unknown) => {
        assert.ok(error instanceof ConfigurationError);
        assert.match(error.message, /^response_schema.schema: is not a valid JSON schema: /);
        return true;
      });
    });
  });
});
