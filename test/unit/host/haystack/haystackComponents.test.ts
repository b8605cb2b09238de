import assert from 'node:assert/strict';
import { exportHaystackText, importHaystackText } from '../../../../src/host/haystack/haystackComponents';

const CHAT = 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
const DALLE = 'haystack.components.generators.openai_dalle.DALLEImageGenerator';
const isGenerator = (type: string) => type === CHAT || type === DALLE;

const PIPELINE_YAML = `
components:
  prompt_builder:
    init_parameters:
      template: "Answer: {{question}}"
    type: haystack.components.builders.prompt_builder.PromptBuilder
  llm:
    init_parameters:
      api_base_url: null
      api_key:
        env_vars:
        - OPENAI_API_KEY
        strict: true
        type: env_var
      generation_kwargs:
        temperature: 0.2
      model: gpt-4o-mini
      streaming_callback: null
    type: haystack.components.generators.chat.openai.OpenAIChatGenerator
  painter:
    init_parameters:
      model: dall-e-3
    type: haystack.components.generators.openai_dalle.DALLEImageGenerator
connections:
- receiver: llm.messages
  sender: prompt_builder.prompt
max_runs_per_component: 100
metadata: {}
`;

describe('host import of Haystack YAML/JSON', () => {
  it('imports the generator components of a whole pipeline and says what it skipped', async () => {
    const result = await importHaystackText(PIPELINE_YAML, isGenerator);
    assert.deepEqual(result.entries, [
      {
        name: 'llm',
        type: CHAT,
        init_parameters: {
          api_base_url: null,
          api_key: { env_vars: ['OPENAI_API_KEY'], strict: true, type: 'env_var' },
          generation_kwargs: { temperature: 0.2 },
          model: 'gpt-4o-mini',
          streaming_callback: null,
        },
      },
      { name: 'painter', type: DALLE, init_parameters: { model: 'dall-e-3' } },
    ]);
    assert.deepEqual(result.skipped, ['prompt_builder: PromptBuilder is not a supported generator']);
  });

  it('imports a single JSON component, naming it after its class and avoiding taken names', async () => {
    const json = JSON.stringify({ type: CHAT, init_parameters: { model: 'gpt-4.1' } });
    const result = await importHaystackText(json, isGenerator, ['OpenAIChatGenerator']);
    assert.deepEqual(result.entries, [
      { name: 'OpenAIChatGenerator (2)', type: CHAT, init_parameters: { model: 'gpt-4.1' } },
    ]);
  });

  it('imports a list of named entries as the settings hold them', async () => {
    const result = await importHaystackText(
      JSON.stringify([
        { name: 'Work', type: CHAT, init_parameters: {} },
        { name: 'Work', type: CHAT },
      ]),
      isGenerator,
    );
    assert.deepEqual(
      result.entries.map((e) => e.name),
      ['Work', 'Work (2)'],
    );
  });

  it('explains text that is not YAML or holds no component', async () => {
    await assert.rejects(importHaystackText('a: [1, 2', isGenerator), /neither valid YAML nor JSON/);
    await assert.rejects(importHaystackText('just: a mapping', isGenerator), /Found no Haystack component/);
    const bad = await importHaystackText(
      JSON.stringify({ components: { x: { type: CHAT, init_parameters: 3 }, y: 'z' } }),
      isGenerator,
    );
    assert.deepEqual(bad.entries, []);
    assert.deepEqual(bad.skipped, ['x: "init_parameters" is not an object', 'y: not a component object']);
  });
});

describe('host export of Haystack components', () => {
  const dict = {
    type: CHAT,
    init_parameters: {
      model: 'gpt-4o-mini',
      api_key: { type: 'env_var', env_vars: ['OPENAI_API_KEY'], strict: true },
      generation_kwargs: {},
    },
  };

  it('writes JSON and YAML that import back to the same dict', async () => {
    const json = await exportHaystackText(dict, 'json');
    assert.deepEqual(JSON.parse(json), dict);
    const yaml = await exportHaystackText(dict, 'yaml');
    assert.match(
      yaml,
      /^type: haystack\.components\.generators\.chat\.openai\.OpenAIChatGenerator\ninit_parameters:\n {2}model: gpt-4o-mini\n/,
    );
    for (const text of [json, yaml]) {
      const back = await importHaystackText(text, isGenerator);
      assert.deepEqual(back.entries[0].init_parameters, dict.init_parameters);
    }
  });
});
