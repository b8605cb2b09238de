// Builds `openai` SDK clients for the OpenAI-compatible generators and maps SDK errors onto GeneratorError.
// The SDK is loaded on first use so that activating the extension does not pay for it.
import type { AzureOpenAI, OpenAI } from 'openai';
import { GeneratorError, cancelledError } from '../core/errors';
import { httpClientOptions } from './httpClientOptions';
import { causeWithoutSecrets } from './providerErrorCause';

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

/** What every client of the OpenAI family configures, Azure's included. */
interface CommonClientConfig {
  organization?: string;
  timeoutSeconds: number;
  maxRetries: number;
  defaultHeaders?: Record<string, string>;
  httpClientKwargs?: Record<string, unknown>;
}

/** What the OpenAI-compatible generators configure on a client. */
export interface OpenAIClientConfig extends CommonClientConfig {
  apiKey: string;
  baseURL?: string;
}

export async function createOpenAIClient(config: OpenAIClientConfig): Promise<OpenAI> {
  const [{ OpenAI }, common] = await Promise.all([loadOpenAI(), commonClientOptions(config)]);
  return new OpenAI({ apiKey: config.apiKey, baseURL: config.baseURL, ...common });
}

/** Azure's client: endpoint + deployment + api-version, authenticated by api-key or an Entra ID token. */
export interface AzureClientConfig extends CommonClientConfig {
  azureEndpoint: string;
  apiVersion: string;
  azureDeployment?: string;
  apiKey?: string;
  /** Called before every request; a static AD token is wrapped in one. */
  azureAdTokenProvider?: () => Promise<string>;
}

export async function createAzureOpenAIClient(config: AzureClientConfig): Promise<AzureOpenAI> {
  const [{ AzureOpenAI }, common] = await Promise.all([loadOpenAI(), commonClientOptions(config)]);
  return new AzureOpenAI({
    endpoint: config.azureEndpoint,
    apiVersion: config.apiVersion,
    deployment: config.azureDeployment,
    apiKey: config.azureAdTokenProvider ? undefined : config.apiKey,
    azureADTokenProvider: config.azureAdTokenProvider,
    ...common,
  });
}

async function commonClientOptions(config: CommonClientConfig) {
  const http = await httpClientOptions(config.httpClientKwargs);
  return {
    organization: config.organization,
    timeout: config.timeoutSeconds * 1000,
    maxRetries: config.maxRetries,
    fetch: http.fetch,
    fetchOptions: http.fetchOptions,
    defaultHeaders: { ...http.defaultHeaders, ...config.defaultHeaders },
  };
}

/** Who was being called, so error messages can say which key to fix. */
export interface ProviderContext {
  provider: string;
  /** The env var a user sets for this provider's key, e.g. OPENAI_API_KEY. */
  keyName?: string;
  /** Secret values that must never appear in a message. */
  secrets?: (string | undefined)[];
}

/** Turns anything the SDK throws into a GeneratorError that names the provider and the next step. */
export function openAIErrorToGeneratorError(
  error: unknown,
  context: ProviderContext,
  signal?: AbortSignal,
): GeneratorError {
  if (GeneratorError.isInstance(error)) return error;
  if (signal?.aborted) return cancelledError(signal.reason);
  const e = error as { status?: unknown; name?: unknown; message?: unknown; headers?: unknown; error?: unknown };
  const detail = redactSecrets(providerMessage(e), context.secrets ?? []);
  const cause = causeWithoutSecrets(error, context.secrets ?? []);
  const keyHint = context.keyName
    ? `Run 'Generators: Set API Key' to store a valid ${context.keyName}.`
    : 'Check the api_key given to the generator.';
  if (loadedSdk && error instanceof loadedSdk.APIUserAbortError) return cancelledError(error);
  if (loadedSdk && error instanceof loadedSdk.APIConnectionTimeoutError) {
    return new GeneratorError(
      `${context.provider} did not answer in time (${detail}). Increase \`timeout\` or try again.`,
      { code: 'timeout', isRetryable: true, cause },
    );
  }
  if (loadedSdk && error instanceof loadedSdk.APIConnectionError) {
    return new GeneratorError(
      `Could not reach ${context.provider}: ${detail}${networkCode(error)}. Check \`api_base_url\`/endpoint and your network.`,
      {
        code: 'network',
        isRetryable: true,
        cause,
      },
    );
  }
  const status = typeof e?.status === 'number' ? e.status : undefined;
  // Without a status, a parse failure (SyntaxError) or a property read on a missing field (TypeError) means a 200
  // reply that was not the JSON or event stream the API promises.
  if (status === undefined && (error instanceof SyntaxError || error instanceof TypeError))
    return unreadableReplyError(context, cause);
  if (status === undefined) {
    return new GeneratorError(`${context.provider} request failed: ${detail}`, { code: 'unknown', cause });
  }
  const retryAfter = retryAfterSeconds(e.headers);
  const base = { status, cause, retryAfter };
  if (status === 401)
    return new GeneratorError(`${context.provider} rejected the credentials (401): ${detail}. ${keyHint}`, {
      ...base,
      code: 'authentication',
    });
  if (status === 403)
    return new GeneratorError(
      `${context.provider} refused access (403): ${detail}. Check that the key may use this model.`,
      { ...base, code: 'authentication' },
    );
  if (status === 429) {
    const wait = retryAfter !== undefined ? ` Retry after ${retryAfter} s.` : ' Wait a moment and retry.';
    return new GeneratorError(`${context.provider} rate limit or quota reached (429): ${detail}.${wait}`, {
      ...base,
      code: 'rate_limit',
      isRetryable: true,
    });
  }
  if (status >= 500)
    return new GeneratorError(`${context.provider} had a server error (${status}): ${detail}. Try again later.`, {
      ...base,
      code: 'server',
      isRetryable: true,
    });
  if (status === 404)
    return new GeneratorError(
      `${context.provider} did not find the resource (404): ${detail}. Check the model, deployment and base URL.`,
      { ...base, code: 'bad_request' },
    );
  return new GeneratorError(`${context.provider} rejected the request (${status}): ${detail}`, {
    ...base,
    code: 'bad_request',
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

/** The system error code (ECONNREFUSED, ECONNRESET, ...) somewhere in a connection error's causes, as " (CODE)". */
function networkCode(error: unknown): string {
  for (
    let cause = (error as { cause?: unknown }).cause, depth = 0;
    cause && depth < 4;
    cause = (cause as { cause?: unknown }).cause, depth++
  ) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return ` (${code})`;
  }
  return '';
}

function providerMessage(e: { message?: unknown; error?: unknown }): string {
  const inner = e?.error as { message?: unknown } | undefined;
  const text =
    inner && typeof inner.message === 'string' ? inner.message : typeof e?.message === 'string' ? e.message : String(e);
  return text.replace(/[.\s]+$/, '');
}

function retryAfterSeconds(headers: unknown): number | undefined {
  const get = (name: string): string | null | undefined =>
    headers && typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get(name)
      : (headers as Record<string, string> | undefined)?.[name];
  const value = get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

// Providers echo parts of a rejected key ("Incorrect API key provided: sk-abc***xyz"); none of it may surface.
const KEY_LIKE = /\b(?:sk|hf|pk|rk|key)[-_][A-Za-z0-9*_.-]{4,}/gi;

/** Removes every known secret value and anything shaped like an API key from a message. */
export function redactSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.replace(KEY_LIKE, '[redacted]');
}
