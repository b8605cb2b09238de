import type { InferenceProviderOrPolicy } from '@huggingface/inference';
import { ConfigurationError } from '../../core/errors';
import {
  mergeGenerationKwargs,
  type TextGenerator,
  type TextGeneratorResult,
  type TextRunOptions,
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
import { consumeStream } from '../../core/streamAssembly';
import type { StreamingCallback } from '../../core/streamingChunk';
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
import {
  type HFTextGenerationReply,
  type HFTextStreamEvent,
  TextStreamAssembler,
  textReplyFromResponse,
} from './huggingFaceApiTextFormat';
import type { HFGenerationAPIType } from './huggingFaceApiType';

const TYPE_NAME = 'haystack.components.generators.hugging_face_api.HuggingFaceAPIGenerator';

/** Init parameters of {@link HuggingFaceAPIGenerator}, as Haystack's (camelCase). */
export interface HuggingFaceAPIGeneratorOptions {
  /** `text_generation_inference`, `inference_endpoints` or `serverless_inference_api`. */
  apiType: HFGenerationAPIType | string;
  /** `url` (TGI, Inference Endpoints) or `model` (serverless), plus optional `provider`, `timeout`, `headers`, `bill_to`. */
  apiParams: Record<string, unknown>;
  /** Bearer token; defaults to the HF_API_TOKEN or HF_TOKEN environment variable (not required). `null` sends none. */
  token?: Secret | null;
  /** TGI generation parameters, e.g. `max_new_tokens` (default 512), `temperature`, `top_k`, `top_p`. */
  generationKwargs?: Record<string, unknown>;
  /** Added to `generation_kwargs.stop_sequences`. */
  stopWords?: string[];
  streamingCallback?: CallbackReference;
  /** Replaces Hugging Face's router and Hub URLs (tests, proxies); not serialized. */
  serviceUrls?: HFServiceUrls;
}

/**
 * Generates text with a Hugging Face API, after Haystack's `HuggingFaceAPIGenerator`: TGI's native `/generate` and
 * `/generate_stream` for a self-hosted server or an Inference Endpoint, the library's text generation for
 * Inference Providers (which Haystack warns may no longer serve text-generation models).
 */
export class HuggingFaceAPIGenerator implements TextGenerator {
  static readonly typeName = TYPE_NAME;
  static readonly kind = 'text' as const;
  readonly typeName = TYPE_NAME;
  readonly kind = 'text' as const;

  /** The init-time kwargs, with the stop words folded into `stop_sequences` and `max_new_tokens` defaulted, as Haystack keeps them. */
  readonly generationKwargs: Record<string, unknown>;
  readonly streamingCallback?: CallbackReference;
  private readonly connection: HuggingFaceApiConnection;

  constructor(options: HuggingFaceAPIGeneratorOptions) {
    this.connection = new HuggingFaceApiConnection(options, options.serviceUrls);
    const kwargs: Record<string, unknown> = { ...options.generationKwargs };
    kwargs.stop_sequences = [
      ...stringList(kwargs.stop_sequences, 'generation_kwargs.stop_sequences'),
      ...(options.stopWords ?? []),
    ];
    if (!('max_new_tokens' in kwargs)) kwargs.max_new_tokens = 512;
    this.generationKwargs = kwargs;
    this.streamingCallback = options.streamingCallback;
  }

  get token(): Secret | undefined {
    return this.connection.token;
  }

  async warmUp(): Promise<void> {
    await loadHuggingFaceInference();
  }

  async run(prompt: string, options: TextRunOptions = {}): Promise<TextGeneratorResult> {
    const kwargs = mergeGenerationKwargs(this.generationKwargs, options.generationKwargs);
    const callback = selectStreamingCallback(this.streamingCallback, options.streamingCallback);
    // Haystack's HF text generator has no system prompt; the editor's goes before the prompt.
    const inputs = options.systemPrompt ? `${options.systemPrompt}\n\n${prompt}` : prompt;
    return this.connection.withCall(options.signal, async ({ hf, call, token, target }) => {
      const model = target.kind === 'url' ? target.url : target.model;
      if (target.kind === 'url') {
        const parameters = { ...textParameters(kwargs), details: true };
        const base = target.url.replace(/\/+$/, '');
        if (callback) {
          const events = hf.streamingRequest<HFTextStreamEvent>(
            { accessToken: token, endpointUrl: `${base}/generate_stream`, inputs, parameters },
            call.options,
          );
          return await this.collectStream(call.stream(events), callback, model, call.serviceName);
        }
        const response = await call.request(() =>
          hf.request<HFTextGenerationReply>(
            { accessToken: token, endpointUrl: `${base}/generate`, inputs, parameters },
            call.options,
          ),
        );
        return toResult(textReplyFromResponse(withGeneratedText(response, call.serviceName), model));
      }
      const args = {
        accessToken: token,
        model: target.model,
        provider: target.provider as InferenceProviderOrPolicy | undefined,
        inputs,
        parameters: textParameters(kwargs),
      };
      if (callback) {
        const events = hf.textGenerationStream(args, call.options) as AsyncIterable<HFTextStreamEvent>;
        return await this.collectStream(call.stream(events), callback, model, call.serviceName);
      }
      const response = await call.request(() => hf.textGeneration(args, call.options));
      return toResult(textReplyFromResponse(withGeneratedText(response, call.serviceName), model));
    });
  }

  toDict(): ComponentDict {
    return {
      type: TYPE_NAME,
      init_parameters: {
        ...this.connection.toInitParameters(),
        generation_kwargs: { ...this.generationKwargs },
        streaming_callback: serializeCallback(this.streamingCallback),
      },
    };
  }

  static fromDict(dict: unknown): HuggingFaceAPIGenerator {
    const reader = new InitParameterReader(readInitParameters(dict, TYPE_NAME));
    return new HuggingFaceAPIGenerator(readHFApiGeneratorOptions(reader));
  }

  private async collectStream(
    events: AsyncIterable<HFTextStreamEvent>,
    callback: StreamingCallback,
    model: string,
    serviceName: string,
  ): Promise<TextGeneratorResult> {
    const assembler = new TextStreamAssembler({ type: TYPE_NAME });
    let received = 0;
    const counted = (async function* () {
      for await (const event of events) {
        received++;
        yield event;
      }
    })();
    const chunks = await consumeStream(assembler.chunks(counted), callback);
    // Special tokens are not delivered, so only the event count tells an empty stream from an empty reply.
    if (received === 0) throw unreadableHFReplyError(serviceName, 'a single event in its stream');
    return { replies: [chunks.map((chunk) => chunk.content).join('')], meta: [assembler.meta(model)] };
  }
}

/** TGI's reply (or its list of one) must carry `generated_text`; a body without it is not a reply. */
function withGeneratedText(response: unknown, serviceName: string): HFTextGenerationReply | HFTextGenerationReply[] {
  const reply = Array.isArray(response) ? response[0] : response;
  if (typeof (reply as Partial<HFTextGenerationReply> | undefined)?.generated_text !== 'string')
    throw unreadableHFReplyError(serviceName, '`generated_text`');
  return response as HFTextGenerationReply | HFTextGenerationReply[];
}

function toResult(result: { reply: string; meta: Record<string, unknown> }): TextGeneratorResult {
  return { replies: [result.reply], meta: [result.meta] };
}

/**
 * The wire parameters: Haystack's `stop_sequences` kwarg is huggingface_hub's deprecated alias of `stop`, the name
 * TGI and the providers' completions understand.
 */
function textParameters(kwargs: Record<string, unknown>): Record<string, unknown> {
  const { stop_sequences: stopSequences, ...rest } = kwargs;
  const stop = [
    ...stringList(rest.stop, 'generation_kwargs.stop'),
    ...stringList(stopSequences, 'generation_kwargs.stop_sequences'),
  ];
  return stop.length > 0 ? { ...rest, stop } : rest;
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw new ConfigurationError(field, 'expected a list of strings.');
  return value;
}

export const huggingFaceAPIGeneratorDescriptor: GeneratorDescriptor = {
  typeName: TYPE_NAME,
  kind: 'text',
  label: 'Hugging Face API text',
  fromDict: (dict) => HuggingFaceAPIGenerator.fromDict(dict),
  secretEnvVars: ['HF_API_TOKEN', 'HF_TOKEN'],
  defaultModel: undefined,
  pythonPackages: ['huggingface_hub'],
  wizardFields: HF_API_WIZARD_FIELDS,
  capabilities: (init) => ({
    imageInput: false,
    toolCalling: false,
    structuredOutput: isTgi(init)
      ? structuredOutputVia('grammar_json', 'TGI grammar (json)')
      : {
          supported: false,
          reason:
            'Hugging Face text generation through Inference Providers takes no JSON grammar; use a TGI endpoint or a HuggingFaceAPIChatGenerator.',
        },
    maxTokensKey: 'max_new_tokens',
    tokenLimits: HF_API_TOKEN_LIMITS,
  }),
};
