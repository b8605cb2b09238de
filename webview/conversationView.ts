// The message list of the open conversation. History is rendered once when a conversation opens; afterwards only
// new messages are appended and only the streaming reply changes.
import type { CompareLaneView, Conversation, ConversationMessage, HostMessage } from '../src/shared/protocol';
import { CompareView } from './compareView';
import { h } from './dom';
import type { FrameScheduler, Paintable } from './frameScheduler';
import { ReplyView, type ReplyDependencies } from './replyView';
import { UserMessageView, type UserMessageActions } from './userMessageView';

type ChunkMessage = Extract<HostMessage, { type: 'chunk' }>;

export class ConversationView implements Paintable {
  /** `aria-live` is off: a screen reader hears the finished reply through the announcer, not every token. */
  readonly element = h('section', {
    class: 'messages',
    role: 'log',
    'aria-live': 'off',
    'aria-label': 'Conversation',
    tabindex: '0',
  });
  private conversation?: Conversation;
  private readonly streaming = new Map<string, ReplyView>();
  private lastUser?: UserMessageView;
  private lastReply?: ReplyView;
  /** The open comparison (compare mode), shown after the messages until one of its replies is picked. */
  private comparison?: CompareView;
  /** Whether new text keeps the list scrolled to the end; false once the user scrolls up to read. */
  private followEnd = true;

  constructor(
    private readonly replyDeps: ReplyDependencies & { scheduler: FrameScheduler },
    private readonly userActions: UserMessageActions,
    private readonly pickCompared: (requestId: string, laneId: string) => void = () => {},
  ) {
    this.element.addEventListener(
      'scroll',
      () => {
        this.followEnd = this.element.scrollHeight - this.element.scrollTop - this.element.clientHeight < 80;
      },
      { passive: true },
    );
  }

  get id(): string | undefined {
    return this.conversation?.id;
  }

  get current(): Conversation | undefined {
    return this.conversation;
  }

  /** The request streaming in this conversation, if any. */
  get activeRequestId(): string | undefined {
    return this.streaming.keys().next().value;
  }

  /** Renders a whole conversation (on open, reload, retry or edit). */
  show(conversation: Conversation, streamingRequestId?: string): void {
    this.conversation = conversation;
    this.streaming.clear();
    this.lastUser = undefined;
    this.lastReply = undefined;
    this.comparison = undefined;
    this.element.replaceChildren();
    if (conversation.messages.length === 0)
      this.element.append(h('p', { class: 'empty' }, 'Ask anything. Enter sends, Shift+Enter adds a line.'));
    for (const message of conversation.messages) {
      const view = this.append(message);
      if (view instanceof ReplyView && message.status === 'streaming' && streamingRequestId)
        this.streaming.set(streamingRequestId, view);
    }
    if (conversation.comparison) this.showComparison(conversation.comparison.requestId, conversation.comparison.lanes);
    this.updateLastActions();
    this.scrollToEnd();
  }

  replyStarted(
    requestId: string,
    conversationId: string,
    userMessage: ConversationMessage | undefined,
    reply: ConversationMessage,
  ): void {
    if (conversationId !== this.conversation?.id) return;
    this.element.querySelector('.empty')?.remove();
    if (userMessage) this.conversation.messages.push(userMessage);
    if (userMessage) this.append(userMessage);
    this.conversation.messages.push(reply);
    this.streaming.set(requestId, this.append(reply) as ReplyView);
    this.updateLastActions();
    this.scrollToEnd();
  }

  /** A comparison started: the user's message, then every lane's reply side by side, each streaming under its lane id. */
  compareStarted(
    requestId: string,
    conversationId: string,
    userMessage: ConversationMessage,
    lanes: CompareLaneView[],
  ): void {
    if (conversationId !== this.conversation?.id) return;
    this.element.querySelector('.empty')?.remove();
    this.conversation.messages.push(userMessage);
    this.append(userMessage);
    this.conversation.comparison = { requestId, lanes };
    this.showComparison(requestId, lanes);
    this.updateLastActions();
    this.scrollToEnd();
  }

  private showComparison(requestId: string, lanes: CompareLaneView[]): void {
    this.comparison?.element.remove();
    const comparison = new CompareView(requestId, lanes, this.replyDeps, (laneId) =>
      this.pickCompared(requestId, laneId),
    );
    this.comparison = comparison;
    this.element.append(comparison.element);
    for (const lane of lanes)
      if (lane.reply.status === 'streaming') this.streaming.set(lane.laneId, comparison.replies.get(lane.laneId)!);
  }

  chunk(message: ChunkMessage): void {
    const view = this.streaming.get(message.requestId);
    if (!view) return;
    if (message.restart) view.restart();
    if (message.text) view.appendText(message.text);
    if (message.reasoning) view.appendReasoning(message.reasoning);
    if (message.toolCalls) view.applyToolCallDeltas(message.toolCalls);
    // Requested after the reply view, so the frame paints the text first and then scrolls.
    this.replyDeps.scheduler.request(this);
  }

  /** A request ended; returns the reply's text as displayed, or undefined when the request is not shown here. */
  finish(requestId: string, message: ConversationMessage): string | undefined {
    const view = this.streaming.get(requestId);
    if (!view) return undefined;
    this.streaming.delete(requestId);
    view.finish(message);
    this.comparison?.laneEnded(requestId, message);
    const index = this.conversation?.messages.findIndex((m) => m.id === message.id) ?? -1;
    if (this.conversation && index >= 0) this.conversation.messages[index] = message;
    this.updateLastActions();
    this.paint();
    return view.displayedText;
  }

  private append(message: ConversationMessage): ReplyView | UserMessageView {
    const view =
      message.role === 'user' ? new UserMessageView(message, this.userActions) : new ReplyView(message, this.replyDeps);
    this.element.append(view.element);
    if (view instanceof UserMessageView) this.lastUser = view;
    else this.lastReply = view;
    return view;
  }

  /** Retry goes on the last reply and Edit on the last user message, once nothing is streaming. */
  private updateLastActions(): void {
    const idle = this.streaming.size === 0;
    const messages = this.conversation?.messages ?? [];
    this.lastReply?.setRetryable(idle && messages.at(-1)?.role === 'assistant' && messages.at(-1)?.status !== 'error');
    this.lastUser?.setEditable(idle);
  }

  /** Follows the stream unless the user scrolled up to read. */
  paint(): void {
    if (this.followEnd) this.element.scrollTop = this.element.scrollHeight;
  }

  private scrollToEnd(): void {
    this.followEnd = true;
    this.element.scrollTop = this.element.scrollHeight;
  }
}
