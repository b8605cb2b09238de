// AIMLAPI's OpenAI-compatible chat endpoint: OpenAI's chat generator on another provider, after the Haystack
// integration's `AIMLAPIChatGenerator` (package aimlapi-haystack).
import { fixedCapabilities, type GeneratorDescriptor } from '../../core/descriptor';
import { Secret } from '../../core/secret';
import {
  InitParameterReader,
  readInitParameters,
  deserializeCallback,
  serializeCallback,
  type ComponentDict,
} from '../../core/serialization';
import { deserializeTools, serializeTools } from '../../core/tool';
import type { ChatCompletionsOptions } from '../openai/chatCompletionsGenerator';
import { CHAT_COMPLETIONS_STRUCTURED_OUTPUT, OpenAIChatGenerator } from '../openai/openAIChatGenerator';
import { OpenAIConnection, type OpenAIConnectionOptions, type OpenAIProvider } from '../openai/openAIConnection';
import { closeTopLevelSchema, type StrictSchema } from '../openai/strictToolSchema';

/** Sent with every request, as the Haystack integration does; `extra_headers` override them. */
const AIMLAPI_HEADERS = {
  'HTTP-Referer': 'https://github.com/deepset-ai/haystack-core-integrations',
  'X-Title': 'Haystack',
};

const AIMLAPI: OpenAIProvider = {
  name: 'AIMLAPI',
  defaultApiKey: () => Secret.fromEnvVar('AIMLAPI_API_KEY'),
  defaultApiBaseUrl: 'https://api.aimlapi.com/v1',
};

export interface AIMLAPIChatGeneratorOptions
  extends Omit<OpenAIConnectionOptions, 'organization'>, Omit<ChatCompletionsOptions, 'toolsStrict'> {
  /** Default `openai/gpt-5-chat-latest`. */
  model?: string;
  extraHeaders?: Record<string, string>;
}

/** AIMLAPI's OpenAI-compatible chat endpoint, after the Haystack integration's `AIMLAPIChatGenerator`. */
export class AIMLAPIChatGenerator extends OpenAIChatGenerator {
  static override readonly typeName: string =
    'haystack_integrations.components.generators.aimlapi.chat.chat_generator.AIMLAPIChatGenerator';
  readonly extraHeaders?: Record<string, string>;

  constructor(options: AIMLAPIChatGeneratorOptions = {}) {
    super(options, AIMLAPI, 'openai/gpt-5-chat-latest');
    this.extraHeaders = options.extraHeaders;
  }

  override toDict(): ComponentDict {
    const connection = this.connection.toInitParameters();
    return {
      type: this.typeName,
      init_parameters: {
        model: this.model,
        streaming_callback: serializeCallback(this.streamingCallback),
        api_base_url: connection.api_base_url,
        generation_kwargs: { ...this.generationKwargs },
        api_key: connection.api_key,
        tools: serializeTools(this.tools),
        extra_headers: this.extraHeaders ?? null,
        timeout: connection.timeout,
        max_retries: connection.max_retries,
        http_client_kwargs: connection.http_client_kwargs,
      },
    };
  }

  static override fromDict(dict: unknown): AIMLAPIChatGenerator {
    const read = new InitParameterReader(readInitParameters(dict, AIMLAPIChatGenerator.typeName));
    const { organization: _organization, ...connection } = OpenAIConnection.readOptions(read);
    return new AIMLAPIChatGenerator({
      ...connection,
      model: read.string('model'),
      streamingCallback: deserializeCallback(read.raw('streaming_callback')),
      generationKwargs: read.record('generation_kwargs'),
      tools: deserializeTools(read.raw('tools')),
      extraHeaders: read.record('extra_headers') as Record<string, string> | undefined,
    });
  }

  protected override requestHeaders(): Record<string, string> {
    return { ...AIMLAPI_HEADERS, ...this.extraHeaders };
  }

  /** The integration's own strict mode, which closes the top-level object only. */
  protected override get strictSchema(): StrictSchema {
    return closeTopLevelSchema;
  }
}

export const aimlapiChatGeneratorDescriptor: GeneratorDescriptor = {
  typeName: AIMLAPIChatGenerator.typeName,
  kind: 'chat',
  label: 'AIMLAPI chat',
  fromDict: (dict) => AIMLAPIChatGenerator.fromDict(dict),
  secretEnvVars: ['AIMLAPI_API_KEY'],
  defaultModel: 'openai/gpt-5-chat-latest',
  pythonPackages: ['aimlapi-haystack'],
  wizardFields: [{ path: 'model', prompt: 'Model', defaultValue: 'openai/gpt-5-chat-latest' }],
  capabilities: fixedCapabilities({
    imageInput: true,
    toolCalling: true,
    structuredOutput: CHAT_COMPLETIONS_STRUCTURED_OUTPUT,
    maxTokensKey: 'max_tokens',
    // gpt-5-chat: 128k context, 16k output.
    tokenLimits: { contextWindow: 128_000, maxOutputTokens: 16_384 },
  }),
};
