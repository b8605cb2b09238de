import { ConfigurationError } from '../core/errors';
import { mergeGenerationKwargs, type TextGenerator, type TextGeneratorResult, type TextRunOptions } from '../core/generator';
import { secretFromDict, type Secret } from '../core/secret';
import {
  deserializeCallback,
  InitParameterReader,
  readInitParameters,
  selectStreamingCallback,
  serializeCallback,
  type CallbackReference,
  type ComponentDict,
} from '../core/serialization';
import {
  checkTask,
  defaultHuggingFaceToken,
  resolvePipelineKwargs,
  resolveToken,
  toPipelineSpec,
  type LocalPipelineOptions,
} from './huggingFaceLocalPipeline';
import { ChunkDelivery } from './localStreaming';
import { holdLocalModelWorker, releaseLocalModelWorker } from './localModels';

/** Init options of {@link HuggingFaceLocalGenerator}, after Haystack's `HuggingFaceLocalGenerator.__init__`. */
export interface HuggingFaceLocalGeneratorOptions extends LocalPipelineOptions {
  /** `max_new_tokens` (default 512), `temperature`, `top_k`, `top_p`, `do_sample`, `return_full_text`, ... */
  generationKwargs?: Record<string, unknown>;
  /** Generation stops at the first of these; it is cut from the reply. */
  stopWords?: string[] | null;
  streamingCallback?: CallbackReference;
}

/**
 * Generates text with a Hugging Face model run locally by transformers.js in the shared local-model worker
 * process (Haystack's `HuggingFaceLocalGenerator`).
 */
export class HuggingFaceLocalGenerator implements TextGenerator {
  static readonly typeName = 'haystack.components.generators.hugging_face_local.HuggingFaceLocalGenerator';
  static readonly kind = 'text';
  readonly typeName = HuggingFaceLocalGenerator.typeName;
  readonly kind = 'text';

  readonly huggingfacePipelineKwargs: Record<string, unknown>;
  readonly generationKwargs: Record<string, unknown>;
  readonly stopWords: string[] | undefined;
  readonly token: Secret | undefined;
  readonly streamingCallback: CallbackReference | undefined;
  private readonly inlineToken: string | undefined;

  constructor(options: HuggingFaceLocalGeneratorOptions = {}) {
    this.token = options.token === undefined ? defaultHuggingFaceToken() : (options.token ?? undefined);
    const resolved = resolvePipelineKwargs(options, 'google/flan-t5-base');
    this.huggingfacePipelineKwargs = resolved.kwargs;
    this.inlineToken = resolved.inlineToken;
    this.generationKwargs = { ...options.generationKwargs };
    if (options.stopWords && options.stopWords.length > 0 && 'stopping_criteria' in this.generationKwargs) {
      throw new ConfigurationError(
        'stop_words',
        'Found both the `stop_words` init parameter and the `stopping_criteria` key in `generation_kwargs`. Please specify only one of them.',
      );
    }
    this.applyTaskDefaults();
    this.generationKwargs.max_new_tokens ??= 512;
    this.stopWords = options.stopWords ?? undefined;
    this.streamingCallback = options.streamingCallback;
  }

  /** Loads the model in the worker; infers the task from the model's config when it was not given. */
  async warmUp(): Promise<void> {
    const worker = holdLocalModelWorker(this);
    const task = await worker.load(toPipelineSpec(this.huggingfacePipelineKwargs), this.resolveToken());
    if (this.huggingfacePipelineKwargs.task === undefined) {
      this.huggingfacePipelineKwargs.task = checkTask(task);
      this.applyTaskDefaults();
    }
  }

  async run(prompt: string, options: TextRunOptions = {}): Promise<TextGeneratorResult> {
    if (!prompt) return { replies: [], meta: [] };
    if (this.huggingfacePipelineKwargs.task === undefined) await this.warmUp();
    const worker = holdLocalModelWorker(this);
    const generationKwargs = mergeGenerationKwargs(this.generationKwargs, options.generationKwargs);
    const callback = selectStreamingCallback(this.streamingCallback, options.streamingCallback);
    const model = this.huggingfacePipelineKwargs.model as string;
    const delivery = callback ? new ChunkDelivery(callback, this.typeName, model) : undefined;
    // Haystack's local generator has no system prompt; the editor's one is put in front of the prompt.
    const fullPrompt = options.systemPrompt ? `${options.systemPrompt}\n\n${prompt}` : prompt;
    const result = await worker.generate(
      {
        pipeline: toPipelineSpec(this.huggingfacePipelineKwargs),
        input: { kind: 'text', prompt: fullPrompt },
        generationKwargs,
        stopWords: this.stopWords ?? [],
        stream: delivery !== undefined,
      },
      this.resolveToken(),
      { signal: options.signal, onChunk: delivery?.push },
    );
    await delivery?.finish();
    const maxNewTokens = typeof generationKwargs.max_new_tokens === 'number' ? generationKwargs.max_new_tokens : Number.POSITIVE_INFINITY;
    return {
      replies: result.replies.map((reply) => reply.text),
      meta: result.replies.map((reply, index) => ({
        model,
        index,
        finish_reason: reply.completionTokens >= maxNewTokens ? 'length' : 'stop',
        usage: { completion_tokens: reply.completionTokens, prompt_tokens: result.promptTokens, total_tokens: result.promptTokens + reply.completionTokens },
      })),
    };
  }

  /** Lets the shared worker go; it stops when no other local generator holds it. */
  async shutdown(): Promise<void> {
    await releaseLocalModelWorker(this);
  }

  toDict(): ComponentDict {
    return {
      type: this.typeName,
      init_parameters: {
        huggingface_pipeline_kwargs: { ...this.huggingfacePipelineKwargs },
        generation_kwargs: { ...this.generationKwargs },
        streaming_callback: serializeCallback(this.streamingCallback),
        stop_words: this.stopWords ?? null,
        token: this.token ? this.token.toDict() : null,
      },
    };
  }

  static fromDict(dict: unknown): HuggingFaceLocalGenerator {
    const params = readInitParameters(dict, HuggingFaceLocalGenerator.typeName);
    const read = new InitParameterReader(params);
    return new HuggingFaceLocalGenerator({
      model: read.string('model'),
      task: read.has('task') ? checkTask(read.raw('task')) : undefined,
      device: read.string('device'),
      token: secretFromDict(params.token, 'init_parameters.token', defaultHuggingFaceToken()) ?? null,
      generationKwargs: read.record('generation_kwargs'),
      huggingfacePipelineKwargs: read.record('huggingface_pipeline_kwargs'),
      stopWords: read.stringList('stop_words'),
      streamingCallback: deserializeCallback(params.streaming_callback),
    });
  }

  /** Haystack returns only the new text of decoder models unless `return_full_text` says otherwise. */
  private applyTaskDefaults(): void {
    if (this.huggingfacePipelineKwargs.task === 'text-generation') this.generationKwargs.return_full_text ??= false;
  }

  private resolveToken(): string | undefined {
    return resolveToken(this.token, this.inlineToken);
  }
}
