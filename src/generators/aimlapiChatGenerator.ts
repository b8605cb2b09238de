import { Secret, secretFromDict } from '../core/secret';
import {
  InitParameterReader,
  readInitParameters,
  deserializeCallback,
  serializeCallback,
  type ComponentDict,
} from '../core/serialization';
import { deserializeTools, serializeTools } from '../core/tool';
import type { ProviderContext } from './openaiClient';
import { OpenAIChatGenerator, safeResolve, type OpenAIChatGeneratorOptions } from './openAIChatGenerator';

/** Sent with every request, as the Haystack integration does; `extra_headers` override them. */
const AIMLAPI_HEADERS = {
  'HTTP-Referer': 'https://github.com/deepset-ai/haystack-core-integrations',
  'X-Title': 'Haystack',
};

export interface AIMLAPIChatGeneratorOptions extends Pick<
  OpenAIChatGeneratorOptions,
  'streamingCallback' | 'generationKwargs' | 'tools' | 'timeout' | 'maxRetries' | 'httpClientKwargs'
> {
  /** Default `Secret.fromEnvVar('AIMLAPI_API_KEY')`. */
  apiKey?: Secret;
  /** Default `openai/gpt-5-chat-latest`. */
  model?: string;
  /** Default `https://api.aimlapi.com/v1`. */
  apiBaseUrl?: string;
  extraHeaders?: Record<string, string>;
}

/** AIMLAPI's OpenAI-compatible chat endpoint, after the Haystack integration's `AIMLAPIChatGenerator`. */
export class AIMLAPIChatGenerator extends OpenAIChatGenerator {
  static override readonly typeName: string =
    'haystack_integrations.components.generators.aimlapi.chat.chat_generator.AIMLAPIChatGenerator';
  readonly extraHeaders?: Record<string, string>;

  constructor(options: AIMLAPIChatGeneratorOptions = {}) {
    super({
      ...options,
      apiKey: options.apiKey ?? Secret.fromEnvVar('AIMLAPI_API_KEY'),
      model: options.model ?? 'openai/gpt-5-chat-latest',
      apiBaseUrl: options.apiBaseUrl ?? 'https://api.aimlapi.com/v1',
    });
    this.extraHeaders = options.extraHeaders;
  }

  override toDict(): ComponentDict {
    return {
      type: this.typeName,
      init_parameters: {
        model: this.model,
        streaming_callback: serializeCallback(this.streamingCallback),
        api_base_url: this.apiBaseUrl ?? null,
        generation_kwargs: { ...this.generationKwargs },
        api_key: this.apiKey.toDict(),
        tools: serializeTools(this.tools),
        extra_headers: this.extraHeaders ?? null,
        timeout: this.timeout ?? null,
        max_retries: this.maxRetries ?? null,
        http_client_kwargs: this.httpClientKwargs ?? null,
      },
    };
  }

  static override fromDict(dict: unknown): AIMLAPIChatGenerator {
    const read = new InitParameterReader(readInitParameters(dict, AIMLAPIChatGenerator.typeName));
    return new AIMLAPIChatGenerator({
      apiKey: secretFromDict(read.raw('api_key'), 'init_parameters.api_key'),
      model: read.string('model'),
      streamingCallback: deserializeCallback(read.raw('streaming_callback')),
      apiBaseUrl: read.string('api_base_url'),
      generationKwargs: read.record('generation_kwargs'),
      tools: deserializeTools(read.raw('tools')),
      extraHeaders: read.record('extra_headers') as Record<string, string> | undefined,
      timeout: read.number('timeout'),
      maxRetries: read.number('max_retries'),
      httpClientKwargs: read.record('http_client_kwargs'),
    });
  }

  protected override requestHeaders(): Record<string, string> {
    return { ...AIMLAPI_HEADERS, ...this.extraHeaders };
  }

  protected override providerContext(): ProviderContext {
    return { provider: 'AIMLAPI', keyName: this.apiKey.envVars[0], secrets: [safeResolve(this.apiKey)] };
  }
}
