// Compare mode: one user message answered by two to four generators at once. Each lane streams its own reply with
// its own timings and usage; one stop aborts every lane. No `vscode` import, so unit tests run it in plain Node.
import { randomUUID } from 'node:crypto';
import { GeneratorError } from '../../../core/errors';
import type { PriceTable } from '../../../core/costEstimate';
import type { StreamingChunk } from '../../../core/streamingChunk';
import type { GeneratorRegistryService } from '../../registry/registryService';
import type { CompareLaneView, Conversation, ConversationMessage, HostMessage } from '../../../shared/protocol';
import { checkStructuredReply } from '../../structuredOutput/conversationSchema';
import { completeReplyStats } from '../../usage/replyUsage';
import { toErrorView } from '../replies/errorView';
import { applyChunk } from '../replies/replyAssembly';
import { generateReply } from '../replies/replyGeneration';

export interface ComparisonOptions {
  registry: Pick<GeneratorRegistryService, 'get'>;
  /** Chunks and each lane's `done`/`error`, with the lane id as request id. */
  post: (message: HostMessage) => void;
  prices?: () => PriceTable;
}

/** A lane id names its comparison (so stopping any lane can stop them all) and passes the protocol's id check. */
export function laneId(requestId: string, index: number): string {
  return `${requestId}_lane${index}`;
}

/** The comparison request id of a lane id, or undefined for an ordinary request id. */
export function comparisonIdOf(id: string): string | undefined {
  return /^(.+)_lane\d$/.exec(id)?.[1];
}

interface LaneState {
  view: CompareLaneView;
  startedAt: number;
  firstChunkAt?: number;
  finished: boolean;
}

/** One running comparison. `run` resolves once every lane has ended; it never rejects (a lane fails on its own). */
export class Comparison {
  readonly lanes: CompareLaneView[];
  private readonly states: LaneState[];
  private readonly abort = new AbortController();

  constructor(
    readonly requestId: string,
    private readonly conversation: Conversation,
    private readonly history: readonly ConversationMessage[],
    generators: readonly string[],
    private readonly options: ComparisonOptions,
  ) {
    this.states = generators.map((generator, index) => ({
      view: {
        laneId: laneId(requestId, index),
        generator,
        reply: { id: randomUUID(), role: 'assistant', text: '', status: 'streaming', createdAt: Date.now() },
      },
      startedAt: performance.now(),
      finished: false,
    }));
    this.lanes = this.states.map((state) => state.view);
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  async run(): Promise<CompareLaneView[]> {
    await Promise.all(this.states.map((state) => this.runLane(state)));
    return this.lanes;
  }

  /** Stops every lane still streaming; their partial replies stay, marked stopped. */
  stop(): void {
    if (this.stopped) return;
    this.abort.abort(new GeneratorError('Stopped by the user.', { code: 'cancelled' }));
    for (const state of this.states) this.finishLane(state, 'stopped');
  }

  private async runLane(state: LaneState): Promise<void> {
    const { generator: name, reply } = state.view;
    state.startedAt = performance.now();
    try {
      await generateReply({
        name,
        generator: this.options.registry.get(name),
        conversation: this.conversation,
        history: this.history,
        reply,
        onChunk: (chunk) => this.onChunk(state, chunk),
        signal: this.abort.signal,
        isFinished: () => state.finished,
      });
      if (this.conversation.responseSchema && !state.finished)
        reply.structuredOutput = await checkStructuredReply(reply.text, this.conversation.responseSchema);
      this.finishLane(state, 'complete');
    } catch (error) {
      this.finishLane(state, this.stopped ? 'stopped' : 'error', error);
    }
  }

  private onChunk(state: LaneState, chunk: StreamingChunk): void {
    if (state.finished) return;
    state.firstChunkAt ??= performance.now();
    const message = applyChunk(state.view.reply, chunk, state.view.laneId);
    if (message) this.options.post(message);
  }

  private finishLane(state: LaneState, status: 'complete' | 'stopped' | 'error', error?: unknown): void {
    if (state.finished) return;
    state.finished = true;
    const reply = state.view.reply;
    reply.status = status;
    reply.stats ??= { generator: state.view.generator };
    if (state.firstChunkAt !== undefined)
      reply.stats.timeToFirstTokenMs = Math.round(state.firstChunkAt - state.startedAt);
    reply.stats.totalMs = Math.round(performance.now() - state.startedAt);
    completeReplyStats(reply.stats, this.options.prices?.());
    if (status === 'error') {
      reply.error = toErrorView(error);
      this.options.post({ type: 'error', requestId: state.view.laneId, message: reply });
    } else {
      this.options.post({ type: 'done', requestId: state.view.laneId, message: reply });
    }
  }
}
