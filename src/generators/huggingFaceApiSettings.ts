// What both Hugging Face API generators (text and chat) take, check and serialize alike: `api_type`, `api_params`
// and `token`, and the setup every run makes from them (the token, the library, one HFApiCall).
import { ConfigurationError } from '../core/errors';
import { type Secret, secretFromDict, secretToDict } from '../core/secret';
import { type CallbackReference, type InitParameterReader, deserializeCallback } from '../core/serialization';
import { HFApiCall, type HFServiceUrls, loadHuggingFaceInference } from './huggingFaceApiClient';
import {
  type HFApiConnection,
  type HFApiTarget,
  defaultHFToken,
  resolveHFApiConnection,
  resolveHFToken,
} from './huggingFaceApiParams';
import { type HFGenerationAPIType, hfGenerationApiTypeFromString } from './huggingFaceApiType';

/** The options, as given to either generator, that say where and how to call. */
export interface HFApiSettingsOptions {
  apiType: HFGenerationAPIType | string;
  apiParams: Record<string, unknown>;
  /** `undefined` takes the HF_API_TOKEN / HF_TOKEN default; `null` sends no token. */
  token?: Secret | null;
}

/** `api_type`, `api_params` and `token` once checked, with the connection `api_params` resolves to. */
export interface HFApiSettings {
  apiType: HFGenerationAPIType;
  apiParams: Record<string, unknown>;
  token: Secret | undefined;
  connection: HFApiConnection;
}

/** Checks the options as Haystack's constructors do, in the same order and with the same messages. */
export function resolveHFApiSettings(options: HFApiSettingsOptions): HFApiSettings {
  const apiType = hfGenerationApiTypeFromString(options.apiType);
  if (typeof options.apiParams !== 'object' || options.apiParams === null || Array.isArray(options.apiParams)) {
    throw new ConfigurationError(
      'api_params',
      'is required: an object with `url` (TGI, Inference Endpoints) or `model` (serverless_inference_api).',
    );
  }
  const apiParams = { ...options.apiParams };
  const connection = resolveHFApiConnection(apiType, apiParams);
  const token = options.token === undefined ? defaultHFToken() : (options.token ?? undefined);
  return { apiType, apiParams, token, connection };
}

/** The leading `init_parameters` of both generators' `toDict()`; the token as an env-var reference, never a value. */
export function hfApiSettingsToDict(
  settings: Pick<HFApiSettings, 'apiType' | 'apiParams' | 'token'>,
): Record<string, unknown> {
  return { api_type: settings.apiType, api_params: { ...settings.apiParams }, token: secretToDict(settings.token) };
}

/** The options both generators read from `init_parameters` alike; the chat generator adds its tools. */
export interface HFApiInitOptions extends HFApiSettingsOptions {
  generationKwargs?: Record<string, unknown>;
  stopWords?: string[];
  streamingCallback?: CallbackReference;
}

/** Reads the init parameters both generators share, as `fromDict` does for each. */
export function readHFApiInitOptions(reader: InitParameterReader): HFApiInitOptions {
  const apiParams = reader.record('api_params');
  if (apiParams === undefined)
    throw new ConfigurationError('init_parameters.api_params', 'is required: an object with `url` or `model`.');
  return {
    apiType: hfGenerationApiTypeFromString(reader.raw('api_type'), 'init_parameters.api_type'),
    apiParams,
    token: reader.has('token') ? (secretFromDict(reader.raw('token'), 'init_parameters.token') ?? null) : undefined,
    generationKwargs: reader.record('generation_kwargs'),
    stopWords: reader.stringList('stop_words'),
    streamingCallback: deserializeCallback(reader.raw('streaming_callback')),
  };
}

/** What one run needs to call: the library, the call's options and timeout handling, the resolved token and target. */
export interface HFApiRunSession {
  hf: Awaited<ReturnType<typeof loadHuggingFaceInference>>;
  call: HFApiCall;
  token: string | undefined;
  target: HFApiTarget;
}

/**
 * Runs `body` with a call set up from `connection` and `token`. A missing token for Inference Providers is reported
 * before the library is loaded; the call is disposed however `body` ends.
 */
export async function withHFApiCall<T>(
  setup: { connection: HFApiConnection; token: Secret | undefined; serviceUrls?: HFServiceUrls; signal?: AbortSignal },
  body: (session: HFApiRunSession) => Promise<T>,
): Promise<T> {
  const target = setup.connection.target;
  const token = resolveHFToken(setup.token, target);
  const hf = await loadHuggingFaceInference();
  const call = new HFApiCall({
    connection: setup.connection,
    token,
    serviceUrls: setup.serviceUrls,
    signal: setup.signal,
  });
  try {
    return await body({ hf, call, token, target });
  } finally {
    call.dispose();
  }
}
