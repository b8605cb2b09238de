// The public API of the generator core (dist/core.js), for scripts and tests outside VS Code: plain TypeScript, no
// `vscode` import. Each name is listed on purpose; internal helpers (wire conversion, connections, SDK loading)
// stay internal so that they can change without breaking a script.

// Haystack's data model: messages, streaming chunks, tools, secrets, serialization helpers.
export {
  ChatMessage,
  type ChatMessageDict,
  type ChatRole,
  type ContentPart,
  type ImageContent,
  type ReasoningContent,
  type ToolCall,
  type ToolCallResult,
} from './core/chatMessage';
export type {
  ComponentInfo,
  FinishReason,
  StreamingCallback,
  StreamingChunk,
  ToolCallDelta,
} from './core/streamingChunk';
export { chatMessageFromChunks } from './core/streamAssembly';
export { Tool, Toolset, type JsonSchema, type ToolOptions, type ToolsType } from './core/tool';
export { Secret, setSecretResolver, type SecretDict, type SecretResolver } from './core/secret';
export { printStreamingChunk, type CallbackReference, type ComponentDict } from './core/serialization';

// Errors: every deliberate failure is a GeneratorError with a code (and envVars for key problems).
export {
  ConfigurationError,
  DeserializationError,
  GeneratorError,
  type GeneratorErrorCode,
  type GeneratorErrorOptions,
} from './core/errors';

// The generator contract and the descriptors that say what each generator type can do.
export type {
  ChatGenerator,
  ChatGeneratorResult,
  ChatRunOptions,
  Component,
  Generator,
  GeneratorClass,
  ImageGenerator,
  ImageGeneratorResult,
  ImageRunOptions,
  TextGenerator,
  TextGeneratorResult,
  TextRunOptions,
} from './core/generator';
export type { GeneratorCapabilities, GeneratorDescriptor, TokenLimits, WizardField } from './core/descriptor';
export {
  componentFromDict,
  descriptorFor,
  generatorClassFor,
  GENERATOR_DESCRIPTORS,
  registeredTypes,
} from './generators/registry';
export { generatorCapabilities, structuredOutputKwargs, structuredOutputSupport } from './generators/capabilities';
export {
  checkResponseSchema,
  isStrictCompatible,
  type ResponseSchema,
  type StructuredOutputSupport,
} from './core/structuredOutput';

// Usage and cost.
export { normalizeUsage, sumUsage, tokensPerSecond, usageFromMeta, type TokenUsage } from './core/usage';
export {
  estimateCost,
  priceFor,
  readPriceTable,
  type CostEstimate,
  type ModelPrice,
  type PriceTable,
} from './core/costEstimate';

// The generators, one family at a time.
export { OpenAIChatGenerator, type OpenAIChatGeneratorOptions } from './generators/openai/openAIChatGenerator';
export { OpenAIGenerator, type OpenAIGeneratorOptions } from './generators/openai/openAIGenerator';
export { AIMLAPIChatGenerator, type AIMLAPIChatGeneratorOptions } from './generators/aimlapi/aimlapiChatGenerator';
export type { TokenProvider } from './generators/azure/azureConnection';
export {
  AzureOpenAIChatGenerator,
  type AzureOpenAIChatGeneratorOptions,
} from './generators/azure/azureOpenAIChatGenerator';
export { AzureOpenAIGenerator, type AzureOpenAIGeneratorOptions } from './generators/azure/azureOpenAIGenerator';
export {
  AzureOpenAIResponsesChatGenerator,
  type AzureOpenAIResponsesChatGeneratorOptions,
} from './generators/azure/azureOpenAIResponsesChatGenerator';
export {
  OpenAIResponsesChatGenerator,
  type OpenAIResponsesChatGeneratorOptions,
  type ResponsesRunOptions,
} from './generators/responses/openAIResponsesChatGenerator';
export type { ResponsesToolsInput } from './generators/responses/responsesTools';
export {
  HuggingFaceAPIChatGenerator,
  type HuggingFaceAPIChatGeneratorOptions,
} from './generators/huggingFaceApi/huggingFaceAPIChatGenerator';
export {
  HuggingFaceAPIGenerator,
  type HuggingFaceAPIGeneratorOptions,
} from './generators/huggingFaceApi/huggingFaceAPIGenerator';
export type { HFServiceUrls } from './generators/huggingFaceApi/huggingFaceApiCall';
export { HFGenerationAPIType } from './generators/huggingFaceApi/huggingFaceApiType';
export {
  HuggingFaceLocalChatGenerator,
  type HuggingFaceLocalChatGeneratorOptions,
} from './generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
export {
  HuggingFaceLocalGenerator,
  type HuggingFaceLocalGeneratorOptions,
} from './generators/huggingFaceLocal/huggingFaceLocalGenerator';
export { defaultToolParser, type ToolParsingFunction } from './generators/huggingFaceLocal/defaultToolParser';
export {
  configureLocalModels,
  onLocalModelProgress,
  shutdownLocalModels,
  type LocalModelsConfiguration,
  type LocalModelProgress,
} from './generators/huggingFaceLocal/localModels';
export {
  FALLBACK_RESTART,
  FallbackChainError,
  FallbackChatGenerator,
  type FailedChatGenerator,
  type FallbackChatGeneratorOptions,
} from './generators/fallback/fallbackChatGenerator';
export {
  DALLEImageGenerator,
  type DALLEImageGeneratorOptions,
  type DalleModel,
  type DalleQuality,
  type DalleResponseFormat,
  type DalleSize,
} from './generators/dalle/dalleImageGenerator';
