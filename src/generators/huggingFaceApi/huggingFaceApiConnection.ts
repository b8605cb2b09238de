// The one connection of both Hugging Face API generators (text and chat): `api_type`, `api_params` and `token`,
// read, checked as Haystack checks them and serialized here once, and the call every run makes from them.
import { describe } from '../../core/chatMessage';
import type { TokenLimits } from '../../core/descriptor';
import { ConfigurationError, missingSecretError } from '../../core/errors';
import { Secret, secretFromDict, secretToDict } from '../../core/secret';
import { deserializeCallback, type CallbackReference, type InitParameterReader } from '../../core/serialization';
import {
  HFApiCall,
  loadHuggingFaceInference,
  type HFApiParams,
  type HFApiTarget,
  type HFServiceUrls,
} from './huggingFaceApiCall';
import { HFGenerationAPIType, hfGenerationApiTypeFromString } from './huggingFaceApiType';

const SUPPORTED_KEYS = ['model', 'url', 'provider', 'timeout', 'headers', 'bill_to'];

/**
 * Validates `api_params` for `apiType` as Haystack does (same messages for a missing `model` or `url`), and checks
 * the other keys, which Haystack hands to huggingface_hub's `InferenceClient`.
 */
function resolveHFApiParams(apiType: HFGenerationAPIType, apiParams: Record<string, unknown>): HFApiParams {
  for (const key of Object.keys(apiParams)) {
    if (!SUPPORTED_KEYS.includes(key)) {
      throw new ConfigurationError(
        `api_params.${key}`,
        `is not supported here; use only ${SUPPORTED_KEYS.join(', ')}.`,
      );
    }
  }
  // An empty string counts as not given: settings forms leave unused fields empty.
  const text = (key: string): string | undefined => {
    const value = apiParams[key];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
    if (typeof value !== 'string')
      throw new ConfigurationError(`api_params.${key}`, `expected a string, got ${describe(value)}.`);
    return value;
  };
  const provider = text('provider');
  let target: HFApiTarget;
  if (apiType === HFGenerationAPIType.SERVERLESS_INFERENCE_API) {
    const model = text('model');
    if (model === undefined) {
      throw new ConfigurationError(
        'api_params.model',
        'To use the Serverless Inference API, you need to specify the `model` parameter in `api_params`.',
      );
    }
    target = { kind: 'serverless', model, provider };
  } else {
    const url = text('url');
    if (url === undefined) {
      throw new ConfigurationError(
        'api_params.url',
        'To use Text Generation Inference or Inference Endpoints, you need to specify the `url` parameter in `api_params`.',
      );
    }
    if (!isValidHttpUrl(url))
      throw new ConfigurationError('api_params.url', `Invalid URL: ${url}. Give an http:// or https:// address.`);
    if (provider !== undefined) {
      throw new ConfigurationError(
        'api_params.provider',
        `only applies to serverless_inference_api; remove it when calling a url (${apiType}).`,
      );
    }
    target = { kind: 'url', url, model: text('model') };
  }
  return {
    target,
    timeoutSeconds: readTimeout(apiParams.timeout),
    headers: readHeaders(apiParams.headers),
    billTo: text('bill_to'),
  };
}

/** Haystack's `is_valid_http_url`: an http(s) scheme and a host. */
function isValidHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host !== '';
  } catch {
    return false;
  }
}

function readTimeout(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(
      'api_params.timeout',
      `expected a number of seconds greater than 0, got ${describe(value)}.`,
    );
  }
  return value;
}

function readHeaders(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new ConfigurationError('api_params.headers', 'expected an object of header names to string values.');
  }
  return { ...(value as Record<string, string>) };
}

/** Haystack's default token: `Secret.from_env_var(["HF_API_TOKEN", "HF_TOKEN"], strict=False)`. */
function defaultHFToken(): Secret {
  return Secret.fromEnvVar(['HF_API_TOKEN', 'HF_TOKEN'], { strict: false });
}

/** The options, as given to either generator, that say where and how to call. */
export interface HuggingFaceApiConnectionOptions {
  apiType: HFGenerationAPIType | string;
  apiParams: Record<string, unknown>;
  /** `undefined` takes the HF_API_TOKEN / HF_TOKEN default; `null` sends no token. */
  token?: Secret | null;
}

/** What one run needs to call: the library, the call's options and timeout handling, the resolved token and target. */
export interface HFApiRunSession {
  hf: Awaited<ReturnType<typeof loadHuggingFaceInference>>;
  call: HFApiCall;
  token: string | undefined;
  target: HFApiTarget;
}

/** `api_type`, `api_params` and `token` once checked, with what `api_params` resolves to. */
export class HuggingFaceApiConnection {
  readonly apiType: HFGenerationAPIType;
  readonly apiParams: Record<string, unknown>;
  readonly token: Secret | undefined;
  readonly params: HFApiParams;

  /** Checks the options as Haystack's constructors do, in the same order and with the same messages. */
  constructor(
    options: HuggingFaceApiConnectionOptions,
    private readonly serviceUrls?: HFServiceUrls,
  ) {
    this.apiType = hfGenerationApiTypeFromString(options.apiType);
    if (typeof options.apiParams !== 'object' || options.apiParams === null || Array.isArray(options.apiParams)) {
      throw new ConfigurationError(
        'api_params',
        'is required: an object with `url` (TGI, Inference Endpoints) or `model` (serverless_inference_api).',
      );
    }
    this.apiParams = { ...options.apiParams };
    this.params = resolveHFApiParams(this.apiType, this.apiParams);
    this.token = options.token === undefined ? defaultHFToken() : (options.token ?? undefined);
  }

  get target(): HFApiTarget {
    return this.params.target;
  }

  /**
   * The token for one run. TGI and Inference Endpoints may be open, so no token is fine there; the Inference
   * Providers router always needs one, so its absence is reported before any request is sent.
   */
  resolveToken(): string | undefined {
    const value = this.token?.resolveValue() || undefined;
    if (value === undefined && this.target.kind === 'serverless') {
      throw missingSecretError(
        'The Serverless Inference API (Inference Providers) needs a Hugging Face token',
        this.token && this.token.envVars.length > 0 ? this.token.envVars : ['HF_API_TOKEN', 'HF_TOKEN'],
      );
    }
    return value;
  }

  /** Runs `body` with a call set up for one run; the call is disposed however `body` ends. */
  async withCall<T>(signal: AbortSignal | undefined, body: (session: HFApiRunSession) => Promise<T>): Promise<T> {
    const token = this.resolveToken();
    const hf = await loadHuggingFaceInference();
    const call = new HFApiCall({
      params: this.params,
      token,
      envVars: this.token?.envVars ?? [],
      serviceUrls: this.serviceUrls,
      signal,
    });
    try {
      return await body({ hf, call, token, target: this.target });
    } finally {
      call.dispose();
    }
  }

  /** The leading `init_parameters` of both generators' `toDict()`; the token as an env-var reference, never a value. */
  toInitParameters(): Record<string, unknown> {
    return { api_type: this.apiType, api_params: { ...this.apiParams }, token: secretToDict(this.token) };
  }

  static readOptions(reader: InitParameterReader): HuggingFaceApiConnectionOptions {
    const apiParams = reader.record('api_params');
    if (apiParams === undefined)
      throw new ConfigurationError('init_parameters.api_params', 'is required: an object with `url` or `model`.');
    return {
      apiType: hfGenerationApiTypeFromString(reader.raw('api_type'), 'init_parameters.api_type'),
      apiParams,
      token: reader.has('token') ? (secretFromDict(reader.raw('token'), 'init_parameters.token') ?? null) : undefined,
    };
  }
}

/** The options both generators read from `init_parameters` alike; the chat generator adds its tools. */
export function readHFApiGeneratorOptions(reader: InitParameterReader): HuggingFaceApiConnectionOptions & {
  generationKwargs?: Record<string, unknown>;
  stopWords?: string[];
  streamingCallback?: CallbackReference;
} {
  return {
    ...HuggingFaceApiConnection.readOptions(reader),
    generationKwargs: reader.record('generation_kwargs'),
    stopWords: reader.stringList('stop_words'),
    streamingCallback: deserializeCallback(reader.raw('streaming_callback')),
  };
}

/** The wizard's questions for both Hugging Face API generators. */
export const HF_API_WIZARD_FIELDS = [
  {
    path: 'api_type',
    prompt: 'Hugging Face API type',
    choices: ['serverless_inference_api', 'inference_endpoints', 'text_generation_inference'],
  },
  { path: 'api_params.model', prompt: 'Model id (serverless API) — leave empty for an endpoint URL', optional: true },
  {
    path: 'api_params.url',
    prompt: 'Endpoint URL (inference endpoints / TGI) — leave empty for a model id',
    optional: true,
  },
];

/** The models are the user's choice: TGI's default request limits (4k tokens in all, 512 new) hold for every one. */
export const HF_API_TOKEN_LIMITS: TokenLimits = { contextWindow: 4_096, maxOutputTokens: 512 };

/** Whether `api_type` in these init parameters points at a TGI server (self-hosted or an Inference Endpoint). */
export function isTgi(initParameters: Record<string, unknown>): boolean {
  const apiType = initParameters.api_type;
  return apiType === 'text_generation_inference' || apiType === 'inference_endpoints';
}
