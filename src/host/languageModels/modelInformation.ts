// The models this provider lists: one per configured chat or text generator, with what it can do.
import type { ComponentDict } from '../../core/serialization';
import { shortTypeName } from '../registry/generatorCatalog';
import type { ConfiguredGenerator } from '../registry/registryService';
import { capabilitiesOf } from './generatorCapabilities';

/** A model as `LanguageModelChatInformation` describes it; `id` is the generator's configured name. */
export interface HaystackModelInformation {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly detail?: string;
  readonly tooltip?: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly imageInput: boolean; readonly toolCalling: boolean };
}

/** What the list is built from: the registry's entries and the component dict of each. */
export interface ModelSource {
  list(): ConfiguredGenerator[];
  entry(name: string): ComponentDict | undefined;
}

/**
 * Every chat and text generator (image generators cannot chat). An entry that cannot be built is still listed,
 * with its problem as tooltip and no capabilities: a request to it fails with that problem, which tells the user
 * what to fix, where a missing model would not.
 */
export function listModels(source: ModelSource): HaystackModelInformation[] {
  return source
    .list()
    .filter((entry) => entry.kind !== 'image')
    .map((entry) => {
      const type = entry.type ? shortTypeName(entry.type) : 'unknown type';
      const base = {
        id: entry.name,
        name: entry.name,
        family: entry.model ?? type,
        version: type,
        detail: entry.model,
      };
      const capabilities = capabilitiesOf(source.entry(entry.name) ?? { type: entry.type, init_parameters: {} });
      const limits = { maxInputTokens: capabilities.maxInputTokens, maxOutputTokens: capabilities.maxOutputTokens };
      if (entry.error) {
        return {
          ...base,
          ...limits,
          tooltip: `${type} — cannot be used: ${entry.error}`,
          capabilities: { imageInput: false, toolCalling: false },
        };
      }
      return {
        ...base,
        ...limits,
        tooltip: `Haystack ${type}${entry.model ? ` · ${entry.model}` : ''}${entry.kind === 'text' ? ' (text generator: one prompt, no tools or images)' : ''}`,
        capabilities: { imageInput: capabilities.imageInput, toolCalling: capabilities.toolCalling },
      };
    });
}
