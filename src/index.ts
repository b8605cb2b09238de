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
export * from './generators/aimlapiChatGenerator';
export * from './generators/azureConnection';
export * from './generators/azureOpenAIChatGenerator';
export * from './generators/azureOpenAIGenerator';
export * from './generators/azureOpenAIResponsesChatGenerator';
export * from './generators/huggingFaceAPIChatGenerator';
export * from './generators/huggingFaceAPIGenerator';
export { type HFServiceUrls } from './generators/huggingFaceApiClient';
export * from './generators/huggingFaceApiType';
export * from './generators/huggingFaceLocalChatGenerator';
export * from './generators/huggingFaceLocalGenerator';
export * from './generators/defaultToolParser';
export {
  configureLocalModels,
  onLocalModelProgress,
  shutdownLocalModels,
  type LocalModelsConfiguration,
  type LocalModelProgress,
} from './generators/localModels';
export * from './generators/dalleImageGenerator';
export * from './generators/fallbackChatGenerator';
export * from './generators/openAIChatGenerator';
export * from './generators/openAIGenerator';
export * from './generators/openAIResponsesChatGenerator';
