import type { OpenAI } from 'openai';
import type { ChatMessage } from '../core/chatMessage';
import {
  mergeGenerationKwargs,
  type ChatGenerator,
  type ChatGeneratorResult,
  type ChatRunOptions,
} from '../core/generator';
import { Secret, secretFromDict } from '../core/secret';
import {
  deserializeCallback,
  InitParameterReader,
  readInitParameters,
  selectStreamingCallback,
  serializeCallback,
  type CallbackReference,
  type ComponentDict,
} from '../core/serialization';
import { deserializeTools, flattenTools, serializeTools, type ToolsType } from '../core/tool';
import { runChatCompletions } from './chatCompletionsRun';
import { ClientCache } from './clientCache';
import { createOpenAIClient, resolveMaxRetries, resolveTimeoutSeconds, type ProviderContext } from './openaiClient';

export interface OpenAIChatGeneratorOptions {
  /** Default `Secret.fromEnvVar('OPENAI_API_KEY')`. */
  apiKey?: Secret;
  /** Default `gpt-4o-mini`. */
  model?: string;
  streamingCallback?: CallbackReference;
  apiBaseUrl?: string;
  organization?: string;
  generationKwargs?: Record<string, unknown>;
  /** Seconds; default OPENAI_TIMEOUT or 30. */
  timeout?: number;
  /** Default OPENAI_MAX_RETRIES or 5. */
  maxRetries?: number;
  tools?: ToolsType;
  toolsStrict?: boolean;
  /** httpx client options from Python; `proxy`, `verify` and `headers` are honoured, the rest kept for round trips. */
  httpClientKwargs?: Record<string, unknown>;
}

/** Chat completion on OpenAI's Chat Completions API, after Haystack's `OpenAIChatGenerator`. */
export class OpenAIChatGenerator implements ChatGenerator {
  static readonly typeName: string = 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
  static readonly kind = 'chat' as const;
  readonly kind = 'chat' as const;
  readonly acceptsImages: boolean = true;

  readonly apiKey: Secret;
  readonly model: string;
  readonly streamingCallback?: CallbackReference;
  readonly apiBaseUrl?: string;
  readonly organization?: string;
  readonly generationKwargs: Record<string, unknown>;
  readonly timeout?: number;
  readonly maxRetries?: number;
  readonly tools?: ToolsType;
  readonly toolsStrict: boolean;
  readonly httpClientKwargs?: Record<string, unknown>;
  protected readonly clients = new ClientCache<OpenAI>();

  constructor(options: OpenAIChatGeneratorOptions = {}) {
    this.apiKey = options.apiKey ?? Secret.fromEnvVar('OPENAI_API_KEY');
    this.model = options.model ?? 'gpt-4o-mini';
    this.streamingCallback = options.streamingCallback;
    this.apiBaseUrl = options.apiBaseUrl;
    this.organization = options.organization;
    this.generationKwargs = { ...options.generationKwargs };
    this.timeout = options.timeout;
    this.maxRetries = options.maxRetries;
    this.tools = options.tools;
    this.toolsStrict = options.toolsStrict ?? false;
    this.httpClientKwargs = options.httpClientKwargs;
    flattenTools(this.tools);
  }

  get typeName(): string {
    return (this.constructor as typeof OpenAIChatGenerator).typeName;
  }

  /** Tools need no preparation in the editor; kept for Haystack's lifecycle. */
  async warmUp(): Promise<void> {}

  async run(messages: ChatMessage[], options: ChatRunOptions = {}): Promise<ChatGeneratorResult> {
    if (messages.length === 0) return { replies: [] };
    const client = await this.client();
    const replies = await runChatCompletions(client, {
      model: this.model,
      messages,
      generationKwargs: mergeGenerationKwargs(this.generationKwargs, options.generationKwargs),
      tools: flattenTools(options.tools ?? this.tools),
      toolsStrict: options.toolsStrict ?? this.toolsStrict,
      streamingCallback: selectStreamingCallback(this.streamingCallback, options.streamingCallback),
      signal: options.signal,
      headers: this.requestHeaders(),
      componentInfo: { type: this.typeName },
      idleTimeoutMs: resolveTimeoutSeconds(this.timeout) * 1000,
      context: this.providerContext(),
    });
    return { replies };
  }

  toDict(): ComponentDict {
    return {
      type: this.typeName,
      init_parameters: {
        model: this.model,
        streaming_callback: serializeCallback(this.streamingCallback),
        api_base_url: this.apiBaseUrl ?? null,
        organization: this.organization ?? null,
        generation_kwargs: { ...this.generationKwargs },
        api_key: this.apiKey.toDict(),
        timeout: this.timeout ?? null,
        max_retries: this.maxRetries ?? null,
        tools: serializeTools(this.tools),
        tools_strict: this.toolsStrict,
        http_client_kwargs: this.httpClientKwargs ?? null,
      },
    };
  }

  static fromDict(dict: unknown): OpenAIChatGenerator {
    return new OpenAIChatGenerator(readOpenAIChatOptions(dict, OpenAIChatGenerator.typeName));
  }

  /** Resolves the key now (it may have changed in SecretStorage) and reuses the client while it is the same. */
  protected async client(): Promise<OpenAI> {
    const apiKey = this.apiKey.resolveValue() ?? '';
    return this.clients.get(apiKey, () =>
      createOpenAIClient({
        apiKey,
        baseURL: this.apiBaseUrl,
        organization: this.organization,
        timeoutSeconds: resolveTimeoutSeconds(this.timeout),
        maxRetries: resolveMaxRetries(this.maxRetries),
        httpClientKwargs: this.httpClientKwargs,
      }),
    );
  }

  protected requestHeaders(): Record<string, string> | undefined {
    return undefined;
  }

  protected providerContext(): ProviderContext {
    return { provider: 'OpenAI', keyName: this.apiKey.envVars[0], secrets: [safeResolve(this.apiKey)] };
  }
}

/** Reads the init parameters every OpenAI-compatible chat generator shares. */
export function readOpenAIChatOptions(dict: unknown, typeName: string): OpenAIChatGeneratorOptions {
  const init = readInitParameters(dict, typeName);
  const read = new InitParameterReader(init);
  return {
    apiKey: secretFromDict(read.raw('api_key'), 'init_parameters.api_key'),
    model: read.string('model'),
    streamingCallback: deserializeCallback(read.raw('streaming_callback')),
    apiBaseUrl: read.string('api_base_url'),
    organization: read.string('organization'),
    generationKwargs: read.record('generation_kwargs'),
    timeout: read.number('timeout'),
    maxRetries: read.number('max_retries'),
    tools: deserializeTools(read.raw('tools')),
    toolsStrict: read.boolean('tools_strict'),
    httpClientKwargs: read.record('http_client_kwargs'),
  };
}

/** The key's value for redaction only; a missing key is not an error here. */
export function safeResolve(secret: Secret | undefined): string | undefined {
  try {
    return secret?.resolveValue();
  } catch {
    return undefined;
  }
}
