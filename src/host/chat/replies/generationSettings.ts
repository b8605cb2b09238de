import { maxTokensKey } from '../../../generators/capabilities';
import type { ConversationSettings } from '../../../shared/protocol';

/**
 * The conversation's settings as run-time `generation_kwargs`, which Haystack merges over the init-time ones; the
 * reply-length cap under the key the generator's provider spells it with (from its descriptor).
 */
export function generationKwargsFor(typeName: string, settings: ConversationSettings): Record<string, unknown> {
  const kwargs: Record<string, unknown> = {};
  if (settings.temperature !== undefined) kwargs.temperature = settings.temperature;
  if (settings.maxTokens !== undefined) kwargs[maxTokensKey(typeName)] = settings.maxTokens;
  return kwargs;
}
