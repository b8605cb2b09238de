// What both local Hugging Face generators share: Haystack's `huggingface_pipeline_kwargs` resolution, the token,
// and the translation to the worker's pipeline spec.
import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError } from '../../core/errors';
import { Secret } from '../../core/secret';
import type { PipelineSpec } from '../../worker/localModelProtocol';

/** The tasks of Haystack's local text generator. */
export const LOCAL_TASKS = ['text-generation', 'text2text-generation'] as const;
/**
 * The chat generator's: Haystack 2.27+ also takes `image-text-to-text` (multimodal models run on text-only input,
 * its "partial support"), which the worker runs as text generation.
 */
export const LOCAL_CHAT_TASKS = [...LOCAL_TASKS, 'image-text-to-text'] as const;
export type LocalTask = (typeof LOCAL_CHAT_TASKS)[number];

/** The init options both local generators take, after Haystack's parameters of the same names. */
export interface LocalPipelineOptions {
  /** Hugging Face model id, or a local folder holding config.json, tokenizer files and onnx/. */
  model?: string;
  /** Inferred from the model's config.json (encoder-decoder -> text2text-generation) when not given. */
  task?: LocalTask;
  /** `cpu` (default), `cuda` / `cuda:0`, `dml`, `webgpu` or `auto`. */
  device?: string;
  /** Bearer token for gated hub models; defaults to the HF_API_TOKEN / HF_TOKEN variables, if set. */
  token?: Secret | null;
  /** Override `model`, `task`, `device` and `token`; `dtype` and `revision` are passed to transformers.js. */
  huggingfacePipelineKwargs?: Record<string, unknown>;
}

export const defaultHuggingFaceToken = () => Secret.fromEnvVar(['HF_API_TOKEN', 'HF_TOKEN'], { strict: false });

/** The resolved pipeline kwargs, plus a token given inline in them (never serialized, as in Haystack). */
export interface ResolvedPipelineKwargs {
  kwargs: Record<string, unknown>;
  inlineToken?: string;
}

/** Haystack's `resolve_hf_pipeline_kwargs`, except that an unknown task is left for the worker to infer. */
export function resolvePipelineKwargs(
  options: LocalPipelineOptions,
  defaultModel: string,
  tasks: readonly LocalTask[] = LOCAL_TASKS,
): ResolvedPipelineKwargs {
  const { token, ...kwargs } = options.huggingfacePipelineKwargs ?? {};
  kwargs.model ??= options.model ?? defaultModel;
  if (typeof kwargs.model !== 'string' || kwargs.model === '') {
    throw new ConfigurationError(
      'huggingface_pipeline_kwargs.model',
      'expected a Hugging Face model id or a local folder path.',
    );
  }
  if (kwargs.device === undefined && kwargs.device_map === undefined) kwargs.device = options.device ?? 'cpu';
  const task = kwargs.task ?? options.task;
  if (task !== undefined) kwargs.task = checkTask(task, tasks);
  if (token !== undefined && token !== null && typeof token !== 'string') {
    throw new ConfigurationError(
      'huggingface_pipeline_kwargs.token',
      'expected a token string; prefer the `token` parameter with an env-var secret.',
    );
  }
  return { kwargs, inlineToken: token ?? undefined };
}

export function checkTask(task: unknown, tasks: readonly LocalTask[] = LOCAL_TASKS): LocalTask {
  if (!tasks.includes(task as LocalTask)) {
    throw new ConfigurationError(
      'task',
      `Task '${String(task)}' is not supported. The supported tasks are: ${tasks.join(', ')}.`,
    );
  }
  return task as LocalTask;
}

/** The worker's view of the kwargs: a model path made absolute, Haystack's device names mapped to transformers.js'. */
export function toPipelineSpec(kwargs: Record<string, unknown>): PipelineSpec {
  const model = kwargs.model as string;
  const looksLikePath = isAbsolute(model) || model.startsWith('.') || model.startsWith('~');
  const spec: PipelineSpec = {
    model: looksLikePath
      ? resolve(model.replace(/^~(?=$|[\\/])/, process.env.HOME ?? process.env.USERPROFILE ?? '~'))
      : model,
    device: transformersDevice(kwargs.device, kwargs.device_map),
  };
  if (typeof kwargs.task === 'string') spec.task = kwargs.task;
  if (typeof kwargs.dtype === 'string') spec.dtype = kwargs.dtype;
  if (typeof kwargs.revision === 'string') spec.revision = kwargs.revision;
  return spec;
}

function transformersDevice(device: unknown, deviceMap: unknown): string {
  if (typeof device !== 'string') return deviceMap === undefined ? 'cpu' : 'auto';
  // Haystack's ComponentDevice strings (`cuda:0`) name a GPU index that onnxruntime-node chooses itself.
  if (/^cuda(:\d+)?$/.test(device)) return 'cuda';
  if (device === 'mps') return 'auto';
  return device;
}

/** The token for the worker: one given inline in the pipeline kwargs wins, as in Haystack. */
export function resolveToken(secret: Secret | undefined, inlineToken: string | undefined): string | undefined {
  return inlineToken ?? secret?.resolveValue();
}
