// The IPC contract between the host (LocalModelWorkerClient) and the local-model child process.
// Type-only: both sides import it, neither pulls code from the other. Every request has an `id`, and ends with
// exactly one `loaded`, `done`, `tokenCount`, `cancelled` or `error` message carrying that id.

/** Which pipeline to use; two requests with equal specs share one loaded pipeline in the worker. */
export interface PipelineSpec {
  /** A Hugging Face hub id (`org/name`) or an absolute path to a local model folder. */
  model: string;
  /** `text-generation` or `text2text-generation`; inferred from the model's config.json when absent. */
  task?: string;
  /** transformers.js device (`cpu`, `cuda`, `dml`, `webgpu`, `auto`). */
  device: string;
  /** transformers.js `dtype` (`fp32`, `q8`, ...); the model's `transformers.js_config` decides when absent. */
  dtype?: string;
  revision?: string;
}

/** Worker-wide settings the host sends after starting the worker and whenever they change. */
export interface WorkerSettings {
  /** Where downloaded model files are cached (the extension's global storage). */
  cacheDir?: string;
  allowRemoteDownloads: boolean;
}

/** A chat message as chat templates expect it (Haystack's `convert_message_to_hf_format`). */
export interface TemplateMessage {
  role: string;
  content: string;
  tool_calls?: { type: 'function'; function: { name: string; arguments: Record<string, unknown> }; id?: string }[];
  /** On tool messages: the id of the call this result answers. */
  tool_call_id?: string;
}

/** What to generate from: a raw prompt, or chat messages rendered by the tokenizer's chat template. */
export type GenerationInput =
  | { kind: 'text'; prompt: string }
  | {
      kind: 'chat';
      messages: TemplateMessage[];
      chatTemplate?: string;
      tools?: Record<string, unknown>[];
      /** The template's `enable_thinking` variable; left undefined when not given. */
      enableThinking?: boolean;
    };

export interface GenerateRequest {
  pipeline: PipelineSpec;
  input: GenerationInput;
  /** Hugging Face generation kwargs (snake_case) after the run-time merge; `stop_sequences` already removed. */
  generationKwargs: Record<string, unknown>;
  /** Generation stops when the text contains one; it is cut from the reply and never streamed. */
  stopWords: string[];
  /** Send `chunk` messages as text is generated (forces a single reply). */
  stream: boolean;
}

export type HostToWorker =
  | { type: 'configure'; settings: WorkerSettings }
  | { type: 'load'; id: number; pipeline: PipelineSpec; token?: string }
  | { type: 'generate'; id: number; request: GenerateRequest; token?: string }
  | { type: 'cancel'; id: number }
  | { type: 'countTokens'; id: number; pipeline: PipelineSpec; text: string }
  | { type: 'shutdown' };

/** One generated reply with its token count, as the tokenizer counts it. */
export interface GeneratedReply {
  text: string;
  completionTokens: number;
  /** True when the stop came from a stop word (the word is already cut from `text`). */
  stoppedByStopWord: boolean;
}

export interface GenerateResult {
  replies: GeneratedReply[];
  promptTokens: number;
  /** The rendered prompt (chat requests); tests and logs use it to see what the model received. */
  prompt: string;
  task: string;
}

/** Model-file download progress, from transformers.js' `progress_callback`. */
export interface ModelProgress {
  model: string;
  /**
   * transformers.js' statuses: `initiate`, `download`, `progress` (per file, with `progress`), `progress_total`,
   * `done` (a file), `ready` (the pipeline loaded); plus `error` when the load failed.
   */
  status: string;
  file?: string;
  /** Percent of `file`, 0-100. */
  progress?: number;
  loaded?: number;
  total?: number;
}

/** Why a worker request failed; `code` maps onto GeneratorErrorCode on the host. */
export interface WorkerFailure {
  message: string;
  code: 'configuration' | 'bad_request' | 'network' | 'unknown';
}

export type WorkerToHost =
  | { type: 'loaded'; id: number; task: string }
  | { type: 'progress'; id: number; progress: ModelProgress }
  | { type: 'chunk'; id: number; text: string }
  | { type: 'done'; id: number; result: GenerateResult }
  | { type: 'cancelled'; id: number; completionTokens: number }
  /** `tokens` is null when the pipeline is not loaded: counting never loads (or downloads) a model. */
  | { type: 'tokenCount'; id: number; tokens: number | null }
  | { type: 'error'; id: number; error: WorkerFailure };
