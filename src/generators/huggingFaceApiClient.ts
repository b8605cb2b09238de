// Loads `@huggingface/inference` on first use and runs its calls under Haystack's `api_params`: extra headers,
// `timeout`, `bill_to`, cancellation, and errors that say what to fix.
import type { Options } from '@huggingface/inference';
import { GeneratorError, cancelledError, throwIfAborted } from '../core/errors';
import type { HFApiConnection } from './huggingFaceApiParams';
import { causeWithoutSecrets } from './providerErrorCause';

type InferenceModule = typeof import('@huggingface/inference');
let sdk: Promise<InferenceModule> | undefined;

/** Loads `@huggingface/inference` once; activation never pays for it. */
export function loadHuggingFaceInference(): Promise<InferenceModule> {
  sdk ??= import('@huggingface/inference').then((module) => {
    module.setLogger(quietLogger);
    return module;
  });
  return sdk;
}

// The library logs routine notes ("Defaulting to 'auto'", the deprecation of the raw `request` helpers we use for
// TGI's native routes) with console.log/warn on every call; keep real warnings and errors, drop the chatter.
const DEPRECATION_NOTICE = /^The (request|streamingRequest) method is deprecated/;
const quietLogger = {
  debug: () => undefined,
  info: () => undefined,
  log: () => undefined,
  warn: (message: string, ...args: unknown[]) => {
    if (!DEPRECATION_NOTICE.test(message)) console.warn(message, ...args);
  },
  error: (message: string, ...args: unknown[]) => console.error(message, ...args),
};

/**
 * Where Inference Providers requests go. Defaults to Hugging Face's own services; tests and corporate proxies point
 * them elsewhere. Not a Haystack init parameter, so it is never serialized.
 */
export interface HFServiceUrls {
  /** Replaces `https://router.huggingface.co` (the Inference Providers router). */
  router?: string;
  /** Replaces `https://huggingface.co` (the Hub, asked which providers serve a model). */
  hub?: string;
}

const HF_ROUTER_URL = 'https://router.huggingface.co';
const HF_HUB_URL = 'https://huggingface.co';

export interface HFApiCallSetup {
  connection: HFApiConnection;
  token: string | undefined;
  serviceUrls?: HFServiceUrls;
  signal?: AbortSignal;
}

/**
 * One generator run against a Hugging Face API. `options` go to every library call; `request` and `stream` apply
 * the timeout (to each wait for the server, like huggingface_hub's read timeout) and turn failures into
 * GeneratorErrors. Call `dispose` when the run ends.
 */
export class HFApiCall {
  readonly options: Options;
  private readonly controller = new AbortController();
  private readonly onOuterAbort?: () => void;
  private timer?: ReturnType<typeof setTimeout>;
  private timedOut = false;

  constructor(private readonly setup: HFApiCallSetup) {
    throwIfAborted(setup.signal);
    if (setup.signal) {
      this.onOuterAbort = () => this.controller.abort(setup.signal?.reason);
      setup.signal.addEventListener('abort', this.onOuterAbort, { once: true });
    }
    this.options = {
      fetch: rewritingFetch(setup.connection.headers, setup.serviceUrls ?? {}),
      signal: this.controller.signal,
      // The library retries a 503 forever; a generator reports it instead.
      retry_on_error: false,
      ...(setup.connection.billTo ? { billTo: setup.connection.billTo } : {}),
    };
  }

  /** A human name for the service, used in error messages. */
  get serviceName(): string {
    const target = this.setup.connection.target;
    return target.kind === 'url'
      ? `the Hugging Face endpoint at ${target.url}`
      : `Hugging Face Inference Providers (provider ${target.provider ?? 'auto'}, model ${target.model})`;
  }

  async request<T>(send: () => Promise<T>): Promise<T> {
    this.arm();
    try {
      return await send();
    } catch (error) {
      throw this.failure(error);
    } finally {
      clearTimeout(this.timer);
    }
  }

  async *stream<T>(events: AsyncIterable<T>): AsyncGenerator<T> {
    const iterator = events[Symbol.asyncIterator]();
    let finished = false;
    try {
      while (true) {
        const next = await this.request(() => iterator.next());
        if (next.done) {
          finished = true;
          return;
        }
        yield next.value;
      }
    } finally {
      // Stops the library's reader when the consumer leaves early (a callback threw).
      if (!finished) await iterator.return?.(undefined).catch(() => undefined);
    }
  }

  /** Ends the run; a stream left early (its callback threw) has its connection closed. */
  dispose(): void {
    clearTimeout(this.timer);
    if (this.onOuterAbort) this.setup.signal?.removeEventListener('abort', this.onOuterAbort);
    this.controller.abort();
  }

  private arm(): void {
    const seconds = this.setup.connection.timeoutSeconds;
    if (seconds === undefined) return;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error('timeout'));
    }, seconds * 1000);
  }

  private failure(error: unknown): GeneratorError {
    if (this.setup.signal?.aborted) return cancelledError(this.setup.signal.reason);
    if (this.timedOut) {
      return new GeneratorError(
        `${this.serviceName} did not answer within ${this.setup.connection.timeoutSeconds} s. Raise api_params.timeout or try again.`,
        { code: 'timeout', isRetryable: true, cause: error },
      );
    }
    return hfErrorToGeneratorError(error, this.serviceName, this.setup.token);
  }
}

/** The service answered without the reply its API documents: an empty stream, or a body without its result field. */
export function unreadableHFReplyError(serviceName: string, what: string): GeneratorError {
  return new GeneratorError(
    `${serviceName} answered without ${what}; nothing was generated. Try again; if it repeats, check api_params.url.`,
    {
      code: 'server',
      isRetryable: true,
    },
  );
}

/** A fetch that adds `api_params.headers` and sends Hugging Face service URLs to `serviceUrls` when set. */
function rewritingFetch(headers: Record<string, string>, serviceUrls: HFServiceUrls): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const merged = new Headers(init?.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    return fetch(rewriteServiceUrl(url, serviceUrls), { ...init, headers: merged });
  };
}

function rewriteServiceUrl(url: string, serviceUrls: HFServiceUrls): string {
  const swap = (base: string, replacement: string | undefined) =>
    replacement !== undefined && (url === base || url.startsWith(`${base}/`))
      ? replacement.replace(/\/+$/, '') + url.slice(base.length)
      : undefined;
  return swap(HF_ROUTER_URL, serviceUrls.router) ?? swap(HF_HUB_URL, serviceUrls.hub) ?? url;
}

/** Turns what `@huggingface/inference` or fetch throws into a GeneratorError naming the service and the next step. */
export function hfErrorToGeneratorError(
  error: unknown,
  serviceName: string,
  token: string | undefined,
): GeneratorError {
  if (GeneratorError.isInstance(error)) return error;
  if (error instanceof SyntaxError) return unreadableHFReplyError(serviceName, 'a reply in valid JSON');
  const e = error as {
    name?: unknown;
    message?: unknown;
    httpResponse?: { status?: unknown };
    cause?: { code?: unknown };
  };
  const name = typeof e?.name === 'string' ? e.name : '';
  const cause = causeWithoutSecrets(error, [token]);
  const detail = redact(
    typeof e?.message === 'string' ? e.message.replace(/^Failed to perform inference: /, '') : String(error),
    token,
  );
  if (name === 'AbortError') return cancelledError(error);
  if (name === 'InputError' || name === 'RoutingError') {
    return new GeneratorError(
      `${serviceName} cannot be called as configured: ${detail}. Check api_params (model, provider, url) and the token.`,
      { code: 'configuration', cause },
    );
  }
  if (name === 'ProviderOutputError') {
    return new GeneratorError(`${serviceName} sent a reply in an unexpected format: ${detail}.`, {
      code: 'server',
      cause,
    });
  }
  const status = typeof e?.httpResponse?.status === 'number' ? e.httpResponse.status : undefined;
  if (status === undefined) {
    if (error instanceof TypeError) {
      const code = typeof e.cause?.code === 'string' ? ` (${e.cause.code})` : '';
      return new GeneratorError(`Could not reach ${serviceName}${code}. Check api_params.url and your network.`, {
        code: 'network',
        isRetryable: true,
        cause,
      });
    }
    return new GeneratorError(`${serviceName} request failed: ${detail}`, { code: 'unknown', cause });
  }
  const base = { status, cause };
  if (status === 401 || status === 403) {
    return new GeneratorError(
      `${serviceName} rejected the credentials (${status}): ${detail}. Run 'Generators: Set API Key' to store a valid HF_API_TOKEN (or HF_TOKEN) with access to this model.`,
      { ...base, code: 'authentication' },
    );
  }
  if (status === 429)
    return new GeneratorError(
      `${serviceName} is overloaded or rate-limited (429): ${detail}. Wait a moment and retry.`,
      { ...base, code: 'rate_limit', isRetryable: true },
    );
  if (status === 404)
    return new GeneratorError(
      `${serviceName} did not find the model or route (404): ${detail}. Check api_params (model, provider, url).`,
      { ...base, code: 'bad_request' },
    );
  if (status >= 500)
    return new GeneratorError(`${serviceName} had a server error (${status}): ${detail}. Try again later.`, {
      ...base,
      code: 'server',
      isRetryable: true,
    });
  if (status === 424)
    return new GeneratorError(`${serviceName} failed while generating (424): ${detail}.`, { ...base, code: 'server' });
  return new GeneratorError(
    `${serviceName} rejected the request (${status}): ${detail}. Check generation_kwargs and the messages.`,
    { ...base, code: 'bad_request' },
  );
}

function redact(text: string, token: string | undefined): string {
  return token && token.length >= 4 ? text.split(token).join('[redacted]') : text;
}
