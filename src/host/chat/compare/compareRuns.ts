// Compare mode's running comparisons: one user message answered by two to four generators, kept beside the
// conversation's messages until the user picks one reply to continue with.
import type { PriceTable } from '../../../core/costEstimate';
import type { Conversation, ConversationMessage, HostMessage } from '../../../shared/protocol';
import type { GeneratorRegistryService } from '../../registry/registryService';
import type { Conversations } from '../conversations/conversations';
import { Comparison, comparisonIdOf } from './comparison';

export interface CompareRunsOptions {
  registry: Pick<GeneratorRegistryService, 'get'>;
  conversations: Pick<Conversations, 'save' | 'saveAndPostHistory' | 'notice'>;
  post: (message: HostMessage) => void;
  prices?: () => PriceTable;
}

export class CompareRuns {
  /** Running comparisons by request id; a conversation has at most one request or comparison at a time. */
  private readonly running = new Map<string, { comparison: Comparison; conversation: Conversation }>();

  constructor(private readonly options: CompareRunsOptions) {}

  live(conversationId: string): Conversation | undefined {
    for (const { conversation } of this.running.values()) if (conversation.id === conversationId) return conversation;
    return undefined;
  }

  /** The first lane still streaming in the conversation's comparison. */
  streamingRequestFor(conversationId: string): string | undefined {
    for (const { comparison, conversation } of this.running.values()) {
      if (conversation.id === conversationId && !comparison.stopped)
        return comparison.lanes.find((lane) => lane.reply.status === 'streaming')?.laneId;
    }
    return undefined;
  }

  /** Runs the comparison of `generators` on the conversation, whose last message is `userMessage`. */
  async run(
    requestId: string,
    conversation: Conversation,
    generators: string[],
    userMessage: ConversationMessage,
  ): Promise<void> {
    const comparison = new Comparison(requestId, conversation, [...conversation.messages], generators, {
      registry: this.options.registry,
      post: this.options.post,
      prices: this.options.prices,
    });
    conversation.comparison = { requestId, lanes: comparison.lanes };
    this.running.set(requestId, { comparison, conversation });
    this.options.post({
      type: 'compareStarted',
      requestId,
      conversationId: conversation.id,
      userMessage,
      lanes: comparison.lanes,
    });
    this.options.conversations.saveAndPostHistory(conversation);
    await comparison.run();
    this.running.delete(requestId);
    conversation.updatedAt = Date.now();
    this.options.conversations.saveAndPostHistory(conversation);
  }

  /** Continues with one reply of a finished comparison: it joins the messages and its generator becomes the conversation's. */
  async pick(conversation: Conversation | undefined, requestId: string, laneId: string): Promise<void> {
    const { conversations, post } = this.options;
    const pending = conversation?.comparison;
    const lane = pending?.requestId === requestId ? pending.lanes.find((l) => l.laneId === laneId) : undefined;
    if (!conversation || !lane || this.running.has(requestId))
      return conversations.notice('error', 'That comparison is no longer open, or is still streaming.');
    if (lane.reply.status === 'error' || lane.reply.text === '')
      return conversations.notice('error', `"${lane.generator}" has no reply to continue with; pick another.`);
    conversation.messages.push(lane.reply);
    conversation.generator = lane.generator;
    delete conversation.comparison;
    conversation.updatedAt = Date.now();
    await conversations.save(conversation);
    post({ type: 'conversation', conversation });
  }

  /** Stops the comparison a lane or request id belongs to (any lane stops them all); false when none is running. */
  stop(id: string): boolean {
    const running = this.running.get(comparisonIdOf(id) ?? id);
    if (!running) return false;
    running.comparison.stop();
    return true;
  }

  stopConversation(conversationId: string): void {
    for (const { comparison, conversation } of this.running.values())
      if (conversation.id === conversationId) comparison.stop();
  }

  stopAll(): void {
    for (const { comparison } of this.running.values()) comparison.stop();
  }
}
