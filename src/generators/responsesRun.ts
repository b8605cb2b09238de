// One Responses API call, streamed or not, shared by the OpenAI and Azure Responses generators.
import type { OpenAI } from 'openai';
import type { ResponseCreateParamsNonStreaming, ResponseCreateParamsStreaming, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { ChatMessage } from '../core/chatMessage';
import { GeneratorError, cancelledError, throwIfAborted } from '../core/errors';
import { consumeStream } from '../core/streamAssembly';
import type { ComponentInfo, StreamingCallback } from '../core/streamingChunk';
import { openAIErrorToGeneratorError, type ProviderContext } from './openaiClient';
import { responseToChatMessage } from './responsesOutput';
import { chatMessageFromResponsesChunks, responsesEventsToChunks } from './responsesStream';

export interface ResponsesCall {
  /** The request body from `buildResponsesRequest`; its `stream` flag must match `streamingCallback`. */
  body: Record<string, unknown>;
  streamingCallback?: StreamingCallback;
  signal?: AbortSignal;
  componentInfo: ComponentInfo;
  /** A stream that sends nothing for this long is aborted with a timeout error. */
  idleTimeoutMs: number;
  context: ProviderContext;
}

/** Sends the request and returns the reply; streams chunks to the callback when one is given. */
export async function runResponses(client: OpenAI, call: ResponsesCall): Promise<ChatMessage> {
  throwIfAborted(call.signal);
  const controller = new AbortController();
  const abort = () => controller.abort(call.signal?.reason);
  call.signal?.addEventListener('abort', abort, { once: true });
  const idle = new IdleTimer(call.idleTimeoutMs, () => controller.abort());
  try {
    // generation_kwargs are passed through unchecked, so the body is only typed at this edge.
    if (!call.streamingCallback) {
      const response = await client.responses.create(call.body as unknown as ResponseCreateParamsNonStreaming, { signal: controller.signal });
      return responseToChatMessage(response);
    }
    const events = await client.responses.create(call.body as unknown as ResponseCreateParamsStreaming, { signal: controller.signal });
    const chunks = await consumeStream(responsesEventsToChunks(untilAborted(idle.watch(events), call.signal), call.componentInfo), call.streamingCallback);
    throwIfAborted(call.signal);
    return chatMessageFromResponsesChunks(chunks);
  } catch (error) {
    // The SDK ends an aborted stream quietly, so cancellation and idle timeouts surface as a truncated stream.
    if (call.signal?.aborted) throw cancelledError(call.signal.reason);
    if (idle.expired) {
      throw new GeneratorError(
        `${call.context.provider} stopped sending the reply for ${call.idleTimeoutMs / 1000} s; the request was aborted. Increase \`timeout\` or try again.`,
        { code: 'timeout', isRetryable: true, cause: error },
      );
    }
    throw openAIErrorToGeneratorError(error, call.context, call.signal);
  } finally {
    idle.stop();
    call.signal?.removeEventListener('abort', abort);
  }
}

/** Stops at the first event after cancellation: events the SDK had already buffered are not delivered. */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  for await (const item of source) {
    throwIfAborted(signal);
    yield item;
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

  async *watch(events: AsyncIterable<ResponseStreamEvent>): AsyncGenerator<ResponseStreamEvent> {
    this.arm();
    for await (const event of events) {
      this.stop();
      yield event;
      this.arm();
    }
    this.stop();
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
