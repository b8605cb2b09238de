// Loads transformers.js pipelines in the worker and keeps each one, keyed by model/task/device/dtype/revision.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, sep } from 'node:path';
import type { ModelProgress, PipelineSpec, WorkerSettings } from './localModelProtocol';
import { WorkerRequestError } from './workerRequestError';

type Transformers = typeof import('@huggingface/transformers');

/** The parts of a transformers.js tokenizer the worker uses. */
export interface LocalTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  decode(ids: (number | bigint)[], options?: { skip_special_tokens?: boolean }): string;
  apply_chat_template(conversation: unknown[], options: Record<string, unknown>): unknown;
}

/** A loaded text-generation or text2text-generation pipeline. */
export interface LocalPipeline {
  (input: string, kwargs: Record<string, unknown>): Promise<unknown>;
  tokenizer: LocalTokenizer;
}

export interface LoadedPipeline {
  pipeline: LocalPipeline;
  task: string;
}

export const SUPPORTED_TASKS = ['text-generation', 'text2text-generation', 'image-text-to-text'];

/**
 * The transformers.js pipeline a task runs on. It has no image-text-to-text pipeline; Haystack itself runs such
 * multimodal models on text-only input, which the text-generation pipeline does for models it can load.
 */
function pipelineTask(task: string): 'text-generation' | 'text2text-generation' {
  return task === 'text2text-generation' ? 'text2text-generation' : 'text-generation';
}

let transformers: Promise<Transformers> | undefined;

/** transformers.js and onnxruntime load on first use, so a worker that only answers `shutdown` stays light. */
export function loadTransformers(): Promise<Transformers> {
  transformers ??= import('@huggingface/transformers');
  return transformers;
}

export class PipelineCache {
  private readonly pipelines = new Map<string, Promise<LoadedPipeline>>();
  // transformers.js reads its settings from a global `env`; loads run one at a time so each sees its own.
  private loading: Promise<unknown> = Promise.resolve();
  private settings: WorkerSettings = { allowRemoteDownloads: true };

  configure(settings: WorkerSettings): void {
    this.settings = settings;
  }

  /** The cached pipeline for `spec`, loading it (once, even for concurrent callers) when missing. */
  get(
    spec: PipelineSpec,
    token: string | undefined,
    onProgress: (progress: ModelProgress) => void,
  ): Promise<LoadedPipeline> {
    const key = pipelineKey(spec);
    let entry = this.pipelines.get(key);
    if (!entry) {
      const load = this.loading.then(() => this.load(spec, token, onProgress));
      this.loading = load.catch(() => undefined);
      entry = load;
      this.pipelines.set(key, entry);
      // A failed load is not cached: the next request tries again (e.g. after the user fixes the path).
      entry.catch(() => this.pipelines.delete(key));
    }
    return entry;
  }

  /**
   * The pipeline for `spec` if it is loaded or loading; never starts a load. A pipeline loaded before its task was
   * known (a warm-up infers it) has the same model and tokenizer, so it answers too.
   */
  loaded(spec: PipelineSpec): Promise<LoadedPipeline> | undefined {
    return this.pipelines.get(pipelineKey(spec)) ?? this.pipelines.get(pipelineKey({ ...spec, task: undefined }));
  }

  private async load(
    spec: PipelineSpec,
    token: string | undefined,
    onProgress: (progress: ModelProgress) => void,
  ): Promise<LoadedPipeline> {
    const tf = await loadTransformers();
    const progress_callback = (info: Record<string, unknown>) =>
      onProgress({
        model: spec.model,
        status: String(info.status),
        file: typeof info.file === 'string' ? info.file : undefined,
        progress: typeof info.progress === 'number' ? info.progress : undefined,
        loaded: typeof info.loaded === 'number' ? info.loaded : undefined,
        total: typeof info.total === 'number' ? info.total : undefined,
      });
    const previousToken = process.env.HF_TOKEN;
    if (token) process.env.HF_TOKEN = token;
    try {
      const modelId = this.pointEnvAt(tf, spec.model);
      const task = spec.task ?? (await this.inferTask(tf, modelId, spec, progress_callback));
      if (!SUPPORTED_TASKS.includes(task)) {
        throw new WorkerRequestError(
          `Task '${task}' is not supported. The supported tasks are: ${SUPPORTED_TASKS.join(', ')}.`,
          'configuration',
        );
      }
      const options: Record<string, unknown> = { device: spec.device, progress_callback };
      if (spec.dtype) options.dtype = spec.dtype;
      if (spec.revision) options.revision = spec.revision;
      const pipeline = (await tf.pipeline(pipelineTask(task), modelId, options)) as unknown as LocalPipeline;
      return { pipeline, task };
    } catch (error) {
      // Hosts close their download notification on 'ready'; a failed load must end it too.
      onProgress({ model: spec.model, status: 'error' });
      throw this.explainLoadFailure(spec, error);
    } finally {
      if (token) {
        if (previousToken === undefined) delete process.env.HF_TOKEN;
        else process.env.HF_TOKEN = previousToken;
      }
    }
  }

  /** Sets transformers.js' global `env` for this model and returns the id to load it by. */
  private pointEnvAt(tf: Transformers, model: string): string {
    tf.env.cacheDir = this.settings.cacheDir ?? tf.env.cacheDir;
    if (isAbsolute(model)) {
      if (!existsSync(model) || !statSync(model).isDirectory()) {
        throw new WorkerRequestError(
          `The local model folder ${model} does not exist. Give the folder that holds config.json, or a Hugging Face model id.`,
          'configuration',
        );
      }
      tf.env.allowLocalModels = true;
      tf.env.allowRemoteModels = false;
      tf.env.localModelPath = dirname(model) + sep;
      return basename(model);
    }
    tf.env.allowRemoteModels = this.settings.allowRemoteDownloads;
    // transformers.js refuses to look anywhere, even in its cache, when local and remote loading are both off;
    // with downloads off, "local" is pointed at the cache folder, so only cached files can load.
    tf.env.allowLocalModels = !this.settings.allowRemoteDownloads;
    tf.env.localModelPath = tf.env.cacheDir ?? '';
    // HF_ENDPOINT names a hub mirror, as for the Python hub client.
    const endpoint = process.env.HF_ENDPOINT;
    if (endpoint) tf.env.remoteHost = endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
    return model;
  }

  /** Haystack asks the hub for the task; the model's own config says the same: encoder-decoder models are text2text. */
  private async inferTask(
    tf: Transformers,
    modelId: string,
    spec: PipelineSpec,
    progress_callback: (info: Record<string, unknown>) => void,
  ): Promise<string> {
    const config = (await tf.AutoConfig.from_pretrained(modelId, {
      revision: spec.revision,
      progress_callback,
    } as never)) as unknown as Record<string, unknown>;
    return config.is_encoder_decoder === true ? 'text2text-generation' : 'text-generation';
  }

  private explainLoadFailure(spec: PipelineSpec, error: unknown): Error {
    if (error instanceof WorkerRequestError) return error;
    const detail = error instanceof Error ? error.message : String(error);
    if (!isAbsolute(spec.model) && !this.settings.allowRemoteDownloads) {
      return new WorkerRequestError(
        `Could not load the local model "${spec.model}": its files are not in the model cache and remote model downloads are turned off. ` +
          `Turn remote downloads on, or set the model to a local folder path. (${detail})`,
        'configuration',
      );
    }
    const offline = /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i.test(detail);
    return new WorkerRequestError(
      `Could not load the local model "${spec.model}" (${spec.task ?? 'task inferred'}, device ${spec.device}): ${detail}` +
        (offline ? ' Check the network connection to huggingface.co, or set the model to a local folder path.' : ''),
      offline ? 'network' : 'configuration',
    );
  }
}

function pipelineKey(spec: PipelineSpec): string {
  return JSON.stringify([spec.model, spec.task ?? null, spec.device, spec.dtype ?? null, spec.revision ?? null]);
}
