// The shell around one `openai` SDK request: cancellation linked to the caller's signal, an idle timer for
// streams, and every failure turned into a GeneratorError. Shared by Chat Completions, Responses and images.
import { GeneratorError, cancelledError, throwIfAborted } from '../core/errors';
import { openAIErrorToGeneratorError, type ProviderContext } from './openaiClient';

export interface SdkCallOptions {
  signal?: AbortSignal;
  /** A stream that sends nothing for this long is aborted with a timeout error. */
  idleTimeoutMs: number;
  context: ProviderContext;
}

/** What the request body gets: the signal to give the SDK, and `watch` to wrap a stream in the idle timer. */
export interface SdkCallScope {
  signal: AbortSignal;
  watch<T>(events: AsyncIterable<T>): AsyncIterable<T>;
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
    const result = await request({ signal: controller.signal, watch: (events) => idle.watch(events) });
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

  constructor(
    private readonly limitMs: number,
    private readonly onExpire: () => void,
  ) {}

  async *watch<T>(events: AsyncIterable<T>): AsyncGenerator<T> {
    this.arm();
    try {
      for await (const event of events) {
        this.stop();
        yield event;
        this.arm();
      }
    } finally {
      this.stop();
    }
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private arm(): void {
    this.stop();
    this.timer = setTimeout(() => {
      this.expired = true;
      this.onExpire();
    }, this.limitMs);
  }
}
