// The shell around one `openai` SDK request: cancellation linked to the caller's signal, an idle timer for
// streams, and every failure turned into a GeneratorError. Shared by Chat Completions, Responses and images.
import { GeneratorError, cancelledError, throwIfAborted } from '../../core/errors';
import { openAIErrorToGeneratorError, type ProviderContext } from './openAIConnection';

export interface SdkCallOptions {
  signal?: AbortSignal;
  /** A stream that sends nothing for this long is aborted with a timeout error. */
  idleTimeoutMs: number;
  context: ProviderContext;
}

/** What the request body gets: the signal to give the SDK, and `watch` or `each` to read a stream under the idle timer. */
export interface SdkCallScope {
  signal: AbortSignal;
  watch<T>(events: AsyncIterable<T>): AsyncIterable<T>;
  /**
   * Hands each event to `handle` (awaiting a returned promise) under the idle timer: the cheaper choice for a loop
   * that runs once per streamed token, since every async-generator layer adds per-chunk cost.
   */
  each<T>(events: AsyncIterable<T>, handle: (event: T) => void | Promise<void>): Promise<void>;
}

export async function sdkCall<T>(options: SdkCallOptions, request: (scope: SdkCallScope) => Promise<T>): Promise<T> {
  throwIfAborted(options.signal);
  const controller = new AbortController();
  const abort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', abort, { once: true });
  const idle = new IdleTimer(options.idleTimeoutMs, () => controller.abort());
  const stalled = (cause?: unknown) =>
    new GeneratorError(
      `${options.context.provider} stopped sending the reply for ${options.idleTimeoutMs / 1000} s; the request was aborted. Increase \`timeout\` or try again.`,
      { code: 'timeout', isRetryable: true, cause },
    );
  try {
    const result = await request({
      signal: controller.signal,
      watch: (events) => idle.watch(events),
      each: (events, handle) => idle.each(events, handle),
    });
    // The SDK ends an aborted stream quietly instead of throwing: an early end must not pass for a full reply.
    throwIfAborted(options.signal);
    if (idle.expired) throw stalled();
    return result;
  } catch (error) {
    if (options.signal?.aborted) throw cancelledError(options.signal.reason);
    if (idle.expired) throw GeneratorError.isInstance(error) && error.code === 'timeout' ? error : stalled(error);
    throw openAIErrorToGeneratorError(error, options.context, options.signal);
  } finally {
    idle.stop();
    options.signal?.removeEventListener('abort', abort);
  }
}

/**
 * The SDK's timeout ends when the reply's headers arrive; a stream that then stalls would hang until cancelled.
 * Fires when no event arrives within the limit; the consumer's own time (the streaming callback) does not count.
 */
class IdleTimer {
  expired = false;
  private timer?: NodeJS.Timeout;
  /** True while the consumer handles an event; the timer firing then does not count. */
  private consumerBusy = false;

  constructor(
    private readonly limitMs: number,
    private readonly onExpire: () => void,
  ) {}

  async *watch<T>(events: AsyncIterable<T>): AsyncGenerator<T> {
    this.start();
    try {
      for await (const event of events) {
        this.consumerBusy = true;
        yield event;
        this.rearm();
      }
    } finally {
      this.stop();
    }
  }

  async each<T>(events: AsyncIterable<T>, handle: (event: T) => void | Promise<void>): Promise<void> {
    this.start();
    try {
      for await (const event of events) {
        this.consumerBusy = true;
        const pending = handle(event);
        if (pending) await pending;
        this.rearm();
      }
    } finally {
      this.stop();
    }
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private start(): void {
    this.stop();
    // One timer per stream, re-armed with refresh() after each event: a new timer per event costs more per chunk.
    this.timer = setTimeout(() => {
      if (this.consumerBusy) return;
      this.expired = true;
      this.onExpire();
    }, this.limitMs);
  }

  private rearm(): void {
    this.consumerBusy = false;
    this.timer?.refresh();
  }
}
