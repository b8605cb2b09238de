import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { registeredTypes } from '../../../../src/generators/registry';
import { GENERATOR_TYPES } from '../../../../src/host/registry/generatorCatalog';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'));
const properties = manifest.contributes.configuration.properties;
const entriesSchema = properties['generators.generators'];

describe('host settings schema (package.json contributes)', () => {
  const validate = new Ajv({ strict: false }).compile(entriesSchema);

  it('lists every registered generator type and every type the host knows in the type enum', () => {
    const known: string[] = entriesSchema.items.properties.type.enum;
    assert.deepEqual([...known].sort(), GENERATOR_TYPES.map((t) => t.typeName).sort());
    const missing = registeredTypes()
      .map((cls) => cls.typeName)
      .filter((type) => !known.includes(type));
    assert.deepEqual(missing, [], 'a registered generator type is missing from the settings schema');
  });

  it('defaults to a local chat model that needs no key, and makes it the default chat generator', () => {
    assert.deepEqual(entriesSchema.default, [
      {
        name: 'Local chat',
        type: 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator',
        init_parameters: { model: 'HuggingFaceTB/SmolLM2-135M-Instruct' },
      },
    ]);
    assert.equal(properties['generators.defaultChatGenerator'].default, 'Local chat');
    assert.equal(validate(entriesSchema.default), true, JSON.stringify(validate.errors));
  });

  it('accepts a generator block copied from a Haystack pipeline, with env-var secrets', () => {
    const entry = {
      name: 'GPT',
      type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator',
      init_parameters: {
        model: 'gpt-4o-mini',
        api_key: { type: 'env_var', env_vars: ['OPENAI_API_KEY'], strict: true },
        generation_kwargs: { temperature: 0.2 },
        streaming_callback: null,
        api_base_url: null,
      },
    };
    assert.equal(validate([entry]), true, JSON.stringify(validate.errors));
  });

  it('rejects a key written into settings, a missing name and an unknown type', () => {
    const base = { name: 'x', type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator' };
    assert.equal(validate([{ ...base, init_parameters: { api_key: 'sk-pasted-key' } }]), false);
    assert.equal(
      validate([{ ...base, init_parameters: { api_key: { type: 'token', token: 'sk-pasted-key' } } }]),
      false,
    );
    assert.equal(validate([{ type: base.type }]), false);
    assert.equal(validate([{ ...base, type: 'haystack.components.builders.PromptBuilder' }]), false);
  });

  it('contributes every command with the Generators category, an editor submenu, and no eager activation', () => {
    const ids = manifest.contributes.commands
      .filter((c: { command: string }) => !c.command.startsWith('generators.chat.'))
      .map((c: { command: string }) => c.command);
    for (const id of [
      'setApiKey',
      'clearApiKey',
      'addGenerator',
      'removeGenerator',
      'importHaystackComponent',
      'exportHaystackComponent',
      'explainSelection',
      'improveSelection',
      'askAboutSelection',
      'generateAtCursor',
      'stop',
      'generateImage',
    ]) {
      assert.ok(ids.includes(`generators.${id}`), id);
    }
    assert.ok(manifest.contributes.commands.every((c: { category?: string }) => c.category === 'Generators'));
    assert.ok(
      manifest.contributes.menus['editor/context'].some(
        (m: { submenu?: string }) => m.submenu === 'generators.editorContext',
      ),
    );
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  it("ignores a workspace's generator list in an untrusted workspace (it could redirect keys to another server)", () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['generators.generators']);
  });
});
