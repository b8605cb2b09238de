import assert from 'node:assert/strict';
import type { GeneratorClass } from '../../../../src/core/generator';
import {
  runAddGeneratorWizard,
  type WizardItem,
  type WizardPrompter,
} from '../../../../src/host/registry/addGeneratorWizard';
import type { ConfiguredGenerator } from '../../../../src/host/registry/registryService';

const cls = (typeName: string, kind: 'chat' | 'text' | 'image') =>
  ({ typeName, kind, fromDict: () => assert.fail('not built by the wizard') }) as unknown as GeneratorClass;
const OPENAI = 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
const HF_API = 'haystack.components.generators.chat.hugging_face_api.HuggingFaceAPIChatGenerator';
const FALLBACK = 'haystack.components.generators.chat.fallback.FallbackChatGenerator';
const AZURE = 'haystack.components.generators.chat.azure.AzureOpenAIChatGenerator';
const types = [cls(OPENAI, 'chat'), cls(HF_API, 'chat'), cls(FALLBACK, 'chat'), cls(AZURE, 'chat')];

/** Answers the wizard's questions from a script and records what was asked. */
class ScriptedPrompter implements WizardPrompter {
  readonly asked: string[] = [];
  constructor(
    private readonly answers: (string | string[] | undefined | ((defaultValue?: string) => string | undefined))[],
  ) {}
  private next(title: string) {
    this.asked.push(title);
    return this.answers.shift();
  }
  async pick<T>(title: string, items: WizardItem<T>[]) {
    const answer = this.next(title);
    return answer === undefined ? undefined : items.find((i) => i.label === answer || i.value === answer)?.value;
  }
  async pickMany<T>(title: string, items: WizardItem<T>[]) {
    const answer = this.next(title) as string[] | undefined;
    return answer?.map((label) => items.find((i) => i.label === label)!.value);
  }
  async input(title: string, options: { value?: string; validate(text: string): string | undefined }) {
    const answer = this.next(title);
    const text = typeof answer === 'function' ? answer(options.value) : (answer as string | undefined);
    if (text === undefined) return undefined;
    const problem = options.validate(text);
    if (problem) throw new Error(`validation: ${problem}`);
    return text;
  }
}

const existing: ConfiguredGenerator[] = [
  { name: 'Work GPT', type: OPENAI, kind: 'chat', model: 'gpt-4o' },
  { name: 'Broken', type: OPENAI, kind: 'chat', error: 'bad' },
  { name: 'TGI', type: HF_API, kind: 'chat' },
];
const dicts: Record<string, { type: string; init_parameters: Record<string, unknown> }> = {
  'Work GPT': { type: OPENAI, init_parameters: { model: 'gpt-4o' } },
  TGI: { type: HF_API, init_parameters: { api_type: 'text_generation_inference', api_params: { url: 'http://tgi' } } },
};
const inputs = { types, existing, entryDict: (name: string) => dicts[name] };

describe('host Add Generator wizard', () => {
  it('asks for the type, its model (with the default offered) and a name', async () => {
    const prompter = new ScriptedPrompter(['OpenAI chat', (model) => model, (suggested) => suggested]);
    const entry = await runAddGeneratorWizard(prompter, inputs);
    assert.deepEqual(entry, {
      name: 'OpenAI chat gpt-4o-mini',
      type: OPENAI,
      init_parameters: { model: 'gpt-4o-mini' },
    });
    assert.deepEqual(prompter.asked, [
      'Add a generator (1/3): type',
      'Add a generator (2/3): Model',
      'Add a generator (3/3): name',
    ]);
  });

  it('builds nested parameters (api_params) and leaves optional empty answers out', async () => {
    const prompter = new ScriptedPrompter([
      'Hugging Face API chat',
      'text_generation_inference',
      '',
      'http://127.0.0.1:8080',
      'My TGI',
    ]);
    const entry = await runAddGeneratorWizard(prompter, inputs);
    assert.deepEqual(entry, {
      name: 'My TGI',
      type: HF_API,
      init_parameters: { api_type: 'text_generation_inference', api_params: { url: 'http://127.0.0.1:8080' } },
    });
  });

  it('requires the Azure endpoint and refuses a taken name', async () => {
    await assert.rejects(
      runAddGeneratorWizard(new ScriptedPrompter(['Azure OpenAI chat', '']), inputs),
      /validation: Azure OpenAI endpoint is required/,
    );
    await assert.rejects(
      runAddGeneratorWizard(new ScriptedPrompter(['OpenAI chat', 'gpt-4o', 'Work GPT']), inputs),
      /validation: "Work GPT" is taken/,
    );
  });

  it('nests the picked chat generators, in order, in a fallback', async () => {
    const prompter = new ScriptedPrompter([FALLBACK, ['TGI', 'Work GPT'], 'Resilient']);
    const entry = await runAddGeneratorWizard(prompter, inputs);
    assert.deepEqual(entry, {
      name: 'Resilient',
      type: FALLBACK,
      init_parameters: { chat_generators: [dicts.TGI, dicts['Work GPT']] },
    });
  });

  it('returns nothing when the user presses Escape at any step', async () => {
    for (let step = 0; step < 3; step++) {
      const answers: (string | undefined)[] = ['OpenAI chat', 'gpt-4o', 'name'];
      answers[step] = undefined;
      assert.equal(
        await runAddGeneratorWizard(new ScriptedPrompter(answers), inputs),
        undefined,
        `escape at step ${step + 1}`,
      );
    }
  });
});
