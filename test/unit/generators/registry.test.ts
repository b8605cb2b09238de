// The descriptor list is the one place that lists generators: the settings schema, the registry and the host's
// catalog agree with it, and every descriptor is complete and true to its class.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorCapabilities } from '../../../src/core/descriptor';
import type { Generator } from '../../../src/core/generator';
import { generatorCapabilities, maxTokensKey } from '../../../src/generators/capabilities';
import { componentFromDict, GENERATOR_DESCRIPTORS, registeredTypes } from '../../../src/generators/registry';
import { GENERATOR_TYPES } from '../../../src/host/registry/generatorCatalog';
import { sampleInitParameters } from './descriptorSamples';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const typeEnum: string[] =
  manifest.contributes.configuration.properties['generators.generators'].items.properties.type.enum;
const samples = sampleInitParameters('http://127.0.0.1:9', 'DESCRIPTOR_TEST_KEY', false);

/** The env vars the generator's own default key secret reads, from its dict. */
function defaultSecretEnvVars(generator: Generator): string[] {
  const init = generator.toDict().init_parameters;
  const secret = (init.api_key ?? init.token) as { env_vars?: string[] } | null | undefined;
  return secret?.env_vars ?? [];
}

describe('generator descriptors', () => {
  it('the settings schema type enum is exactly the descriptor list, in order', () => {
    assert.deepEqual(
      typeEnum,
      GENERATOR_DESCRIPTORS.map((d) => d.typeName),
    );
  });

  it('the registry and the host catalog list the same types as the descriptors', () => {
    const types = GENERATOR_DESCRIPTORS.map((d) => d.typeName);
    assert.deepEqual(
      registeredTypes().map((c) => c.typeName),
      types,
    );
    assert.deepEqual(
      GENERATOR_TYPES.map((t) => t.typeName),
      types,
    );
    assert.equal(new Set(types).size, types.length, 'a type is listed twice');
  });

  for (const descriptor of GENERATOR_DESCRIPTORS) {
    const name = descriptor.typeName.split('.').at(-1)!;
    describe(name, () => {
      const sample = samples[descriptor.typeName];

      it('has a sample dict, builds from it through the registry and round-trips', () => {
        assert.ok(sample, `descriptorSamples.ts has no sample for ${descriptor.typeName}`);
        const generator = componentFromDict(sample);
        assert.equal(generator.typeName, descriptor.typeName);
        assert.equal(generator.kind, descriptor.kind);
        const dict = generator.toDict();
        assert.deepEqual(componentFromDict(JSON.parse(JSON.stringify(dict))).toDict(), dict);
      });

      it('states its label, wizard fields, key names, default model and pip packages', () => {
        assert.ok(descriptor.label.trim().length > 0);
        for (const field of descriptor.wizardFields) {
          assert.match(field.path, /^[a-z_]+(\.[a-z_]+)*$/);
          assert.ok(field.prompt.trim().length > 0);
        }
        for (const pkg of descriptor.pythonPackages) assert.match(pkg, /^[a-z0-9_.-]+(\[[a-z0-9_,-]+\])?$/i);
        for (const envVar of descriptor.secretEnvVars) assert.match(envVar, /^[A-Z_][A-Z0-9_]*$/);
        // Built with defaults only (a descriptor's default key must be the class's default key).
        const bare = descriptor.typeName.endsWith('FallbackChatGenerator')
          ? undefined
          : componentFromDict({
              type: descriptor.typeName,
              init_parameters: { ...withoutKey(sample.init_parameters) },
            });
        if (bare) {
          if (descriptor.secretEnvVars.length > 0)
            assert.deepEqual(defaultSecretEnvVars(bare), [...descriptor.secretEnvVars]);
          // Needs no key: whatever it may read (a token for gated local models) is optional.
          else assert.notEqual((bare.toDict().init_parameters.token as { strict?: boolean } | null)?.strict, true);
          const init = bare.toDict().init_parameters;
          const model = init.model ?? init.azure_deployment;
          if (descriptor.defaultModel !== undefined && !/HuggingFaceLocal/.test(name))
            assert.equal(model, descriptor.defaultModel);
        }
      });

      it('states capabilities that hold for its kind and its instances', () => {
        const capabilities: GeneratorCapabilities = generatorCapabilities(sample);
        assert.ok(capabilities.tokenLimits.contextWindow > 0);
        assert.ok(capabilities.tokenLimits.maxOutputTokens >= 0);
        assert.ok(capabilities.tokenLimits.maxOutputTokens <= capabilities.tokenLimits.contextWindow);
        if (descriptor.kind !== 'chat') {
          assert.equal(capabilities.imageInput, false);
          assert.equal(capabilities.toolCalling, false);
        } else {
          const generator = componentFromDict(sample);
          assert.equal(capabilities.imageInput, generator.kind === 'chat' && generator.acceptsImages === true);
        }
        if (descriptor.kind === 'image') assert.equal(capabilities.structuredOutput.supported, false);
        else assert.equal(typeof maxTokensKey(descriptor.typeName), 'string');
      });
    });
  }
});

/** The sample's init parameters with the key left to the class default. */
function withoutKey(init: Record<string, unknown>): Record<string, unknown> {
  const { api_key: _apiKey, token: _token, azure_ad_token: _adToken, ...rest } = init;
  return rest;
}
