import { describe } from '../core/chatMessage';
import { ConfigurationError, GeneratorError } from '../core/errors';
import { Secret } from '../core/secret';
import { HFGenerationAPIType } from './huggingFaceApiType';

/** Where a Hugging Face API generator sends its requests, resolved from `api_type` and `api_params`. */
export type HFApiTarget =
  /** Inference Providers: the router picks the provider's server for `model`. */
  | { kind: 'serverless'; model: string; provider?: string }
  /** A TGI server or an Inference Endpoint at `url`; `model`, when given, names the served model in chat requests. */
  | { kind: 'url'; url: string; model?: string };

/** Everything `api_params` configures for the HTTP calls. */
export interface HFApiConnection {
  target: HFApiTarget;
  /** Seconds to wait for the server to answer (and between streamed events), as huggingface_hub's `timeout`. */
  timeoutSeconds?: number;
  /** Extra HTTP headers sent with every request. */
  headers: Record<string, string>;
  /** The organization billed for Inference Providers requests (`X-HF-Bill-To`). */
  billTo?: string;
}

const SUPPORTED_KEYS = ['model', 'url', 'provider', 'timeout', 'headers', 'bill_to'];

/**
 * Validates `api_params` for `apiType` as Haystack does (same messages for a missing `model` or `url`), and checks
 * the other keys, which Haystack hands to huggingface_hub's `InferenceClient`.
 */
export function resolveHFApiConnection(
  apiType: HFGenerationAPIType,
  apiParams: Record<string, unknown>,
): HFApiConnection {
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
export function defaultHFToken(): Secret {
  return Secret.fromEnvVar(['HF_API_TOKEN', 'HF_TOKEN'], { strict: false });
}

/**
 * The token for one run. TGI and Inference Endpoints may be open, so no token is fine there; the Inference
 * Providers router always needs one, so its absence is reported before any request is sent.
 */
export function resolveHFToken(token: Secret | undefined, target: HFApiTarget): string | undefined {
  const value = token?.resolveValue();
  if (value === undefined && target.kind === 'serverless') {
    const names = token && token.envVars.length > 0 ? token.envVars.join(' or ') : 'HF_API_TOKEN or HF_TOKEN';
    throw new GeneratorError(
      `The Serverless Inference API (Inference Providers) needs a Hugging Face token, but none is set: run 'Generators: Set API Key' or set ${names}.`,
      { code: 'missing_secret' },
    );
  }
  return value;
}
