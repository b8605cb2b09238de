import { asRecord, describe, quote } from '../core/chatMessage';
import { DeserializationError } from '../core/errors';
import type { Generator, GeneratorClass } from '../core/generator';
import { AIMLAPIChatGenerator } from './aimlapiChatGenerator';
import { AzureOpenAIChatGenerator } from './azureOpenAIChatGenerator';
import { AzureOpenAIGenerator } from './azureOpenAIGenerator';
import { AzureOpenAIResponsesChatGenerator } from './azureOpenAIResponsesChatGenerator';
import { DALLEImageGenerator } from './dalleImageGenerator';
import { FallbackChatGenerator } from './fallbackChatGenerator';
import { HuggingFaceAPIChatGenerator } from './huggingFaceAPIChatGenerator';
import { HuggingFaceAPIGenerator } from './huggingFaceAPIGenerator';
import { HuggingFaceLocalChatGenerator } from './huggingFaceLocalChatGenerator';
import { HuggingFaceLocalGenerator } from './huggingFaceLocalGenerator';
import { OpenAIChatGenerator } from './openAIChatGenerator';
import { OpenAIGenerator } from './openAIGenerator';
import { OpenAIResponsesChatGenerator } from './openAIResponsesChatGenerator';

/**
 * Haystack type string -> generator class. Explicit data, built on first use so that generators which nest
 * other components (FallbackChatGenerator) can call `componentFromDict` without an import cycle at load time.
 * Each generator family adds its class to the list below.
 */
let classes: Map<string, GeneratorClass> | undefined;

function generatorClasses(): Map<string, GeneratorClass> {
  classes ??= new Map(
    [
      OpenAIGenerator,
      AzureOpenAIGenerator,
      OpenAIChatGenerator,
      AzureOpenAIChatGenerator,
      AIMLAPIChatGenerator,
      HuggingFaceAPIGenerator,
      HuggingFaceAPIChatGenerator,
      HuggingFaceLocalGenerator,
      HuggingFaceLocalChatGenerator,
      OpenAIResponsesChatGenerator,
      AzureOpenAIResponsesChatGenerator,
      DALLEImageGenerator,
      FallbackChatGenerator,
    ].map((cls: GeneratorClass) => [cls.typeName, cls]),
  );
  return classes;
}

/** Every registered Haystack type string, for pickers and the settings schema. */
export function registeredTypes(): GeneratorClass[] {
  return [...generatorClasses().values()];
}

export function generatorClassFor(typeName: string): GeneratorClass | undefined {
  return generatorClasses().get(typeName);
}

/** Builds any registered generator from Haystack's `{"type", "init_parameters"}` dict. */
export function componentFromDict(value: unknown): Generator {
  const dict = asRecord(value, 'component');
  if (typeof dict.type !== 'string')
    throw new DeserializationError('type', `expected a Haystack type string, got ${describe(dict.type)}.`);
  const cls = generatorClasses().get(dict.type);
  if (!cls) {
    const known = [...generatorClasses().keys()].map((t) => t.split('.').at(-1)).join(', ');
    throw new DeserializationError('type', `unknown generator type ${quote(dict.type)}. Supported: ${known}.`);
  }
  return cls.fromDict(dict);
}
