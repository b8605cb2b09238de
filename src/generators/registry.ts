// The one list of generator descriptors. The registry, componentFromDict, the wizard's catalog, structured output,
// generation settings, the Python export, the settings-schema check and the test matrices all derive from it:
// adding a generator is adding its descriptor here.
import { asRecord, describe, quote } from '../core/chatMessage';
import type { GeneratorDescriptor } from '../core/descriptor';
import { DeserializationError } from '../core/errors';
import type { Generator, GeneratorClass } from '../core/generator';
import { aimlapiChatGeneratorDescriptor } from './aimlapi/aimlapiChatGenerator';
import { azureOpenAIChatGeneratorDescriptor } from './azure/azureOpenAIChatGenerator';
import { azureOpenAIGeneratorDescriptor } from './azure/azureOpenAIGenerator';
import { azureOpenAIResponsesChatGeneratorDescriptor } from './azure/azureOpenAIResponsesChatGenerator';
import { dalleImageGeneratorDescriptor } from './dalle/dalleImageGenerator';
import { fallbackChatGeneratorDescriptor } from './fallback/fallbackChatGenerator';
import { huggingFaceAPIChatGeneratorDescriptor } from './huggingFaceApi/huggingFaceAPIChatGenerator';
import { huggingFaceAPIGeneratorDescriptor } from './huggingFaceApi/huggingFaceAPIGenerator';
import { huggingFaceLocalChatGeneratorDescriptor } from './huggingFaceLocal/huggingFaceLocalChatGenerator';
import { huggingFaceLocalGeneratorDescriptor } from './huggingFaceLocal/huggingFaceLocalGenerator';
import { openAIChatGeneratorDescriptor } from './openai/openAIChatGenerator';
import { openAIGeneratorDescriptor } from './openai/openAIGenerator';
import { openAIResponsesChatGeneratorDescriptor } from './responses/openAIResponsesChatGenerator';

/** Every generator type the project supports, in the order pickers and the settings schema list them. */
export const GENERATOR_DESCRIPTORS: readonly GeneratorDescriptor[] = [
  openAIChatGeneratorDescriptor,
  openAIResponsesChatGeneratorDescriptor,
  azureOpenAIChatGeneratorDescriptor,
  azureOpenAIResponsesChatGeneratorDescriptor,
  huggingFaceAPIChatGeneratorDescriptor,
  huggingFaceLocalChatGeneratorDescriptor,
  aimlapiChatGeneratorDescriptor,
  fallbackChatGeneratorDescriptor,
  openAIGeneratorDescriptor,
  azureOpenAIGeneratorDescriptor,
  huggingFaceAPIGeneratorDescriptor,
  huggingFaceLocalGeneratorDescriptor,
  dalleImageGeneratorDescriptor,
];

const byType = new Map(GENERATOR_DESCRIPTORS.map((descriptor) => [descriptor.typeName, descriptor]));

/** The descriptor of a Haystack type string, if the project supports it. */
export function descriptorFor(typeName: string): GeneratorDescriptor | undefined {
  return byType.get(typeName);
}

/** Every registered generator type as the host's pickers use it. */
export function registeredTypes(): GeneratorClass[] {
  return GENERATOR_DESCRIPTORS.map(asGeneratorClass);
}

/** A registered type's `{typeName, kind, fromDict}`, its nested components resolved through this registry. */
export function generatorClassFor(typeName: string): GeneratorClass | undefined {
  const descriptor = byType.get(typeName);
  return descriptor && asGeneratorClass(descriptor);
}

function asGeneratorClass(descriptor: GeneratorDescriptor): GeneratorClass {
  return {
    typeName: descriptor.typeName,
    kind: descriptor.kind,
    fromDict: (dict) => descriptor.fromDict(dict, componentFromDict),
  };
}

/** Builds any registered generator from Haystack's `{"type", "init_parameters"}` dict. */
export function componentFromDict(value: unknown): Generator {
  const dict = asRecord(value, 'component');
  if (typeof dict.type !== 'string')
    throw new DeserializationError('type', `expected a Haystack type string, got ${describe(dict.type)}.`);
  const descriptor = byType.get(dict.type);
  if (!descriptor) {
    const known = GENERATOR_DESCRIPTORS.map((d) => d.typeName.split('.').at(-1)).join(', ');
    throw new DeserializationError('type', `unknown generator type ${quote(dict.type)}. Supported: ${known}.`);
  }
  return descriptor.fromDict(dict, componentFromDict);
}
