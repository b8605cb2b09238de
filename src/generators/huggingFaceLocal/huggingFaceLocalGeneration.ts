// What both local Hugging Face generators (text and chat) do alike: resolve their init-time token and generation
// kwargs, read and write the init parameters they share, load the model in the shared worker (inferring its task),
// and run one generation there with its streamed pieces delivered as StreamingChunks.
import { ConfigurationError } from '../../core/errors';
import { secretFromDict, type Secret } from '../../core/secret';
import {
  deserializeCallback,
  InitParameterReader,
  serializeCallback,
  type CallbackReference,
} from '../../core/serialization';
import type { StreamingCallback } from '../../core/streamingChunk';
import type { GenerationInput } from '../../worker/localModelProtocol';
import {
  checkTask,
  defaultHuggingFaceToken,
  LOCAL_TASKS,
  type LocalTask,
  resolvePipelineKwargs,
  toPipelineSpec,
  type LocalPipelineOptions,
} from './huggingFaceLocalPipeline';
import type { LocalModelWorkerClient } from './localModelWorkerClient';
import { holdLocalModelWorker } from './localModels';
import { ChunkDelivery } from './localStreaming';

/** The init options both local generators take alike. */
export interface LocalGeneratorInitOptions extends LocalPipelineOptions {
  generationKwargs?: Record<string, unknown>;
  stopWords?: string[] | null;
  streamingCallback?: CallbackReference;
}

/** Reads the init parameters both generators' `fromDict` take from `params` (Haystack's `init_parameters`). */
export function readLocalGeneratorInitOptions(
  params: Record<string, unknown>,
  tasks: readonly LocalTask[] = LOCAL_TASKS,
): LocalGeneratorInitOptions {
  const read = new InitParameterReader(params);
  return {
    model: read.string('model'),
    task: read.has('task') ? checkTask(read.raw('task'), tasks) : undefined,
    device: read.string('device'),
    token: secretFromDict(params.token, 'init_parameters.token', defaultHuggingFaceToken()) ?? null,
    generationKwargs: read.record('generation_kwargs'),
    huggingfacePipelineKwargs: read.record('huggingface_pipeline_kwargs'),
    stopWords: read.stringList('stop_words'),
    streamingCallback: deserializeCallback(params.streaming_callback),
  };
}

/** The leading `init_parameters` of both generators' `toDict()`. */
export function localGeneratorToDict(
  generator: LocalPipelineHolder & { readonly streamingCallback: CallbackReference | undefined },
): Record<string, unknown> {
  return {
    huggingface_pipeline_kwargs: { ...generator.huggingfacePipelineKwargs },
    generation_kwargs: { ...generator.generationKwargs },
    streaming_callback: serializeCallback(generator.streamingCallback),
  };
}

/** The init state both local generators keep, resolved from their options. */
export interface LocalGeneratorSettings {
  token: Secret | undefined;
  huggingfacePipelineKwargs: Record<string, unknown>;
  /** A token given inline in `huggingface_pipeline_kwargs`: used, never serialized (as in Haystack). */
  inlineToken: string | undefined;
  /** The given kwargs with `max_new_tokens` (512) and the task's defaults filled in. */
  generationKwargs: Record<string, unknown>;
}

/** Resolves the options both local generators share, with Haystack's defaults and its check of `stop_words`. */
export function resolveLocalGeneratorSettings(
  options: LocalGeneratorInitOptions,
  defaultModel: string,
  tasks: readonly LocalTask[] = LOCAL_TASKS,
): LocalGeneratorSettings {
  const token = options.token === undefined ? defaultHuggingFaceToken() : (options.token ?? undefined);
  const resolved = resolvePipelineKwargs(options, defaultModel, tasks);
  const generationKwargs = { ...options.generationKwargs };
  if (options.stopWords && options.stopWords.length > 0 && 'stopping_criteria' in generationKwargs) {
    throw new ConfigurationError(
      'stop_words',
      'Found both the `stop_words` init parameter and the `stopping_criteria` key in `generation_kwargs`. Please specify only one of them.',
    );
  }
  applyTaskDefaults(resolved.kwargs, generationKwargs);
  generationKwargs.max_new_tokens ??= 512;
  return { token, huggingfacePipelineKwargs: resolved.kwargs, inlineToken: resolved.inlineToken, generationKwargs };
}

/** Haystack returns only the new text of decoder models unless `return_full_text` says otherwise. */
function applyTaskDefaults(pipelineKwargs: Record<string, unknown>, generationKwargs: Record<string, unknown>): void {
  if (pipelineKwargs.task === 'text-generation') generationKwargs.return_full_text ??= false;
}

/** The part of a local generator the helpers below read and complete; it is also the worker's holder. */
export interface LocalPipelineHolder {
  readonly typeName: string;
  readonly huggingfacePipelineKwargs: Record<string, unknown>;
  readonly generationKwargs: Record<string, unknown>;
}

/** Loads the model in the worker `holder` holds; infers the task from the model's config when it was not given. */
export async function loadLocalModel(holder: LocalPipelineHolder, token: string | undefined): Promise<void> {
  const worker = holdLocalModelWorker(holder);
  const task = await worker.load(toPipelineSpec(holder.huggingfacePipelineKwargs), token);
  if (holder.huggingfacePipelineKwargs.task === undefined) {
    holder.huggingfacePipelineKwargs.task = checkTask(task);
    applyTaskDefaults(holder.huggingfacePipelineKwargs, holder.generationKwargs);
  }
}

/** One generation to run: the input, the run's merged kwargs and stop words, and where its pieces stream to. */
export interface LocalGenerationRequest {
  input: GenerationInput;
  generationKwargs: Record<string, unknown>;
  stopWords: string[];
  callback?: StreamingCallback;
  signal?: AbortSignal;
}

/** One reply with what both generators put in its meta. */
export interface LocalReply {
  text: string;
  /** It used all of `max_new_tokens`, so it was likely cut short (`finish_reason: length`). */
  reachedMaxNewTokens: boolean;
  usage: { completion_tokens: number; prompt_tokens: number; total_tokens: number };
}

/** Runs `request` in `worker` for `holder`'s pipeline; streamed pieces reach the callback before this resolves. */
export async function generateLocally(
  worker: LocalModelWorkerClient,
  holder: LocalPipelineHolder,
  request: LocalGenerationRequest,
  token: string | undefined,
): Promise<{ model: string; replies: LocalReply[] }> {
  const model = holder.huggingfacePipelineKwargs.model as string;
  const delivery = request.callback ? new ChunkDelivery(request.callback, holder.typeName, model) : undefined;
  const result = await worker.generate(
    {
      pipeline: toPipelineSpec(holder.huggingfacePipelineKwargs),
      input: request.input,
      generationKwargs: request.generationKwargs,
      stopWords: request.stopWords,
      stream: delivery !== undefined,
    },
    token,
    { signal: request.signal, onChunk: delivery?.push },
  );
  await delivery?.finish();
  const maxNewTokens =
    typeof request.generationKwargs.max_new_tokens === 'number'
      ? request.generationKwargs.max_new_tokens
      : Number.POSITIVE_INFINITY;
  const replies = result.replies.map((reply) => ({
    text: reply.text,
    reachedMaxNewTokens: reply.completionTokens >= maxNewTokens,
    usage: {
      completion_tokens: reply.completionTokens,
      prompt_tokens: result.promptTokens,
      total_tokens: result.promptTokens + reply.completionTokens,
    },
  }));
  return { model, replies };
}
