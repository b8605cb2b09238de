// Haystack's OpenAIResponsesChatGenerator: chat on OpenAI's Responses API (reasoning summaries, stateful turns).
import type { OpenAI } from 'openai';
import { normalizeMessages, type ChatMessage } from '../../core/chatMessage';
import type { GeneratorDescriptor, TokenLimits } from '../../core/descriptor';
import { fixedCapabilities } from '../../core/descriptor';
import { ConfigurationError, throwIfAborted } from '../../core/errors';
import {
  mergeGenerationKwargs,
  type ChatGenerator,
  type ChatGeneratorResult,
  type ChatRunOptions,
} from '../../core/generator';
import { Secret } from '../../core/secret';
import {
  InitParameterReader,
  deserializeCallback,
  readInitParameters,
  selectStreamingCallback,
  serializeCallback,
  type CallbackReference,
  type ComponentDict,
} from '../../core/serialization';
import { structuredOutputVia } from '../../core/structuredOutput';
import { loadOpenAI, OpenAIConnection, type OpenAIConnectionOptions } from '../openai/openAIConnection';
import type { ProviderContext } from '../shared/providerErrors';
import { buildResponsesRequest, withTextFormat } from './responsesRequest';
import { runResponses } from './responsesRun';
import {
  deserializeResponsesTools,
  serializeResponsesTools,
  toResponsesTools,
  type ResponsesToolsInput,
} from './responsesTools';

/** The init parameters both Responses generators take besides their connection's. */
export interface ResponsesOptions {
  streamingCallback?: CallbackReference;
  /** Sent to the API as given (snake_case): `reasoning`, `previous_response_id`, `text`, `text_format`, ... */
  generationKwargs?: Record<string, unknown>;
  /** Haystack tools/toolsets, or raw OpenAI/MCP tool definitions (never both). */
  tools?: ResponsesToolsInput;
  /** Sets `strict` on the function tools built from Haystack tools. Defaults to false, as in Haystack. */
  toolsStrict?: boolean;
}

/** Init parameters of {@link OpenAIResponsesChatGenerator}, Haystack's in camelCase. */
export interface OpenAIResponsesChatGeneratorOptions extends OpenAIConnectionOptions, ResponsesOptions {
  /** Defaults to `gpt-5-mini`. */
  model?: string;
}

/** Run options; `tools` may also be raw OpenAI/MCP tool definitions here. */
export interface ResponsesRunOptions extends Omit<ChatRunOptions, 'tools'> {
  tools?: ResponsesToolsInput;
}

/** What a Responses generator needs from its provider's connection. */
export interface ResponsesConnection {
  /** The client for the current credentials; throws a missing_secret error before any request when there are none. */
  client(): Promise<OpenAI>;
  context(): ProviderContext;
  /** Also the idle limit of a stream. */
  readonly timeoutSeconds: number;
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
  readonly generationKwargs: Record<string, unknown>;
  readonly tools?: ResponsesToolsInput;
  readonly toolsStrict: boolean;
  protected readonly responses: ResponsesConnection;
  readonly #connection?: OpenAIConnection;

  /** `connection` is given by generators on another provider's Responses API (Azure). */
  constructor(options: OpenAIResponsesChatGeneratorOptions = {}, connection?: ResponsesConnection) {
    this.model = options.model ?? 'gpt-5-mini';
    this.streamingCallback = options.streamingCallback;
    this.generationKwargs = { ...options.generationKwargs };
    this.tools = options.tools;
    this.toolsStrict = options.toolsStrict ?? false;
    if (connection) this.responses = connection;
    else this.responses = this.#connection = new OpenAIConnection(options);
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

  async run(messages: ChatMessage[] | string, options: ResponsesRunOptions = {}): Promise<ChatGeneratorResult> {
    const conversation = normalizeMessages(messages);
    if (conversation.length === 0) return { replies: [] };
    const { signal } = options;
    throwIfAborted(signal);
    const callback = selectStreamingCallback(this.streamingCallback, options.streamingCallback);
    const body = buildResponsesRequest({
      model: this.model,
      messages: conversation,
      generationKwargs: mergeGenerationKwargs(this.generationKwargs, options.generationKwargs),
      tools: options.tools ?? this.tools,
      toolsStrict: options.toolsStrict ?? this.toolsStrict,
      stream: callback !== undefined,
    });
    const client = await this.responses.client();
    const reply = await runResponses(client, {
      body,
      streamingCallback: callback,
      signal,
      componentInfo: { type: this.typeName },
      idleTimeoutMs: this.responses.timeoutSeconds * 1000,
      context: this.responses.context(),
    });
    return { replies: [reply] };
  }

  toDict(): ComponentDict {
    const connection = this.#connection!.toInitParameters();
    return {
      type: this.typeName,
      init_parameters: {
        model: this.model,
        streaming_callback: serializeCallback(this.streamingCallback),
        api_base_url: connection.api_base_url,
        organization: connection.organization,
        generation_kwargs: withTextFormat(this.generationKwargs),
        api_key: connection.api_key,
        timeout: connection.timeout,
        max_retries: connection.max_retries,
        tools: serializeResponsesTools(this.tools),
        tools_strict: this.toolsStrict,
        http_client_kwargs: connection.http_client_kwargs,
      },
    };
  }

  static fromDict(dict: unknown): OpenAIResponsesChatGenerator {
    const params = new InitParameterReader(readInitParameters(dict, TYPE_NAME));
    const connection = OpenAIConnection.readOptions(params, Secret.fromEnvVar('OPENAI_API_KEY'));
    if (!connection.apiKey)
      throw new ConfigurationError(
        'init_parameters.api_key',
        'OpenAIResponsesChatGenerator needs an API key; use {"type": "env_var", "env_vars": ["OPENAI_API_KEY"], "strict": true}.',
      );
    return new OpenAIResponsesChatGenerator({
      ...connection,
      ...readResponsesOptions(params),
      model: params.string('model'),
    });
  }
}

/** The init parameters both Responses generators read the same way. */
export function readResponsesOptions(params: InitParameterReader): ResponsesOptions {
  return {
    streamingCallback: deserializeCallback(params.raw('streaming_callback')),
    generationKwargs: params.record('generation_kwargs'),
    tools: deserializeResponsesTools(params.raw('tools')),
    toolsStrict: params.boolean('tools_strict'),
  };
}

/** How both Responses generators ask for JSON following a schema. */
export const RESPONSES_STRUCTURED_OUTPUT = structuredOutputVia('text_format', 'Responses text.format (json_schema)');

/** gpt-5-mini, the Responses generators' default model: 400k context, 128k output. */
export const GPT_5_MINI_LIMITS: TokenLimits = { contextWindow: 400_000, maxOutputTokens: 128_000 };

export const openAIResponsesChatGeneratorDescriptor: GeneratorDescriptor = {
  typeName: TYPE_NAME,
  kind: 'chat',
  label: 'OpenAI Responses chat',
  fromDict: (dict) => OpenAIResponsesChatGenerator.fromDict(dict),
  secretEnvVars: ['OPENAI_API_KEY'],
  defaultModel: 'gpt-5-mini',
  pythonPackages: [],
  wizardFields: [{ path: 'model', prompt: 'Model', defaultValue: 'gpt-5-mini' }],
  capabilities: fixedCapabilities({
    imageInput: true,
    toolCalling: true,
    structuredOutput: RESPONSES_STRUCTURED_OUTPUT,
    maxTokensKey: 'max_output_tokens',
    tokenLimits: GPT_5_MINI_LIMITS,
  }),
};
