// Haystack's OpenAIResponsesChatGenerator: chat on OpenAI's Responses API (reasoning summaries, stateful turns).
import type { OpenAI } from 'openai';
import type { ChatMessage } from '../core/chatMessage';
import { ConfigurationError, GeneratorError, throwIfAborted } from '../core/errors';
import {
  mergeGenerationKwargs,
  type ChatGenerator,
  type ChatGeneratorResult,
  type ChatRunOptions,
} from '../core/generator';
import { Secret, secretFromDict } from '../core/secret';
import {
  InitParameterReader,
  deserializeCallback,
  readInitParameters,
  selectStreamingCallback,
  serializeCallback,
  type CallbackReference,
  type ComponentDict,
} from '../core/serialization';
import { ClientCache } from './clientCache';
import { createOpenAIClient, loadOpenAI, resolveMaxRetries, resolveTimeoutSeconds } from './openaiClient';
import { buildResponsesRequest, withTextFormat } from './responsesRequest';
import { runResponses } from './responsesRun';
import {
  deserializeResponsesTools,
  serializeResponsesTools,
  toResponsesTools,
  type ResponsesToolsInput,
} from './responsesTools';

/** A function returning an API key or token, called before each run (Azure Entra ID token providers). */
export type TokenProvider = () => string | Promise<string>;

/**
 * The credential a Responses generator holds: a Secret, a token provider, or the Python qualified name of a token
 * provider read from a Haystack dict (kept so the dict round-trips; it cannot run in the editor).
 */
export type ApiKeyReference = Secret | TokenProvider | string;

/** Init parameters of {@link OpenAIResponsesChatGenerator}, Haystack's in camelCase. */
export interface OpenAIResponsesChatGeneratorOptions {
  /** Defaults to the `OPENAI_API_KEY` env var (strict). */
  apiKey?: Secret;
  /** Defaults to `gpt-5-mini`. */
  model?: string;
  streamingCallback?: CallbackReference;
  apiBaseUrl?: string;
  organization?: string;
  /** Sent to the API as given (snake_case): `reasoning`, `previous_response_id`, `text`, `text_format`, ... */
  generationKwargs?: Record<string, unknown>;
  /** Seconds; falls back to OPENAI_TIMEOUT, then 30. */
  timeout?: number;
  /** Falls back to OPENAI_MAX_RETRIES, then 5. */
  maxRetries?: number;
  /** Haystack tools/toolsets, or raw OpenAI/MCP tool definitions (never both). */
  tools?: ResponsesToolsInput;
  /** Sets `strict` on the function tools built from Haystack tools. Defaults to false, as in Haystack. */
  toolsStrict?: boolean;
  /** httpx client options from Python: `proxy`, `verify` and `headers` are honoured, the rest kept for round trips. */
  httpClientKwargs?: Record<string, unknown>;
}

/** Run options; `tools` may also be raw OpenAI/MCP tool definitions here. */
export interface ResponsesRunOptions extends Omit<ChatRunOptions, 'tools'> {
  tools?: ResponsesToolsInput;
}

const TYPE_NAME = 'haystack.components.generators.chat.openai_responses.OpenAIResponsesChatGenerator';

/** Completes chats with OpenAI's Responses API, as Haystack's `OpenAIResponsesChatGenerator`. */
export class OpenAIResponsesChatGenerator implements ChatGenerator {
  static readonly typeName: string = TYPE_NAME;
  static readonly kind = 'chat' as const;
  readonly kind = 'chat' as const;
  readonly acceptsImages = true;

  readonly model: string;
  readonly streamingCallback?: CallbackReference;
  readonly apiBaseUrl?: string;
  readonly organization?: string;
  readonly generationKwargs: Record<string, unknown>;
  readonly timeout?: number;
  readonly maxRetries?: number;
  readonly tools?: ResponsesToolsInput;
  readonly toolsStrict: boolean;
  readonly httpClientKwargs?: Record<string, unknown>;
  /** Wider than the OpenAI options allow so that the Azure generator can hold token providers. */
  protected credential: ApiKeyReference;
  /** Names the provider and its key in error messages. */
  protected providerName = 'OpenAI';
  // A #private field: the cache key is the resolved key, which must not show in JSON.stringify or util.inspect.
  readonly #clients = new ClientCache<OpenAI>();

  constructor(options: OpenAIResponsesChatGeneratorOptions = {}) {
    this.credential = options.apiKey ?? Secret.fromEnvVar('OPENAI_API_KEY');
    this.model = options.model ?? 'gpt-5-mini';
    this.streamingCallback = options.streamingCallback;
    this.apiBaseUrl = options.apiBaseUrl;
    this.organization = options.organization;
    this.generationKwargs = { ...options.generationKwargs };
    this.timeout = options.timeout;
    this.maxRetries = options.maxRetries;
    this.tools = options.tools;
    this.toolsStrict = options.toolsStrict ?? false;
    this.httpClientKwargs = options.httpClientKwargs;
    // Mixed or duplicate tools are a configuration mistake: report it now rather than on the first run.
    toResponsesTools(this.tools, this.toolsStrict);
  }

  get typeName(): string {
    return (this.constructor as typeof OpenAIResponsesChatGenerator).typeName;
  }

  /** Loads the `openai` SDK so that the first run does not pay for it. */
  async warmUp(): Promise<void> {
    await loadOpenAI();
  }

  async run(messages: ChatMessage[], options: ResponsesRunOptions = {}): Promise<ChatGeneratorResult> {
    if (messages.length === 0) return { replies: [] };
    const { signal } = options;
    throwIfAborted(signal);
    const callback = selectStreamingCallback(this.streamingCallback, options.streamingCallback);
    const body = buildResponsesRequest({
      model: this.model,
      messages,
      generationKwargs: mergeGenerationKwargs(this.generationKwargs, options.generationKwargs),
      tools: options.tools ?? this.tools,
      toolsStrict: options.toolsStrict ?? this.toolsStrict,
      stream: callback !== undefined,
    });
    const apiKey = await this.resolveApiKey();
    const client = await this.#clients.get(apiKey, () =>
      createOpenAIClient({
        apiKey,
        baseURL: this.apiBaseUrl,
        organization: this.organization,
        timeoutSeconds: resolveTimeoutSeconds(this.timeout),
        maxRetries: resolveMaxRetries(this.maxRetries),
        httpClientKwargs: this.httpClientKwargs,
      }),
    );
    const reply = await runResponses(client, {
      body,
      streamingCallback: callback,
      signal,
      componentInfo: { type: this.typeName },
      idleTimeoutMs: resolveTimeoutSeconds(this.timeout) * 1000,
      context: { provider: this.providerName, keyName: this.keyName(), secrets: [apiKey] },
    });
    return { replies: [reply] };
  }

  toDict(): ComponentDict {
    return {
      type: this.typeName,
      init_parameters: {
        model: this.model,
        streaming_callback: serializeCallback(this.streamingCallback),
        api_base_url: this.apiBaseUrl ?? null,
        organization: this.organization ?? null,
        generation_kwargs: withTextFormat(this.generationKwargs),
        api_key: this.serializedCredential(),
        timeout: this.timeout ?? null,
        max_retries: this.maxRetries ?? null,
        tools: serializeResponsesTools(this.tools),
        tools_strict: this.toolsStrict,
        http_client_kwargs: this.httpClientKwargs ?? null,
      },
    };
  }

  static fromDict(dict: unknown): OpenAIResponsesChatGenerator {
    const params = new InitParameterReader(readInitParameters(dict, TYPE_NAME));
    const apiKey = secretFromDict(
      params.raw('api_key'),
      'init_parameters.api_key',
      Secret.fromEnvVar('OPENAI_API_KEY'),
    );
    if (!apiKey)
      throw new ConfigurationError(
        'init_parameters.api_key',
        'OpenAIResponsesChatGenerator needs an API key; use {"type": "env_var", "env_vars": ["OPENAI_API_KEY"], "strict": true}.',
      );
    return new OpenAIResponsesChatGenerator({
      apiKey,
      ...readResponsesInitParameters(params),
      model: params.string('model'),
      apiBaseUrl: params.string('api_base_url'),
    });
  }

  /** The credential's value, resolved at call time; never logged or put in an error. */
  protected async resolveApiKey(): Promise<string> {
    const credential = this.credential;
    let value: string | undefined;
    if (credential instanceof Secret) value = credential.resolveValue();
    else if (typeof credential === 'function') value = await credential();
    else {
      throw new ConfigurationError(
        'api_key',
        `refers to the Python function "${credential}", which cannot run in the editor. Use an env var secret such as {"type": "env_var", "env_vars": ["${this.keyName()}"]}.`,
      );
    }
    if (typeof value !== 'string' || value === '') {
      throw new GeneratorError(
        `No ${this.providerName} API key: set ${this.keyName()} (run 'Generators: Set API Key') or configure api_key.`,
        { code: 'missing_secret' },
      );
    }
    return value;
  }

  /** The env var a user would set for this generator's key. */
  protected keyName(): string {
    return this.credential instanceof Secret && this.credential.envVars.length > 0
      ? this.credential.envVars[0]
      : 'OPENAI_API_KEY';
  }

  /** `api_key` for `init_parameters`: a secret's env-var form, or a token provider's Python name. */
  protected serializedCredential(): unknown {
    const credential = this.credential;
    if (credential instanceof Secret) return credential.toDict();
    if (typeof credential === 'string') return credential;
    throw new GeneratorError(
      'Cannot serialize an api_key given as a JavaScript function; it has no Haystack form. Use an env var secret such as Secret.fromEnvVar("AZURE_OPENAI_API_KEY").',
      { code: 'configuration' },
    );
  }
}

/** The init parameters both Responses generators read the same way. */
export function readResponsesInitParameters(params: InitParameterReader): OpenAIResponsesChatGeneratorOptions {
  return {
    streamingCallback: deserializeCallback(params.raw('streaming_callback')),
    organization: params.string('organization'),
    generationKwargs: params.record('generation_kwargs'),
    timeout: params.number('timeout'),
    maxRetries: params.number('max_retries'),
    tools: deserializeResponsesTools(params.raw('tools')),
    toolsStrict: params.boolean('tools_strict'),
    httpClientKwargs: params.record('http_client_kwargs'),
  };
}
