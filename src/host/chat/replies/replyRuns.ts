// The replies streaming in the chat panel: one request per reply, from start to exactly one `done` or `error`.
// Chunks go to the webview as they arrive; the reply is saved now and then while it streams and once at the end.
import { randomUUID } from 'node:crypto';
import type { PriceTable } from '../../../core/costEstimate';
import { GeneratorError } from '../../../core/errors';
import type { StreamingChunk } from '../../../core/streamingChunk';
import type { Conversation, ConversationMessage, HostMessage } from '../../../shared/protocol';
import type { GeneratorRegistryService } from '../../registry/registryService';
import { checkStructuredReply } from '../../structuredOutput/conversationSchema';
import { completeReplyStats } from '../../usage/replyUsage';
import type { ChatLog, Conversations } from '../conversations/conversations';
import { toErrorView } from './errorView';
import { applyChunk } from './replyAssembly';
import { generateReply } from './replyGeneration';

export interface ReplyRunsOptions {
  registry: Pick<GeneratorRegistryService, 'get'>;
  conversations: Pick<Conversations, 'save' | 'saveAndPostHistory'>;
  post: (message: HostMessage) => void;
  log: ChatLog;
  /** How often a streaming reply is saved, so a window reload finds most of it. */
  saveIntervalMs: number;
  prices?: () => PriceTable;
}

interface ActiveRequest {
  requestId: string;
  conversation: Conversation;
  reply: ConversationMessage;
  abort: AbortController;
  startedAt: number;
  firstChunkAt?: number;
  lastSavedAt: number;
  finished: boolean;
}

export class ReplyRuns {
  private readonly active = new Map<string, ActiveRequest>();

  constructor(private readonly options: ReplyRunsOptions) {}

  has(requestId: string): boolean {
    return this.active.has(requestId);
  }

  live(conversationId: string): Conversation | undefined {
    for (const request of this.active.values())
      if (request.conversation.id === conversationId) return request.conversation;
    return undefined;
  }

  streamingRequestFor(conversationId: string): string | undefined {
    for (const request of this.active.values())
      if (request.conversation.id === conversationId) return request.requestId;
    return undefined;
  }

  /** Adds an empty reply after the conversation's last message and streams the generator's answer into it. */
  async start(requestId: string, conversation: Conversation, userMessage?: ConversationMessage): Promise<void> {
    const reply: ConversationMessage = {
      id: randomUUID(),
      role: 'assistant',
      text: '',
      status: 'streaming',
      createdAt: Date.now(),
    };
    // A new reply means the user went on without picking from an open comparison.
    delete conversation.comparison;
    const history = [...conversation.messages];
    conversation.messages.push(reply);
    conversation.updatedAt = Date.now();
    const request: ActiveRequest = {
      requestId,
      conversation,
      reply,
      abort: new AbortController(),
      startedAt: performance.now(),
      lastSavedAt: Date.now(),
      finished: false,
    };
    this.active.set(requestId, request);
    this.options.post({ type: 'replyStarted', requestId, conversationId: conversation.id, userMessage, reply });
    this.options.conversations.saveAndPostHistory(conversation);
    try {
      await this.generate(request, history);
      if (conversation.responseSchema && !request.finished)
        reply.structuredOutput = await checkStructuredReply(reply.text, conversation.responseSchema);
      this.finish(request, 'complete');
    } catch (error) {
      if (request.abort.signal.aborted) this.finish(request, 'stopped');
      else this.finish(request, 'error', error);
    }
  }

  /** Cancels a request end to end; the partial reply is kept and marked stopped. False when it is not running. */
  stop(requestId: string): boolean {
    const request = this.active.get(requestId);
    if (!request) return false;
    request.abort.abort(new GeneratorError('Stopped by the user.', { code: 'cancelled' }));
    this.finish(request, 'stopped');
    return true;
  }

  stopConversation(conversationId: string): void {
    for (const request of [...this.active.values()])
      if (request.conversation.id === conversationId) this.stop(request.requestId);
  }

  stopAll(): void {
    for (const request of [...this.active.values()]) this.stop(request.requestId);
  }

  private async generate(request: ActiveRequest, history: ConversationMessage[]): Promise<void> {
    const name = request.conversation.generator ?? '';
    await generateReply({
      name,
      generator: this.options.registry.get(name),
      conversation: request.conversation,
      history,
      reply: request.reply,
      onChunk: (chunk) => this.onChunk(request, chunk),
      signal: request.abort.signal,
      isFinished: () => request.finished,
    });
  }

  private onChunk(request: ActiveRequest, chunk: StreamingChunk): void {
    if (request.finished) return;
    request.firstChunkAt ??= performance.now();
    const message = applyChunk(request.reply, chunk, request.requestId);
    if (message) this.options.post(message);
    if (Date.now() - request.lastSavedAt >= this.options.saveIntervalMs) {
      request.lastSavedAt = Date.now();
      void this.options.conversations.save(request.conversation);
    }
  }

  /** The single place a request ends: later results, chunks or errors of a finished request are ignored. */
  private finish(request: ActiveRequest, status: 'complete' | 'stopped' | 'error', error?: unknown): void {
    if (request.finished) return;
    request.finished = true;
    this.active.delete(request.requestId);
    const { reply, conversation } = request;
    reply.status = status;
    reply.stats ??= { generator: conversation.generator ?? '' };
    if (request.firstChunkAt !== undefined)
      reply.stats.timeToFirstTokenMs = Math.round(request.firstChunkAt - request.startedAt);
    reply.stats.totalMs = Math.round(performance.now() - request.startedAt);
    completeReplyStats(reply.stats, this.options.prices?.());
    conversation.updatedAt = Date.now();
    if (status === 'error') {
      reply.error = toErrorView(error);
      this.options.log.warn(
        `Chat request ${request.requestId} with "${conversation.generator}" failed: ${reply.error.code}: ${reply.error.message}`,
      );
      this.options.post({ type: 'error', requestId: request.requestId, message: reply });
    } else {
      this.options.post({ type: 'done', requestId: request.requestId, message: reply });
    }
    this.options.conversations.saveAndPostHistory(conversation);
  }
}
