// The connection every generator on an OpenAI-compatible API shares (OpenAI, AIMLAPI, Responses, DALL·E): the key,
// base URL, organization, timeout, retries and `http_client_kwargs`, each read, checked and serialized here once.
// The `openai` SDK is loaded on first use so that activating the extension does not pay for it.
import type { OpenAI } from 'openai';
import { GeneratorError, cancelledError, missingSecretError } from '../../core/errors';
import { Secret, secretFromDict } from '../../core/secret';
import type { InitParameterReader } from '../../core/serialization';
import { ClientCache } from '../shared/clientCache';
import {
  providerHttpError,
  providerNetworkError,
  providerUnknownError,
  retryAfterSeconds,
  systemErrorCode,
  type ProviderContext,
} from '../shared/providerErrors';
import { causeWithoutSecrets } from '../shared/redaction';
import { httpClientOptions } from './httpClientOptions';

export type { ProviderContext } from '../shared/providerErrors';

type OpenAIModule = typeof import('openai');
let sdk: Promise<OpenAIModule> | undefined;
// Kept once loaded so that errors can be told apart by class: the SDK leaves every error's `name` as "Error".
let loadedSdk: OpenAIModule | undefined;

/** Loads the `openai` SDK once. */
export function loadOpenAI(): Promise<OpenAIModule> {
  sdk ??= import('openai').then((module) => (loadedSdk = module));
  return sdk;
}

/** Haystack's fallback: `timeout` or OPENAI_TIMEOUT or 30 seconds. */
export function resolveTimeoutSeconds(timeout: number | undefined, envVar = 'OPENAI_TIMEOUT'): number {
  if (timeout !== undefined) return timeout;
  const fromEnv = Number(process.env[envVar]);
  return process.env[envVar] && Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 30;
}

/** Haystack's fallback: `max_retries` or OPENAI_MAX_RETRIES or 5. */
export function resolveMaxRetries(maxRetries: number | undefined, envVar = 'OPENAI_MAX_RETRIES'): number {
  if (maxRetries !== undefined) return maxRetries;
  const fromEnv = Number.parseInt(process.env[envVar] ?? '', 10);
  return Number.isInteger(fromEnv) && fromEnv >= 0 ? fromEnv : 5;
}

/** What every `openai` SDK client of the project configures, Azure's included. */
export interface ClientSettings {
  organization?: string;
  timeoutSeconds: number;
  maxRetries: number;
  defaultHeaders?: Record<string, string>;
  httpClientKwargs?: Record<string, unknown>;
}

/** The SDK client options `settings` stand for: timeout in ms, and `http_client_kwargs` as fetch options. */
export async function sdkClientOptions(settings: ClientSettings) {
  const http = await httpClientOptions(settings.httpClientKwargs);
  return {
    organization: settings.organization,
    timeout: settings.timeoutSeconds * 1000,
    maxRetries: settings.maxRetries,
    fetch: http.fetch,
    fetchOptions: http.fetchOptions,
    defaultHeaders: { ...http.defaultHeaders, ...settings.defaultHeaders },
  };
}

/** An OpenAI client for `apiKey` at `baseURL` (OpenAI's own API when undefined). */
export async function createOpenAIClient(
  settings: ClientSettings & { apiKey: string; baseURL?: string },
): Promise<OpenAI> {
  const [{ OpenAI }, common] = await Promise.all([loadOpenAI(), sdkClientOptions(settings)]);
  return new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseURL, ...common });
}

/** The init parameters of an OpenAI-compatible connection, camelCase; each defaults as in Haystack. */
export interface OpenAIConnectionOptions {
  apiKey?: Secret;
  apiBaseUrl?: string;
  organization?: string;
  /** Seconds; default OPENAI_TIMEOUT or 30. */
  timeout?: number;
  /** Default OPENAI_MAX_RETRIES or 5. */
  maxRetries?: number;
  /** httpx client options from Python: `proxy`, `verify` and `headers` are honoured, the rest kept for round trips. */
  httpClientKwargs?: Record<string, unknown>;
}

/** Who a connection talks to by default: the provider's name in messages, its key and base URL. */
export interface OpenAIProvider {
  name: string;
  defaultApiKey: () => Secret;
  defaultApiBaseUrl?: string;
}

export const OPENAI: OpenAIProvider = { name: 'OpenAI', defaultApiKey: () => Secret.fromEnvVar('OPENAI_API_KEY') };

/** The resolved connection settings of an OpenAI-compatible generator, and its client. */
export class OpenAIConnection {
  readonly apiKey: Secret;
  readonly apiBaseUrl?: string;
  readonly organization?: string;
  /** As given; `timeoutSeconds` is the value in force. */
  readonly timeout?: number;
  readonly maxRetries?: number;
  readonly httpClientKwargs?: Record<string, unknown>;
  // #private: the cache key is the resolved key, which must not show in JSON.stringify or util.inspect.
  readonly #clients = new ClientCache<OpenAI>();

  constructor(
    options: OpenAIConnectionOptions,
    readonly provider: OpenAIProvider = OPENAI,
  ) {
    this.apiKey = options.apiKey ?? provider.defaultApiKey();
    this.apiBaseUrl = options.apiBaseUrl ?? provider.defaultApiBaseUrl;
    this.organization = options.organization;
    this.timeout = options.timeout;
    this.maxRetries = options.maxRetries;
    this.httpClientKwargs = options.httpClientKwargs;
  }

  get timeoutSeconds(): number {
    return resolveTimeoutSeconds(this.timeout);
  }

  /** The key's value now (it may have changed in SecretStorage); a missing key is an error before any request. */
  resolveApiKey(): string {
    const value = this.apiKey.resolveValue();
    if (!value) throw missingSecretError(`No ${this.provider.name} API key`, this.apiKey.envVars, 'give api_key');
    return value;
  }

  /** The client for the current key, reused while the key stays the same. */
  client(): Promise<OpenAI> {
    const apiKey = this.resolveApiKey();
    return this.#clients.get(apiKey, () =>
      createOpenAIClient({
        apiKey,
        baseURL: this.apiBaseUrl,
        organization: this.organization,
        timeoutSeconds: this.timeoutSeconds,
        maxRetries: resolveMaxRetries(this.maxRetries),
        httpClientKwargs: this.httpClientKwargs,
      }),
    );
  }

  context(): ProviderContext {
    return openAIProviderContext(this.provider.name, [this.apiKey]);
  }

  /** The connection's `init_parameters`, as Haystack writes them (unset values as null). */
  toInitParameters() {
    return {
      api_base_url: this.apiBaseUrl ?? null,
      organization: this.organization ?? null,
      api_key: this.apiKey.toDict(),
      timeout: this.timeout ?? null,
      max_retries: this.maxRetries ?? null,
      http_client_kwargs: this.httpClientKwargs ?? null,
    };
  }

  /** Reads the connection's init parameters; a null or missing `api_key` gives `defaultApiKey`. */
  static readOptions(read: InitParameterReader, defaultApiKey?: Secret): OpenAIConnectionOptions {
    return {
      apiKey: secretFromDict(read.raw('api_key'), 'init_parameters.api_key', defaultApiKey),
      apiBaseUrl: read.string('api_base_url'),
      organization: read.string('organization'),
      timeout: read.number('timeout'),
      maxRetries: read.number('max_retries'),
      httpClientKwargs: read.record('http_client_kwargs'),
    };
  }
}

/** The error context of an OpenAI-SDK provider whose credentials are `secrets`. */
export function openAIProviderContext(
  provider: string,
  secrets: readonly (Secret | null | undefined)[],
): ProviderContext {
  return {
    provider,
    envVars: secrets.flatMap((secret) => secret?.envVars ?? []),
    secrets: secrets.map((secret) => (secret ? valueForRedaction(secret) : undefined)),
    notFoundHint: 'Check the model, deployment and base URL',
    networkHint: 'Check `api_base_url`/endpoint and your network',
  };
}

/** A secret's value for redaction only; a missing key is not an error here. */
function valueForRedaction(secret: Secret): string | undefined {
  try {
    return secret.resolveValue();
  } catch {
    return undefined;
  }
}

/** Turns anything the SDK throws into a GeneratorError that names the provider and the next step. */
export function openAIErrorToGeneratorError(
  error: unknown,
  context: ProviderContext,
  signal?: AbortSignal,
): GeneratorError {
  if (GeneratorError.isInstance(error)) return error;
  if (signal?.aborted) return cancelledError(signal.reason);
  const e = error as { status?: unknown; message?: unknown; headers?: unknown; error?: unknown };
  if (loadedSdk && error instanceof loadedSdk.APIUserAbortError) return cancelledError(error);
  if (loadedSdk && error instanceof loadedSdk.APIConnectionTimeoutError) {
    return new GeneratorError(`${context.provider} did not answer in time. Increase \`timeout\` or try again.`, {
      code: 'timeout',
      isRetryable: true,
      cause: causeWithoutSecrets(error, context.secrets ?? []),
    });
  }
  if (loadedSdk && error instanceof loadedSdk.APIConnectionError)
    return providerNetworkError(context, error, systemErrorCode(error));
  const status = typeof e?.status === 'number' ? e.status : undefined;
  // Without a status, a parse failure (SyntaxError) or a property read on a missing field (TypeError) means a 200
  // reply that was not the JSON or event stream the API promises.
  if (status === undefined && (error instanceof SyntaxError || error instanceof TypeError))
    return unreadableReplyError(context, causeWithoutSecrets(error, context.secrets ?? []));
  if (status === undefined) return providerUnknownError(context, providerMessage(e), error);
  return providerHttpError(context, {
    status,
    detail: providerMessage(e),
    retryAfter: retryAfterSeconds(e.headers),
    cause: error,
  });
}

/** A successful status with a body that is not the reply the API documents: empty, truncated or of another shape. */
export function unreadableReplyError(context: ProviderContext, cause?: unknown): GeneratorError {
  return new GeneratorError(
    `${context.provider} sent a reply that could not be read (empty, cut off or not in the API's format); nothing was generated. ` +
      `Try again; if it repeats, check that \`api_base_url\`/endpoint points at an OpenAI-compatible API.`,
    { code: 'server', isRetryable: true, cause },
  );
}

function providerMessage(e: { message?: unknown; error?: unknown }): string {
  const inner = e?.error as { message?: unknown } | undefined;
  return inner && typeof inner.message === 'string'
    ? inner.message
    : typeof e?.message === 'string'
      ? e.message
      : String(e);
}
