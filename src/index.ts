// The public API of the generator core (dist/core.js): plain TypeScript, no `vscode` import.
export * from './core/chatMessage';
export * from './core/errors';
export * from './core/generator';
export * from './core/secret';
export * from './core/serialization';
export * from './core/streamAssembly';
export * from './core/streamingChunk';
export * from './core/tool';
export * from './core/usage';
export * from './core/costEstimate';
export * from './core/structuredOutput';
export * from './generators/registry';
export * from './generators/aimlapi/aimlapiChatGenerator';
export * from './generators/azure/azureConnection';
export * from './generators/azure/azureOpenAIChatGenerator';
export * from './generators/azure/azureOpenAIGenerator';
export * from './generators/azure/azureOpenAIResponsesChatGenerator';
export * from './generators/huggingFaceApi/huggingFaceAPIChatGenerator';
export * from './generators/huggingFaceApi/huggingFaceAPIGenerator';
export { type HFServiceUrls } from './generators/huggingFaceApi/huggingFaceApiCall';
export * from './generators/huggingFaceApi/huggingFaceApiType';
export * from './generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
export * from './generators/huggingFaceLocal/huggingFaceLocalGenerator';
export * from './generators/huggingFaceLocal/defaultToolParser';
export {
  configureLocalModels,
  onLocalModelProgress,
  shutdownLocalModels,
  type LocalModelsConfiguration,
  type LocalModelProgress,
} from './generators/huggingFaceLocal/localModels';
export * from './generators/dalle/dalleImageGenerator';
export * from './generators/fallback/fallbackChatGenerator';
export * from './generators/openai/openAIChatGenerator';
export * from './generators/openai/openAIGenerator';
export * from './generators/responses/openAIResponsesChatGenerator';
