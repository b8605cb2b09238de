import type { ConversationSettings } from '../../shared/protocol';

/**
 * The `generation_kwargs` key each family uses for a reply length cap. Haystack passes these kwargs to the
 * provider as they are, so the panel's "max tokens" must be spelled the way that provider's API spells it.
 */
export function maxTokensKey(typeName: string): string {
  const className = typeName.split('.').at(-1) ?? typeName;
  if (/Responses/.test(className)) return 'max_output_tokens';
  if (className === 'OpenAIChatGenerator' || className === 'AzureOpenAIChatGenerator') return 'max_completion_tokens';
  if (className === 'HuggingFaceAPIChatGenerator') return 'max_tokens';
  if (/HuggingFace/.test(className)) return 'max_new_tokens';
  return 'max_tokens';
}

/** The conversation's settings as run-time `generation_kwargs`, which Haystack merges over the init-time ones. */
export function generationKwargsFor(typeName: string, settings: ConversationSettings): Record<string, unknown> {
  const kwargs: Record<string, unknown> = {};
  if (settings.temperature !== undefined) kwargs.temperature = settings.temperature;
  if (settings.maxTokens !== undefined) kwargs[maxTokensKey(typeName)] = settings.maxTokens;
  return kwargs;
}
