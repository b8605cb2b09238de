// The models this provider lists: one per configured chat or text generator, with what it can do.
import type { Generator } from '../../core/generator';
import { shortTypeName } from '../generatorCatalog';
import type { ConfiguredGenerator } from '../hostServices';
import { capabilitiesOf, DEFAULT_MAX_INPUT_TOKENS, DEFAULT_MAX_OUTPUT_TOKENS } from './generatorCapabilities';

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

/** What the list is built from: the registry's entries and a way to get each built generator. */
export interface ModelSource {
  list(): ConfiguredGenerator[];
  get(name: string): Generator;
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
      if (entry.error) {
        return {
          ...base,
          tooltip: `${type} — cannot be used: ${entry.error}`,
          maxInputTokens: DEFAULT_MAX_INPUT_TOKENS,
          maxOutputTokens: DEFAULT_MAX_OUTPUT_TOKENS,
          capabilities: { imageInput: false, toolCalling: false },
        };
      }
      const capabilities = capabilitiesOf(source.get(entry.name));
      return {
        ...base,
        tooltip: `Haystack ${type}${entry.model ? ` · ${entry.model}` : ''}${entry.kind === 'text' ? ' (text generator: one prompt, no tools or images)' : ''}`,
        maxInputTokens: capabilities.maxInputTokens,
        maxOutputTokens: capabilities.maxOutputTokens,
        capabilities: { imageInput: capabilities.imageInput, toolCalling: capabilities.toolCalling },
      };
    });
}
