// The public API of the generator core (dist/core.js): plain TypeScript, no `vscode` import.
export * from './core/chatMessage';
export * from './core/errors';
export * from './core/generator';
export * from './core/secret';
export * from './core/serialization';
export * from './core/streamAssembly';
export * from './core/streamingChunk';
export * from './core/tool';
export * from './generators/registry';
export * from './generators/aimlapiChatGenerator';
export * from './generators/azureConnection';
export * from './generators/azureOpenAIChatGenerator';
export * from './generators/azureOpenAIGenerator';
export * from './generators/azureOpenAIResponsesChatGenerator';
export * from './generators/openAIChatGenerator';
export * from './generators/openAIGenerator';
export * from './generators/openAIResponsesChatGenerator';
