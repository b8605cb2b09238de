import { fixedCapabilities, type GeneratorDescriptor, type TokenLimits } from '../../core/descriptor';
import type { Secret } from '../../core/secret';
import {
  deserializeCallback,
  InitParameterReader,
  readInitParameters,
  serializeCallback,
  type ComponentDict,
} from '../../core/serialization';
import { structuredOutputVia } from '../../core/structuredOutput';
import { deserializeTools, serializeTools } from '../../core/tool';
import { ChatCompletionsGenerator, type ChatCompletionsOptions } from './chatCompletionsGenerator';
import { OpenAIConnection, type OpenAIConnectionOptions, type OpenAIProvider } from './openAIConnection';

export interface OpenAIChatGeneratorOptions extends OpenAIConnectionOptions, ChatCompletionsOptions {
  /** Default `gpt-4o-mini`. */
  model?: string;
}

/** Chat completion on OpenAI's Chat Completions API, after Haystack's `OpenAIChatGenerator`. */
export class OpenAIChatGenerator extends ChatCompletionsGenerator {
  static readonly typeName: string = 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
  static readonly kind = 'chat' as const;
  protected readonly connection: OpenAIConnection;

  constructor(options: OpenAIChatGeneratorOptions = {}, provider?: OpenAIProvider, defaultModel = 'gpt-4o-mini') {
    super(options.model ?? defaultModel, options);
    this.connection = new OpenAIConnection(options, provider);
  }

  get apiKey(): Secret {
    return this.connection.apiKey;
  }

  toDict(): ComponentDict {
    const connection = this.connection.toInitParameters();
    return {
      type: this.typeName,
      init_parameters: {
        model: this.model,
        streaming_callback: serializeCallback(this.streamingCallback),
        api_base_url: connection.api_base_url,
        organization: connection.organization,
        generation_kwargs: { ...this.generationKwargs },
        api_key: connection.api_key,
        timeout: connection.timeout,
        max_retries: connection.max_retries,
        tools: serializeTools(this.tools),
        tools_strict: this.toolsStrict,
        http_client_kwargs: connection.http_client_kwargs,
      },
    };
  }

  static fromDict(dict: unknown): OpenAIChatGenerator {
    return new OpenAIChatGenerator(readOpenAIChatOptions(dict, OpenAIChatGenerator.typeName));
  }
}

/** Reads the init parameters of OpenAI's chat generator (and, without tools, its text generator). */
export function readOpenAIChatOptions(dict: unknown, typeName: string): OpenAIChatGeneratorOptions {
  const read = new InitParameterReader(readInitParameters(dict, typeName));
  return {
    ...OpenAIConnection.readOptions(read),
    model: read.string('model'),
    streamingCallback: deserializeCallback(read.raw('streaming_callback')),
    generationKwargs: read.record('generation_kwargs'),
    tools: deserializeTools(read.raw('tools')),
    toolsStrict: read.boolean('tools_strict'),
  };
}

/** How every Chat Completions generator (OpenAI, Azure, AIMLAPI) asks for JSON following a schema. */
export const CHAT_COMPLETIONS_STRUCTURED_OUTPUT = structuredOutputVia(
  'response_format_json_schema',
  'Chat Completions response_format (json_schema)',
);

/** gpt-4o-mini, the default model of the Chat Completions generators: 128k context, 16k output. */
export const GPT_4O_MINI_LIMITS: TokenLimits = { contextWindow: 128_000, maxOutputTokens: 16_384 };

export const openAIChatGeneratorDescriptor: GeneratorDescriptor = {
  typeName: OpenAIChatGenerator.typeName,
  kind: 'chat',
  label: 'OpenAI chat',
  fromDict: (dict) => OpenAIChatGenerator.fromDict(dict),
  secretEnvVars: ['OPENAI_API_KEY'],
  defaultModel: 'gpt-4o-mini',
  pythonPackages: [],
  wizardFields: [{ path: 'model', prompt: 'Model', defaultValue: 'gpt-4o-mini' }],
  capabilities: fixedCapabilities({
    imageInput: true,
    toolCalling: true,
    structuredOutput: CHAT_COMPLETIONS_STRUCTURED_OUTPUT,
    maxTokensKey: 'max_completion_tokens',
    tokenLimits: GPT_4O_MINI_LIMITS,
  }),
};
