// Loads `@huggingface/inference` on first use and runs its calls under Haystack's `api_params`: extra headers,
// `timeout`, `bill_to`, cancellation, and errors that say what to fix.
import type { Options } from '@huggingface/inference';
import { GeneratorError, cancelledError, throwIfAborted } from '../../core/errors';
import {
  providerHttpError,
  providerNetworkError,
  providerUnknownError,
  retryAfterSeconds,
  systemErrorCode,
  type ProviderContext,
} from '../shared/providerErrors';
import { causeWithoutSecrets, redactSecrets } from '../shared/redaction';

/** Where a Hugging Face API generator sends its requests, resolved from `api_type` and `api_params`. */
export type HFApiTarget =
  /** Inference Providers: the router picks the provider's server for `model`. */
  | { kind: 'serverless'; model: string; provider?: string }
  /** A TGI server or an Inference Endpoint at `url`; `model`, when given, names the served model in chat requests. */
  | { kind: 'url'; url: string; model?: string };

/** Everything `api_params` configures for the HTTP calls. */
export interface HFApiParams {
  target: HFApiTarget;
  /** Seconds to wait for the server to answer (and between streamed events), as huggingface_hub's `timeout`. */
  timeoutSeconds?: number;
  /** Extra HTTP headers sent with every request. */
  headers: Record<string, string>;
  /** The organization billed for Inference Providers requests (`X-HF-Bill-To`). */
  billTo?: string;
}

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
  params: HFApiParams;
  token: string | undefined;
  /** Where the token is read from, for errors about it. */
  envVars: readonly string[];
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
  /** Retry-After of the last error reply: the library keeps the status of a failed reply but not its headers. */
  private retryAfter?: number;

  constructor(private readonly setup: HFApiCallSetup) {
    throwIfAborted(setup.signal);
    if (setup.signal) {
      this.onOuterAbort = () => this.controller.abort(setup.signal?.reason);
      setup.signal.addEventListener('abort', this.onOuterAbort, { once: true });
    }
    this.options = {
      fetch: rewritingFetch(setup.params.headers, setup.serviceUrls ?? {}, (response) => {
        if (response.status >= 400) this.retryAfter = retryAfterSeconds(response.headers);
      }),
      signal: this.controller.signal,
      // The library retries a 503 forever; a generator reports it instead.
      retry_on_error: false,
      ...(setup.params.billTo ? { billTo: setup.params.billTo } : {}),
    };
  }

  /** A human name for the service, used in error messages. */
  get serviceName(): string {
    const target = this.setup.params.target;
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
    const seconds = this.setup.params.timeoutSeconds;
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
        `${this.serviceName} did not answer within ${this.setup.params.timeoutSeconds} s. Raise api_params.timeout or try again.`,
        { code: 'timeout', isRetryable: true, cause: error },
      );
    }
    return hfErrorToGeneratorError(error, this.context(), this.retryAfter);
  }

  private context(): ProviderContext {
    return {
      provider: this.serviceName,
      envVars: this.setup.envVars,
      secrets: [this.setup.token],
      notFoundHint: 'Check api_params (model, provider, url)',
      networkHint: 'Check api_params.url and your network',
      badRequestHint: 'Check generation_kwargs and the messages',
    };
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
function rewritingFetch(
  headers: Record<string, string>,
  serviceUrls: HFServiceUrls,
  onResponse: (response: Response) => void,
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const merged = new Headers(init?.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    const response = await fetch(rewriteServiceUrl(url, serviceUrls), { ...init, headers: merged });
    onResponse(response);
    return response;
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
export function hfErrorToGeneratorError(error: unknown, context: ProviderContext, retryAfter?: number): GeneratorError {
  if (GeneratorError.isInstance(error)) return error;
  const serviceName = context.provider;
  if (error instanceof SyntaxError) return unreadableHFReplyError(serviceName, 'a reply in valid JSON');
  const e = error as { name?: unknown; message?: unknown; httpResponse?: { status?: unknown } };
  const name = typeof e?.name === 'string' ? e.name : '';
  const detail =
    typeof e?.message === 'string' ? e.message.replace(/^Failed to perform inference: /, '') : String(error);
  if (name === 'AbortError') return cancelledError(error);
  const cause = causeWithoutSecrets(error, context.secrets ?? []);
  if (name === 'InputError' || name === 'RoutingError') {
    return new GeneratorError(
      `${serviceName} cannot be called as configured: ${redactSecrets(detail, context.secrets ?? [])}. Check api_params (model, provider, url) and the token.`,
      { code: 'configuration', cause },
    );
  }
  if (name === 'ProviderOutputError') {
    return new GeneratorError(
      `${serviceName} sent a reply in an unexpected format: ${redactSecrets(detail, context.secrets ?? [])}.`,
      {
        code: 'server',
        cause,
      },
    );
  }
  const status = typeof e?.httpResponse?.status === 'number' ? e.httpResponse.status : undefined;
  if (status !== undefined) return providerHttpError(context, { status, detail, retryAfter, cause: error });
  if (error instanceof TypeError) return providerNetworkError(context, error, systemErrorCode(error));
  return providerUnknownError(context, detail, error);
}
