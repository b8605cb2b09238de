import type { InferenceProviderOrPolicy, chatCompletion } from '@huggingface/inference';
import { normalizeMessages, type ChatMessage } from '../../core/chatMessage';
import { ConfigurationError } from '../../core/errors';
import {
  type ChatGenerator,
  type ChatGeneratorResult,
  type ChatRunOptions,
  mergeGenerationKwargs,
} from '../../core/generator';
import type { Secret } from '../../core/secret';
import {
  type CallbackReference,
  type ComponentDict,
  InitParameterReader,
  readInitParameters,
  selectStreamingCallback,
  serializeCallback,
} from '../../core/serialization';
import { chatMessageFromChunks, consumeStream } from '../../core/streamAssembly';
import { type ToolsType, deserializeTools, flattenTools, serializeTools } from '../../core/tool';
import {
  type HFChatCompletion,
  chatMessageFromCompletion,
  toHFChatMessage,
  toHFTools,
} from './huggingFaceApiChatFormat';
import { type HFChatCompletionChunk, chatCompletionChunksToStreamingChunks } from './huggingFaceApiChatStream';
import { type HFServiceUrls, loadHuggingFaceInference, unreadableHFReplyError } from './huggingFaceApiCall';
import type { GeneratorDescriptor } from '../../core/descriptor';
import { structuredOutputVia } from '../../core/structuredOutput';
import {
  HF_API_TOKEN_LIMITS,
  HF_API_WIZARD_FIELDS,
  HuggingFaceApiConnection,
  isTgi,
  readHFApiGeneratorOptions,
} from './huggingFaceApiConnection';
import type { HFGenerationAPIType } from './huggingFaceApiType';

const TYPE_NAME = 'haystack.components.generators.chat.hugging_face_api.HuggingFaceAPIChatGenerator';

// Haystack leaves out the id of a tool call that has none; the library's types insist on one, so the request is cast.
type ChatCompletionArgs = Parameters<typeof chatCompletion>[0];

/** Init parameters of {@link HuggingFaceAPIChatGenerator}, as Haystack's (camelCase). */
export interface HuggingFaceAPIChatGeneratorOptions {
  /** `text_generation_inference`, `inference_endpoints` or `serverless_inference_api`. */
  apiType: HFGenerationAPIType | string;
  /** `url` (TGI, Inference Endpoints) or `model` and recommended `provider` (serverless), plus optional `timeout`, `headers`, `bill_to`. */
  apiParams: Record<string, unknown>;
  /** Bearer token; defaults to the HF_API_TOKEN or HF_TOKEN environment variable (not required). `null` sends none. */
  token?: Secret | null;
  /** Chat-completion parameters, e.g. `max_tokens` (default 512), `temperature`, `top_p`. */
  generationKwargs?: Record<string, unknown>;
  /** Added to `generation_kwargs.stop`. */
  stopWords?: string[];
  streamingCallback?: CallbackReference;
  tools?: ToolsType;
  /** Replaces Hugging Face's router and Hub URLs (tests, proxies); not serialized. */
  serviceUrls?: HFServiceUrls;
}

/**
 * Completes chats with a Hugging Face API, after Haystack's `HuggingFaceAPIChatGenerator`: Inference Providers
 * through the router, Inference Endpoints or a self-hosted TGI server, all through `/v1/chat/completions`.
 * Unlike Haystack 2.x, tools and streaming may be combined: streamed tool calls are assembled into the reply.
 */
export class HuggingFaceAPIChatGenerator implements ChatGenerator {
  static readonly typeName = TYPE_NAME;
  static readonly kind = 'chat' as const;
  readonly typeName = TYPE_NAME;
  readonly kind = 'chat' as const;
  readonly acceptsImages = true;

  /** The init-time kwargs, with the stop words folded into `stop` and `max_tokens` defaulted, as Haystack keeps them. */
  readonly generationKwargs: Record<string, unknown>;
  readonly streamingCallback?: CallbackReference;
  readonly tools?: ToolsType;
  private readonly connection: HuggingFaceApiConnection;

  constructor(options: HuggingFaceAPIChatGeneratorOptions) {
    this.connection = new HuggingFaceApiConnection(options, options.serviceUrls);
    const kwargs: Record<string, unknown> = { ...options.generationKwargs };
    const stop = kwargs.stop ?? [];
    if (!Array.isArray(stop) || stop.some((item) => typeof item !== 'string'))
      throw new ConfigurationError('generation_kwargs.stop', 'expected a list of strings.');
    kwargs.stop = [...stop, ...(options.stopWords ?? [])];
    if (!('max_tokens' in kwargs)) kwargs.max_tokens = 512;
    this.generationKwargs = kwargs;
    flattenTools(options.tools);
    this.tools = options.tools;
    this.streamingCallback = options.streamingCallback;
  }

  get token(): Secret | undefined {
    return this.connection.token;
  }

  async warmUp(): Promise<void> {
    await loadHuggingFaceInference();
  }

  async run(messages: ChatMessage[] | string, options: ChatRunOptions = {}): Promise<ChatGeneratorResult> {
    const kwargs = mergeGenerationKwargs(this.generationKwargs, options.generationKwargs);
    const callback = selectStreamingCallback(this.streamingCallback, options.streamingCallback);
    const hfMessages = normalizeMessages(messages).map((message, i) => toHFChatMessage(message, `messages[${i}]`));
    const hfTools = toHFTools(flattenTools(options.tools ?? this.tools));
    return this.connection.withCall(options.signal, async ({ hf, call, token, target }) => {
      // TGI ignores `model`; an Inference Endpoint serving another engine may need the name given in api_params.
      const routing =
        target.kind === 'url'
          ? { endpointUrl: target.url, model: target.model ?? 'tgi' }
          : { model: target.model, provider: target.provider as InferenceProviderOrPolicy | undefined };
      const args = {
        accessToken: token,
        ...routing,
        messages: hfMessages,
        ...kwargs,
        ...(hfTools ? { tools: hfTools } : {}),
      } as ChatCompletionArgs;
      if (callback) {
        const events = hf.chatCompletionStream(
          { ...args, stream_options: { include_usage: true } },
          call.options,
        ) as AsyncIterable<HFChatCompletionChunk>;
        const chunks = await consumeStream(
          chatCompletionChunksToStreamingChunks(call.stream(events), { type: TYPE_NAME }),
          callback,
        );
        if (chunks.length === 0) throw unreadableHFReplyError(call.serviceName, 'a single event in its stream');
        const reply = chatMessageFromChunks(chunks);
        return {
          replies: [reply.meta.usage ? reply : reply.withMeta({ usage: { prompt_tokens: 0, completion_tokens: 0 } })],
        };
      }
      const completion = (await call.request(() => hf.chatCompletion(args, call.options))) as
        HFChatCompletion | undefined;
      if (!Array.isArray(completion?.choices))
        throw unreadableHFReplyError(call.serviceName, 'the `choices` of a chat completion');
      const reply = chatMessageFromCompletion(completion, target.kind === 'url' ? target.url : target.model);
      return { replies: reply ? [reply] : [] };
    });
  }

  toDict(): ComponentDict {
    return {
      type: TYPE_NAME,
      init_parameters: {
        ...this.connection.toInitParameters(),
        generation_kwargs: { ...this.generationKwargs },
        streaming_callback: serializeCallback(this.streamingCallback),
        tools: serializeTools(this.tools),
      },
    };
  }

  static fromDict(dict: unknown): HuggingFaceAPIChatGenerator {
    const reader = new InitParameterReader(readInitParameters(dict, TYPE_NAME));
    return new HuggingFaceAPIChatGenerator({
      ...readHFApiGeneratorOptions(reader),
      tools: deserializeTools(reader.raw('tools')),
    });
  }
}

export const huggingFaceAPIChatGeneratorDescriptor: GeneratorDescriptor = {
  typeName: TYPE_NAME,
  kind: 'chat',
  label: 'Hugging Face API chat',
  fromDict: (dict) => HuggingFaceAPIChatGenerator.fromDict(dict),
  secretEnvVars: ['HF_API_TOKEN', 'HF_TOKEN'],
  defaultModel: undefined,
  pythonPackages: ['huggingface_hub'],
  wizardFields: HF_API_WIZARD_FIELDS,
  capabilities: (init) => ({
    imageInput: true,
    toolCalling: true,
    structuredOutput: isTgi(init)
      ? structuredOutputVia('response_format_json', 'TGI chat response_format (json grammar)')
      : structuredOutputVia('response_format_json_schema', 'Inference Providers response_format (json_schema)'),
    maxTokensKey: 'max_tokens',
    tokenLimits: HF_API_TOKEN_LIMITS,
  }),
};
