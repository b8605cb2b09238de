// Turns text pieces streamed by the local-model worker into StreamingChunks delivered in order.
import type { StreamingCallback, StreamingChunk } from '../../core/streamingChunk';

/**
 * Delivers each piece to `callback` as a StreamingChunk, awaiting the callback before the next one; `finish()`
 * waits for the deliveries and rethrows the first error a callback threw.
 */
export class ChunkDelivery {
  private queue: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private count = 0;

  constructor(
    private readonly callback: StreamingCallback,
    private readonly componentType: string,
    private readonly model: string,
  ) {}

  push = (text: string): void => {
    const chunk: StreamingChunk = {
      content: text,
      meta: { model: this.model, received_at: new Date().toISOString() },
      componentInfo: { type: this.componentType },
      index: 0,
      start: this.count++ === 0,
    };
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      try {
        await this.callback(chunk);
      } catch (error) {
        this.failure = { error };
      }
    });
  };

  async finish(): Promise<void> {
    await this.queue;
    if (this.failure) throw this.failure.error;
  }
}
