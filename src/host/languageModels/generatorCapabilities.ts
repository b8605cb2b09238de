// What a configured generator can do, as the language model API describes a model: the generators' descriptors
// (image input, tool calling, token limits), the reply cap its generation_kwargs set, and whether its API can be
// told that a tool call is required.
import type { ComponentDict } from '../../core/serialization';
import { generatorCapabilities } from '../../generators/capabilities';

/** A generator's capabilities and token limits as VS Code's model picker and `selectChatModels` show them. */
export interface LanguageModelCapabilities {
  imageInput: boolean;
  toolCalling: boolean;
  /** Its API can be told that the model must call a tool (`tool_choice: "required"`). */
  requiredToolChoice: boolean;
  /** The context window less the reply's room: what a caller may put in the prompt. */
  maxInputTokens: number;
  /** The reply cap its generation_kwargs set, else the model's own limit. */
  maxOutputTokens: number;
}

const FALLBACK_TYPE = 'haystack.components.generators.chat.fallback.FallbackChatGenerator';

/** Chat generators whose API takes `tool_choice: "required"`; a local model's chat template has no such thing. */
const REQUIRED_TOOL_CHOICE_TYPES = new Set([
  'haystack.components.generators.chat.openai.OpenAIChatGenerator',
  'haystack.components.generators.chat.azure.AzureOpenAIChatGenerator',
  'haystack.components.generators.chat.openai_responses.OpenAIResponsesChatGenerator',
  'haystack.components.generators.chat.azure_responses.AzureOpenAIResponsesChatGenerator',
  'haystack.components.generators.chat.hugging_face_api.HuggingFaceAPIChatGenerator',
  'haystack_integrations.components.generators.aimlapi.chat.chat_generator.AIMLAPIChatGenerator',
]);

/** The capabilities of the generator a settings entry (a Haystack component dict) describes. */
export function capabilitiesOf(component: ComponentDict): LanguageModelCapabilities {
  const described = generatorCapabilities(component);
  const { contextWindow, maxOutputTokens: modelLimit } = described.tokenLimits;
  const kwargs = component.init_parameters?.generation_kwargs as Record<string, unknown> | undefined;
  const configured = described.maxTokensKey ? kwargs?.[described.maxTokensKey] : undefined;
  const maxOutputTokens = isPositiveInteger(configured) ? configured : modelLimit;
  return {
    imageInput: described.imageInput,
    toolCalling: described.toolCalling,
    requiredToolChoice: described.toolCalling && takesRequiredToolChoice(component),
    maxInputTokens: Math.max(1, contextWindow - Math.min(maxOutputTokens, modelLimit)),
    maxOutputTokens,
  };
}

/** A FallbackChatGenerator's one generation_kwargs dict goes to every member: all of them must take it. */
function takesRequiredToolChoice(component: ComponentDict): boolean {
  if (component.type !== FALLBACK_TYPE) return REQUIRED_TOOL_CHOICE_TYPES.has(component.type);
  const members = component.init_parameters?.chat_generators;
  return (
    Array.isArray(members) &&
    members.length > 0 &&
    members.every((member: Partial<ComponentDict> | null) =>
      typeof member?.type === 'string'
        ? takesRequiredToolChoice({ type: member.type, init_parameters: member.init_parameters ?? {} })
        : false,
    )
  );
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
