// Every component dict a Haystack 2.x release writes (test/fixtures/haystack, written by hand from Haystack's
// source) loads here and serializes back to the same dict; a new component serializes to the seed's defaults.
import assert from 'node:assert/strict';
import {
  AIMLAPIChatGenerator,
  AzureOpenAIChatGenerator,
  AzureOpenAIGenerator,
  AzureOpenAIResponsesChatGenerator,
  componentFromDict,
  DALLEImageGenerator,
  FallbackChatGenerator,
  HuggingFaceAPIChatGenerator,
  HuggingFaceAPIGenerator,
  HuggingFaceLocalChatGenerator,
  HuggingFaceLocalGenerator,
  OpenAIChatGenerator,
  OpenAIGenerator,
  OpenAIResponsesChatGenerator,
  setSecretResolver,
  type Component,
} from '../../../src/index';
import { componentCases, defaultsOf, type HaystackComponentDict } from '../../helpers/haystackFixtures';

/** The seed documents Haystack 2.20.0: new components must serialize to that release's defaults. */
const SEED = 'v2.20.0';
const ENDPOINT = 'https://example-resource.openai.azure.com/';

/** What the fixtures' env-var secrets name; Haystack resolves some of them (the Azure endpoint) at construction. */
const environment: Record<string, string> = {
  AZURE_OPENAI_ENDPOINT: 'https://env-resource.openai.azure.com/',
  MY_AZURE_ENDPOINT: 'https://my-env-resource.openai.azure.com/',
  AZURE_OPENAI_API_VERSION: '2024-10-21',
  OPENAI_API_VERSION: '2024-10-21',
};

describe('Haystack 2.x component dicts', () => {
  let restore: () => void;
  before(() => {
    restore = setSecretResolver((name) => environment[name]);
  });
  after(() => restore());

  describe('a dict Haystack wrote loads and serializes back unchanged', () => {
    for (const { version, subject, name, value } of componentCases()) {
      it(`${version} ${subject} ${name}`, () => {
        const pristine = structuredClone(value);
        const component = componentFromDict(value);
        assert.deepStrictEqual(value, pristine, 'componentFromDict must not change the dict it reads');
        const dict = component.toDict();
        assert.deepStrictEqual(dict, pristine);
        assert.deepStrictEqual(JSON.parse(JSON.stringify(dict)), dict, 'toDict() must be plain JSON');
      });
    }
  });

  describe(`a new component serializes to Haystack ${SEED}'s defaults`, () => {
    const seedDefaults = (subject: string) => defaultsOf(SEED, subject);
    // The Python calls the `defaults` fixtures were written for, made here with the same arguments.
    const newComponents: Record<string, () => Component> = {
      OpenAIGenerator: () => new OpenAIGenerator(),
      AzureOpenAIGenerator: () => new AzureOpenAIGenerator({ azureEndpoint: ENDPOINT }),
      HuggingFaceAPIGenerator: () =>
        new HuggingFaceAPIGenerator({
          apiType: 'text_generation_inference',
          apiParams: { url: 'http://127.0.0.1:8080' },
        }),
      DALLEImageGenerator: () => new DALLEImageGenerator(),
      OpenAIChatGenerator: () => new OpenAIChatGenerator(),
      AzureOpenAIChatGenerator: () => new AzureOpenAIChatGenerator({ azureEndpoint: ENDPOINT }),
      HuggingFaceAPIChatGenerator: () =>
        new HuggingFaceAPIChatGenerator({
          apiType: 'serverless_inference_api',
          apiParams: { model: 'Qwen/Qwen2.5-7B-Instruct', provider: 'together' },
        }),
      OpenAIResponsesChatGenerator: () => new OpenAIResponsesChatGenerator(),
      AzureOpenAIResponsesChatGenerator: () => new AzureOpenAIResponsesChatGenerator({ azureEndpoint: ENDPOINT }),
      FallbackChatGenerator: () => new FallbackChatGenerator({ chatGenerators: [new OpenAIChatGenerator()] }),
      AIMLAPIChatGenerator: () => new AIMLAPIChatGenerator(),
    };
    for (const [subject, create] of Object.entries(newComponents)) {
      it(subject, () => assert.deepStrictEqual(create().toDict(), seedDefaults(subject)));
    }

    // Accepted difference: Haystack asks the Hub for a local model's task inside the constructor (and sets
    // `return_full_text` for text-generation models from it); here the task stays absent until given or resolved.
    const withoutHubTask = (dict: HaystackComponentDict): HaystackComponentDict => {
      const copy = structuredClone(dict);
      delete (copy.init_parameters.huggingface_pipeline_kwargs as Record<string, unknown>).task;
      delete (copy.init_parameters.generation_kwargs as Record<string, unknown>).return_full_text;
      return copy;
    };
    it('HuggingFaceLocalGenerator (the task is not looked up on the Hub)', () => {
      assert.deepStrictEqual(
        new HuggingFaceLocalGenerator().toDict(),
        withoutHubTask(seedDefaults('HuggingFaceLocalGenerator')),
      );
    });
    it('HuggingFaceLocalChatGenerator (the task is not looked up on the Hub)', () => {
      assert.deepStrictEqual(
        new HuggingFaceLocalChatGenerator().toDict(),
        withoutHubTask(seedDefaults('HuggingFaceLocalChatGenerator')),
      );
    });
    it('local generators given the task Haystack would look up serialize exactly as Haystack', () => {
      assert.deepStrictEqual(
        new HuggingFaceLocalGenerator({ task: 'text2text-generation' }).toDict(),
        seedDefaults('HuggingFaceLocalGenerator'),
      );
      assert.deepStrictEqual(
        new HuggingFaceLocalChatGenerator({ task: 'text-generation' }).toDict(),
        seedDefaults('HuggingFaceLocalChatGenerator'),
      );
    });
  });
});
