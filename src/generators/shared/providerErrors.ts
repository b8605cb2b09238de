// One mapping from a provider's failure to a GeneratorError, for the openai SDK and @huggingface/inference alike:
// the HTTP status decides the code and whether retrying may help, Retry-After is honoured, and every text taken
// from the provider is redacted. Messages name the provider and what to check, never an editor command: the host
// adds those from `code` and `envVars`.
import { GeneratorError } from '../../core/errors';
import { causeWithoutSecrets, redactSecrets } from './redaction';

/** Who was being called, so that an error can say what to fix, and what must never appear in it. */
export interface ProviderContext {
  /** The provider or service in words, e.g. `OpenAI`, `the Hugging Face endpoint at http://...`. */
  provider: string;
  /** The env vars a user sets for this provider's key, preferred first (e.g. OPENAI_API_KEY). */
  envVars?: readonly string[];
  /** Secret values that must never appear in a message or a cause. */
  secrets?: readonly (string | undefined)[];
  /** What to check when the resource was not found (404), e.g. "Check the model, deployment and base URL". */
  notFoundHint?: string;
  /** What to check when the service cannot be reached, e.g. "Check `api_base_url`/endpoint and your network". */
  networkHint?: string;
  /** What to check when the request was rejected (other 4xx). */
  badRequestHint?: string;
}

/** A failed HTTP exchange as any client reports it. */
export interface ProviderFailure {
  status: number;
  /** The provider's own explanation, unredacted. */
  detail: string;
  /** The reply's headers, when the client kept them (for Retry-After). */
  retryAfter?: number;
  cause: unknown;
}

/** Retry-After (seconds or an HTTP date) as seconds, from a Headers object or a plain record. */
export function retryAfterSeconds(headers: unknown): number | undefined {
  const value =
    headers && typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get('retry-after')
      : (headers as Record<string, string> | undefined)?.['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

/** The error for a reply with an error status: code, retryability and the wait come from the status alone. */
export function providerHttpError(context: ProviderContext, failure: ProviderFailure): GeneratorError {
  const { status, retryAfter } = failure;
  const { provider } = context;
  // Redacted before trailing dots are trimmed: "tok..." is an echo, "tok" would no longer look like one.
  const detail = redactSecrets(failure.detail, context.secrets ?? []).replace(/[.\s]+$/, '');
  const base = { status, retryAfter, cause: causeWithoutSecrets(failure.cause, context.secrets ?? []) };
  if (status === 401) {
    const check = context.envVars?.length ? `Check ${context.envVars[0]}.` : 'Check the key given to the generator.';
    return new GeneratorError(`${provider} rejected the credentials (401): ${detail}. ${check}`, {
      ...base,
      code: 'authentication',
      envVars: context.envVars,
    });
  }
  if (status === 403)
    return new GeneratorError(`${provider} refused access (403): ${detail}. Check that the key may use this model.`, {
      ...base,
      code: 'authentication',
      envVars: context.envVars,
    });
  if (status === 429) {
    const wait = retryAfter !== undefined ? ` Retry after ${retryAfter} s.` : ' Wait a moment and retry.';
    return new GeneratorError(`${provider} rate limit or quota reached (429): ${detail}.${wait}`, {
      ...base,
      code: 'rate_limit',
      isRetryable: true,
    });
  }
  if (status >= 500)
    return new GeneratorError(`${provider} had a server error (${status}): ${detail}. Try again later.`, {
      ...base,
      code: 'server',
      isRetryable: true,
    });
  if (status === 404)
    return new GeneratorError(
      `${provider} did not find the resource (404): ${detail}. ${context.notFoundHint ?? 'Check the model and the URL'}.`,
      { ...base, code: 'bad_request' },
    );
  if (status === 424)
    return new GeneratorError(`${provider} failed while generating (424): ${detail}.`, { ...base, code: 'server' });
  const hint = context.badRequestHint ? ` ${context.badRequestHint}.` : '';
  return new GeneratorError(`${provider} rejected the request (${status}): ${detail}.${hint}`, {
    ...base,
    code: 'bad_request',
  });
}

/** The service could not be reached; `code` is the system error (ECONNREFUSED, ...) when known. */
export function providerNetworkError(context: ProviderContext, cause: unknown, code?: string): GeneratorError {
  const hint = context.networkHint ?? 'Check the URL and your network';
  return new GeneratorError(`Could not reach ${context.provider}${code ? ` (${code})` : ''}. ${hint}.`, {
    code: 'network',
    isRetryable: true,
    cause: causeWithoutSecrets(cause, context.secrets ?? []),
  });
}

/** A failure with no status and no known shape: the provider's words, redacted. */
export function providerUnknownError(context: ProviderContext, detail: string, cause: unknown): GeneratorError {
  return new GeneratorError(`${context.provider} request failed: ${redactSecrets(detail, context.secrets ?? [])}`, {
    code: 'unknown',
    cause: causeWithoutSecrets(cause, context.secrets ?? []),
  });
}

/** The system error code (ECONNREFUSED, ECONNRESET, ...) somewhere in an error's causes. */
export function systemErrorCode(error: unknown): string | undefined {
  for (
    let cause: unknown = error, depth = 0;
    cause && depth < 5;
    cause = (cause as { cause?: unknown }).cause, depth++
  ) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}
