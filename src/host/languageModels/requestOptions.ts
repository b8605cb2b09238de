// A request's options (model options, tools, tool mode) as a Haystack run's generation_kwargs and tools.
import { GeneratorError } from '../../core/errors';
import { Tool } from '../../core/tool';
import type { LmTool } from './lmParts';

/** VS Code's `LanguageModelChatToolMode.Required`: the model must call one of the tools. */
export const TOOL_MODE_REQUIRED = 2;

/** Keys that would reach an object's prototype if copied into a request body. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The caller's `modelOptions` as `generation_kwargs`, sent to the provider as given (Haystack's kwargs are the
 * provider's own snake_case names: `temperature`, `max_tokens`, ...). Keys starting with `_` are the editor's own
 * bookkeeping (VS Code's Chat sends `_conversationId`, `_enableThinking`, ...) and never a provider parameter.
 */
export function generationKwargsFrom(
  modelOptions: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const kwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(modelOptions ?? {})) {
    if (key.startsWith('_') || UNSAFE_KEYS.has(key) || value === undefined) continue;
    kwargs[key] = value;
  }
  return kwargs;
}

/** The caller's tools as Haystack Tools; a name the providers' APIs reject is an error naming the tool. */
export function toolsFrom(tools: readonly LmTool[] | undefined): Tool[] {
  return (tools ?? []).map((tool) => {
    try {
      return new Tool({
        name: tool.name,
        description: tool.description,
        parameters: (tool.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} },
      });
    } catch (error) {
      throw new GeneratorError(
        `Tool "${tool.name}" cannot be offered to a Haystack generator: ${error instanceof Error ? error.message : String(error)}`,
        { code: 'bad_request', cause: error },
      );
    }
  });
}

/**
 * Adds `tool_choice: "required"` for the Required tool mode, on APIs that have it; a generator without it cannot
 * be made to call a tool, which is an error rather than a request that may quietly answer in text.
 */
export function applyToolMode(
  kwargs: Record<string, unknown>,
  toolMode: number,
  tools: readonly Tool[],
  generator: { name: string; requiredToolChoice: boolean },
): void {
  if (toolMode !== TOOL_MODE_REQUIRED || tools.length === 0 || kwargs.tool_choice !== undefined) return;
  if (!generator.requiredToolChoice) {
    throw new GeneratorError(
      `"${generator.name}" cannot be required to call a tool: its API has no such option. Send the request with the Auto tool mode, or pick a generator on the OpenAI, Azure, AIMLAPI or Hugging Face API.`,
      { code: 'bad_request' },
    );
  }
  kwargs.tool_choice = 'required';
}
