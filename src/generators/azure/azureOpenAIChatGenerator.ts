import { fixedCapabilities, type GeneratorDescriptor } from '../../core/descriptor';
import {
  InitParameterReader,
  readInitParameters,
  deserializeCallback,
  serializeCallback,
  type ComponentDict,
} from '../../core/serialization';
import { deserializeTools, serializeTools } from '../../core/tool';
import { ChatCompletionsGenerator, type ChatCompletionsOptions } from '../openai/chatCompletionsGenerator';
import { CHAT_COMPLETIONS_STRUCTURED_OUTPUT, GPT_4O_MINI_LIMITS } from '../openai/openAIChatGenerator';
import { resolveMaxRetries, resolveTimeoutSeconds } from '../openai/openAIConnection';
import { AzureConnection, type AzureConnectionOptions } from './azureConnection';

export interface AzureOpenAIChatGeneratorOptions extends AzureConnectionOptions, ChatCompletionsOptions {}

/**
 * Chat completion on an Azure OpenAI deployment, after Haystack's `AzureOpenAIChatGenerator`: the Chat Completions
 * generator on Azure's connection.
 */
export class AzureOpenAIChatGenerator extends ChatCompletionsGenerator {
  static readonly typeName: string = 'haystack.components.generators.chat.azure.AzureOpenAIChatGenerator';
  static readonly kind = 'chat' as const;
  readonly connection: AzureConnection;

  constructor(options: AzureOpenAIChatGeneratorOptions = {}) {
    // Haystack's Azure generators resolve timeout and retries at construction, so their dicts carry the values.
    const connection = new AzureConnection({
      ...options,
      timeout: resolveTimeoutSeconds(options.timeout),
      maxRetries: resolveMaxRetries(options.maxRetries),
    });
    super(connection.azureDeployment, options);
    this.connection = connection;
  }

  toDict(): ComponentDict {
    return {
      type: this.typeName,
      init_parameters: {
        ...this.connection.toInitParameters(),
        streaming_callback: serializeCallback(this.streamingCallback),
        generation_kwargs: { ...this.generationKwargs },
        tools: serializeTools(this.tools),
        tools_strict: this.toolsStrict,
      },
    };
  }

  static fromDict(dict: unknown): AzureOpenAIChatGenerator {
    const read = new InitParameterReader(readInitParameters(dict, AzureOpenAIChatGenerator.typeName));
    return new AzureOpenAIChatGenerator({
      ...AzureConnection.readOptions(read),
      streamingCallback: deserializeCallback(read.raw('streaming_callback')),
      generationKwargs: read.record('generation_kwargs'),
      tools: deserializeTools(read.raw('tools')),
      toolsStrict: read.boolean('tools_strict'),
    });
  }
}

/** The wizard's questions for every Azure generator: where, and which deployment. */
export const AZURE_WIZARD_FIELDS = [
  { path: 'azure_endpoint', prompt: 'Azure OpenAI endpoint', placeholder: 'https://<resource>.openai.azure.com' },
  { path: 'azure_deployment', prompt: 'Deployment name', defaultValue: 'gpt-4o-mini' },
] as const;

export const azureOpenAIChatGeneratorDescriptor: GeneratorDescriptor = {
  typeName: AzureOpenAIChatGenerator.typeName,
  kind: 'chat',
  label: 'Azure OpenAI chat',
  fromDict: (dict) => AzureOpenAIChatGenerator.fromDict(dict),
  secretEnvVars: ['AZURE_OPENAI_API_KEY'],
  defaultModel: 'gpt-4o-mini',
  pythonPackages: [],
  wizardFields: AZURE_WIZARD_FIELDS,
  capabilities: fixedCapabilities({
    imageInput: true,
    toolCalling: true,
    structuredOutput: CHAT_COMPLETIONS_STRUCTURED_OUTPUT,
    maxTokensKey: 'max_completion_tokens',
    tokenLimits: GPT_4O_MINI_LIMITS,
  }),
};
