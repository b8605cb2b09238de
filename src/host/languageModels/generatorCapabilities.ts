// What a configured generator can do, as the language model API describes a model. The one place that reads it
// from the generator classes, so that it can switch to the generators' descriptors when they exist.
import type { Generator } from '../../core/generator';
import { FallbackChatGenerator } from '../../generators/fallbackChatGenerator';
import { toPipelineSpec } from '../../generators/huggingFaceLocalPipeline';
import type { PipelineSpec } from '../../worker/localModelProtocol';

/** A generator's capabilities and token limits as VS Code's model picker and `selectChatModels` show them. */
export interface GeneratorCapabilities {
  imageInput: boolean;
  toolCalling: boolean;
  /** Its API can be told that the model must call a tool (`tool_choice: "required"`). */
  requiredToolChoice: boolean;
  maxInputTokens: number;
  maxOutputTokens: number;
  /** A local model's pipeline in the worker, whose tokenizer counts this generator's tokens. */
  localPipeline?: PipelineSpec;
}

/**
 * No generator knows its model's context window: VS Code gets this conservative figure, which a caller uses to
 * budget its prompt (a larger prompt is still sent; the provider's API decides).
 */
export const DEFAULT_MAX_INPUT_TOKENS = 16_384;
/** Output limit when the generator's generation_kwargs set none. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4_096;

/** The generation_kwargs that cap a reply's length, by API: Chat Completions, Responses, Hugging Face. */
const OUTPUT_LIMIT_KEYS = ['max_completion_tokens', 'max_tokens', 'max_output_tokens', 'max_new_tokens'];

/** Chat generators whose API takes `tool_choice: "required"`; the local models' chat templates have no such thing. */
const LOCAL_TYPES = new Set([
  'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator',
  'haystack.components.generators.hugging_face_local.HuggingFaceLocalGenerator',
]);

const REQUIRED_TOOL_CHOICE_TYPES = new Set([
  'haystack.components.generators.chat.openai.OpenAIChatGenerator',
  'haystack.components.generators.chat.azure.AzureOpenAIChatGenerator',
  'haystack.components.generators.chat.openai_responses.OpenAIResponsesChatGenerator',
  'haystack.components.generators.chat.azure_responses.AzureOpenAIResponsesChatGenerator',
  'haystack.components.generators.chat.hugging_face_api.HuggingFaceAPIChatGenerator',
  'haystack_integrations.components.generators.aimlapi.chat.chat_generator.AIMLAPIChatGenerator',
]);

/**
 * Text generators take one prompt: no images, no tools. A FallbackChatGenerator can do what every generator of its
 * chain can do, within the smallest of their limits.
 */
export function capabilitiesOf(generator: Generator): GeneratorCapabilities {
  const localPipeline = localPipelineOf(generator);
  if (generator.kind !== 'chat') {
    return {
      imageInput: false,
      toolCalling: false,
      requiredToolChoice: false,
      maxInputTokens: DEFAULT_MAX_INPUT_TOKENS,
      maxOutputTokens: outputLimitOf(generator),
      ...(localPipeline ? { localPipeline } : {}),
    };
  }
  if (generator instanceof FallbackChatGenerator) {
    const chain = generator.chatGenerators.map(capabilitiesOf);
    return {
      imageInput: chain.every((c) => c.imageInput),
      toolCalling: chain.every((c) => c.toolCalling),
      requiredToolChoice: chain.every((c) => c.requiredToolChoice),
      maxInputTokens: Math.min(...chain.map((c) => c.maxInputTokens)),
      maxOutputTokens: Math.min(...chain.map((c) => c.maxOutputTokens)),
    };
  }
  return {
    imageInput: generator.acceptsImages === true,
    toolCalling: true,
    requiredToolChoice: REQUIRED_TOOL_CHOICE_TYPES.has(generator.typeName),
    maxInputTokens: DEFAULT_MAX_INPUT_TOKENS,
    maxOutputTokens: outputLimitOf(generator),
    ...(localPipeline ? { localPipeline } : {}),
  };
}

function localPipelineOf(generator: Generator): PipelineSpec | undefined {
  const kwargs = (generator as { huggingfacePipelineKwargs?: Record<string, unknown> }).huggingfacePipelineKwargs;
  return LOCAL_TYPES.has(generator.typeName) && kwargs ? toPipelineSpec(kwargs) : undefined;
}

function outputLimitOf(generator: Generator): number {
  const kwargs = (generator as { generationKwargs?: Record<string, unknown> }).generationKwargs ?? {};
  for (const key of OUTPUT_LIMIT_KEYS) {
    const value = kwargs[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return DEFAULT_MAX_OUTPUT_TOKENS;
}
