// The chat panel's conversations: the one it shows, the history list, lookups and saving. A conversation that a
// request is writing to is always handed out as that request's live object, so the view and the request share it.
// No `vscode` import, so unit tests drive it in plain Node.
import type {
  Conversation,
  ConversationSettings,
  ConversationSummary,
  HostMessage,
  ResponseSchemaView,
} from '../../../shared/protocol';
import { toMarkdown } from './conversationMarkdown';
import { toHaystackJson } from './conversationMessages';
import { emptyConversation, markInterrupted, summaryOf } from './conversationModel';
import type { ConversationStore } from './conversationStore';

/** The part of the host log the chat writes to (a `vscode.LogOutputChannel` fits). */
export interface ChatLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Where the chat's replies and comparisons run: their conversations are live objects while they stream. */
export interface RunningConversations {
  /** The object a running request or comparison writes to. */
  live(conversationId: string): Conversation | undefined;
  /** The request streaming into the conversation (a lane id for a comparison), if any. */
  streamingRequestFor(conversationId: string): string | undefined;
}

export interface ConversationsOptions {
  store: ConversationStore;
  /** Delivers a message to the webview. */
  post: (message: HostMessage) => void;
  log: ChatLog;
  running: RunningConversations;
  /** The generator a new conversation starts with. */
  defaultGenerator: () => string | undefined;
}

export class Conversations {
  private current?: Conversation;
  private summaries?: Map<string, ConversationSummary>;

  constructor(private readonly options: ConversationsOptions) {}

  /** The live object when the conversation is open or streaming, so a request and the view share one copy. */
  async find(conversationId: string): Promise<Conversation | undefined> {
    if (this.current?.id === conversationId) return this.current;
    const live = this.options.running.live(conversationId);
    if (live) return live;
    const stored = await this.options.store.load(conversationId);
    if (stored) markInterrupted(stored);
    return stored;
  }

  /** The conversation the panel shows: the one last open, else the most recent, else a new one. */
  async shown(): Promise<Conversation> {
    if (!this.current) {
      const [latest] = await this.history();
      this.current = (latest && (await this.find(latest.id))) || emptyConversation(this.options.defaultGenerator());
    }
    return this.current;
  }

  shownId(): string | undefined {
    return this.current?.id;
  }

  async history(): Promise<ConversationSummary[]> {
    return [...(await this.summaryCache()).values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async newChat(): Promise<void> {
    if (!this.current || this.current.messages.length > 0)
      this.current = emptyConversation(this.options.defaultGenerator());
    this.options.post({ type: 'conversation', conversation: this.current });
  }

  async open(conversationId: string): Promise<void> {
    const conversation = await this.find(conversationId);
    if (!conversation) return this.notice('error', 'That conversation no longer exists.');
    this.current = conversation;
    this.postConversation(conversation);
  }

  /** Deletes the file (the caller stops its requests first); a deleted open conversation becomes a new chat. */
  async delete(conversationId: string): Promise<void> {
    await this.options.store.delete(conversationId);
    (await this.summaryCache()).delete(conversationId);
    if (this.current?.id === conversationId) await this.newChat();
    this.options.post({ type: 'history', history: await this.history() });
  }

  async setGenerator(conversationId: string, generator: string): Promise<void> {
    const conversation = await this.find(conversationId);
    if (!conversation) return;
    conversation.generator = generator;
    await this.saveIfStarted(conversation);
  }

  /** Settings override the generator's `generation_kwargs` for this conversation's later requests only. */
  async updateSettings(conversationId: string, settings: ConversationSettings): Promise<void> {
    const conversation = await this.find(conversationId);
    if (!conversation) return;
    conversation.settings = settings;
    await this.saveIfStarted(conversation);
  }

  /** Sets (or with undefined, clears) the JSON schema this conversation's later replies are requested in. */
  async setResponseSchema(conversationId: string, responseSchema: ResponseSchemaView | undefined): Promise<void> {
    const conversation = await this.find(conversationId);
    if (!conversation) return this.notice('error', 'That conversation no longer exists.');
    if (responseSchema) conversation.responseSchema = responseSchema;
    else delete conversation.responseSchema;
    await this.saveIfStarted(conversation);
    if (this.current?.id === conversationId) this.postConversation(conversation);
  }

  /** The conversation as a Markdown document or as Haystack ChatMessage JSON. */
  async export(
    conversationId: string,
    format: 'markdown' | 'haystack',
  ): Promise<{ title: string; content: string } | undefined> {
    const conversation = await this.find(conversationId);
    if (!conversation) return undefined;
    return {
      title: conversation.title,
      content: format === 'markdown' ? toMarkdown(conversation) : toHaystackJson(conversation),
    };
  }

  /** Saves; a failed save is logged and shown, never thrown (the conversation stays in memory). */
  async save(conversation: Conversation): Promise<void> {
    try {
      await this.options.store.save(conversation);
      (await this.summaryCache()).set(conversation.id, summaryOf(conversation));
    } catch (error) {
      this.options.log.error(
        `Could not save conversation ${conversation.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.notice('error', 'The conversation could not be saved; see the Generators output channel.');
    }
  }

  /** Saves in the background, then sends the history list, whose order and counts the save changed. */
  saveAndPostHistory(conversation: Conversation): void {
    void this.save(conversation).then(async () =>
      this.options.post({ type: 'history', history: await this.history() }),
    );
  }

  /** Resolves when every write started so far has finished. */
  idle(): Promise<void> {
    return this.options.store.idle();
  }

  /** Sends the conversation with the request still streaming into it, so a reopened view follows the stream. */
  postConversation(conversation: Conversation): void {
    this.options.post({
      type: 'conversation',
      conversation,
      streamingRequestId: this.options.running.streamingRequestFor(conversation.id),
    });
  }

  notice(level: 'info' | 'error', text: string): void {
    this.options.post({ type: 'notice', level, text });
  }

  private async saveIfStarted(conversation: Conversation): Promise<void> {
    if (conversation.messages.length > 0) await this.save(conversation);
  }

  private async summaryCache(): Promise<Map<string, ConversationSummary>> {
    this.summaries ??= new Map((await this.options.store.list()).map((s) => [s.id, s]));
    return this.summaries;
  }
}
