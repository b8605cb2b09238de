// What a configured generator can do, from its component dict and the descriptors: read by structured output,
// generation settings, the chat panel and the language-model provider. Decided from the dict (not a built
// generator) so that the answer comes before anything is sent, and for nested generators too.
import type { GeneratorCapabilities } from '../core/descriptor';
import type { ComponentDict } from '../core/serialization';
import {
  structuredOutputRequestKwargs,
  type ResponseSchema,
  type StructuredOutputSupport,
} from '../core/structuredOutput';
import { descriptorFor } from './registry';

/** What a type the registry does not know is assumed to do: nothing beyond plain text. */
function unknownTypeCapabilities(typeName: string): GeneratorCapabilities {
  return {
    imageInput: false,
    toolCalling: false,
    structuredOutput: {
      supported: false,
      reason: `${shortName(typeName)} has no known way to request a JSON schema.`,
    },
    maxTokensKey: 'max_tokens',
    tokenLimits: { contextWindow: 4096, maxOutputTokens: 512 },
  };
}

/** The capabilities of the generator `component` describes, nested generators included. */
export function generatorCapabilities(component: ComponentDict): GeneratorCapabilities {
  const descriptor = descriptorFor(component.type);
  if (!descriptor) return unknownTypeCapabilities(component.type);
  return descriptor.capabilities(component.init_parameters ?? {}, generatorCapabilities);
}

/** Whether the generator a component dict describes can be asked for JSON following a schema. */
export function structuredOutputSupport(component: ComponentDict): StructuredOutputSupport {
  return generatorCapabilities(component).structuredOutput;
}

/**
 * The run-time generation_kwargs that ask `component`'s generator for a reply following `responseSchema`.
 * Throws a ConfigurationError naming the reason when it cannot.
 */
export function structuredOutputKwargs(
  component: ComponentDict,
  responseSchema: ResponseSchema,
): Record<string, unknown> {
  return structuredOutputRequestKwargs(structuredOutputSupport(component), responseSchema, shortName(component.type));
}

/**
 * The `generation_kwargs` key that caps a reply's length for a generator type, spelled as its provider's API
 * spells it (Haystack passes these kwargs through unchanged).
 */
export function maxTokensKey(typeName: string): string {
  return generatorCapabilities({ type: typeName, init_parameters: {} }).maxTokensKey ?? 'max_tokens';
}

function shortName(typeName: string): string {
  return typeName.split('.').at(-1) ?? typeName;
}
