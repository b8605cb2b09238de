// The host side of the chat panel: what the webview and the editor commands ask for, turned into conversation
// edits (Conversations), streamed replies (ReplyRuns) and comparisons (CompareRuns).
// No `vscode` import, so unit tests drive it in plain Node against the offline provider servers.
import { randomUUID } from 'node:crypto';
import type { PriceTable } from '../../core/costEstimate';
import type {
  Conversation,
  ConversationSettings,
  GeneratorOption,
  HostMessage,
  ResponseSchemaView,
} from '../../shared/protocol';
import { COMPARE_GENERATORS } from '../../shared/protocol';
import type { GeneratorRegistryService } from '../registry/registryService';
import { CompareRuns } from './compare/compareRuns';
import { addUserMessage, titleFrom, type UserInput } from './conversations/conversationModel';
import { Conversations, type ChatLog } from './conversations/conversations';
import type { ConversationStore } from './conversations/conversationStore';
import { defaultGenerator, generatorOptions, isUsable } from './generatorOptions';
import { imageProblem } from './replies/imageSignature';
import { ReplyRuns } from './replies/replyRuns';

export interface ChatControllerOptions {
  registry: Pick<GeneratorRegistryService, 'list' | 'get' | 'defaultName'>;
  store: ConversationStore;
  /** Delivers a message to the webview (the view's channel queues it until the webview is ready). */
  post: (message: HostMessage) => void;
  log: ChatLog;
  /** How often a streaming reply is saved, so a window reload finds most of it. Default 1000 ms. */
  saveIntervalMs?: number;
  /** The user's per-model prices (`generators.prices`), read as each reply ends; without them, no cost estimate. */
  prices?: () => PriceTable;
}

export class ChatController {
  private readonly conversations: Conversations;
  private readonly replies: ReplyRuns;
  private readonly comparisons: CompareRuns;

  constructor(private readonly options: ChatControllerOptions) {
    const { registry, store, post, log, prices } = options;
    this.conversations = new Conversations({
      store,
      post,
      log,
      running: {
        live: (id) => this.replies.live(id) ?? this.comparisons.live(id),
        streamingRequestFor: (id) => this.streamingRequestFor(id),
      },
      defaultGenerator: () => defaultGenerator(registry),
    });
    const conversations = this.conversations;
    this.replies = new ReplyRuns({
      registry,
      conversations,
      post,
      log,
      prices,
      saveIntervalMs: options.saveIntervalMs ?? 1000,
    });
    this.comparisons = new CompareRuns({ registry, conversations, post, prices });
  }

  /** Generators the panel can pick: chat ones, and text ones through their prompt form. */
  generatorOptions(): GeneratorOption[] {
    return generatorOptions(this.options.registry);
  }

  /** Everything a freshly loaded webview needs, including the reply still streaming into the open conversation. */
  async state(): Promise<HostMessage> {
    const conversation = await this.conversations.shown();
    return {
      type: 'state',
      generators: this.generatorOptions(),
      conversation,
      history: await this.conversations.history(),
      streamingRequestId: this.streamingRequestFor(conversation.id),
    };
  }

  /** Sends a user message in a conversation and streams the reply. Ends with exactly one `done` or `error` post. */
  async send(requestId: string, conversationId: string, generator: string, input: UserInput): Promise<void> {
    const badImage = input.images?.map(imageProblem).find((problem) => problem !== undefined);
    if (badImage) return this.refuse(requestId, badImage, input.text);
    const conversation = await this.conversationToWrite(requestId, conversationId, input.text);
    if (!conversation) return;
    conversation.generator = generator;
    const userMessage = addUserMessage(conversation, input);
    await this.replies.start(requestId, conversation, userMessage);
  }

  /**
   * Sends one user message to two to four generators at once; their replies stream side by side and stay out of
   * the conversation's messages until one is picked. Every lane ends with exactly one `done` or `error`.
   */
  async compare(requestId: string, conversationId: string, generators: string[], input: UserInput): Promise<void> {
    const names = [...new Set(generators)];
    const { min, max } = COMPARE_GENERATORS;
    if (names.length < min || names.length > max)
      return this.refuse(requestId, `Compare needs ${min} to ${max} different generators.`, input.text);
    const badImage = input.images?.map(imageProblem).find((problem) => problem !== undefined);
    if (badImage) return this.refuse(requestId, badImage, input.text);
    const conversation = await this.conversationToWrite(requestId, conversationId, input.text);
    if (!conversation) return;
    const userMessage = addUserMessage(conversation, input);
    conversation.updatedAt = Date.now();
    await this.comparisons.run(requestId, conversation, names, userMessage);
  }

  /** Continues with one reply of a finished comparison: it joins the messages and its generator becomes the conversation's. */
  async pickCompared(conversationId: string, requestId: string, laneId: string): Promise<void> {
    await this.comparisons.pick(await this.conversations.find(conversationId), requestId, laneId);
  }

  /**
   * Sends a message on behalf of an editor command into the open conversation (a new one if the open one is busy),
   * with the conversation's generator while it is still configured and buildable, else the configured default (the
   * panel's picker makes the same choice, so the reply comes from the generator the user sees selected).
   */
  async sendFromCommand(input: UserInput): Promise<void> {
    let conversation = await this.conversations.shown();
    if (this.streamingRequestFor(conversation.id)) {
      await this.conversations.newChat();
      conversation = await this.conversations.shown();
    }
    const registry = this.options.registry;
    const generator = isUsable(registry, conversation.generator) ? conversation.generator : defaultGenerator(registry);
    if (!generator)
      return this.conversations.notice(
        'error',
        "No chat generator is configured. Add one to the 'generators.generators' setting.",
      );
    this.options.post({ type: 'conversation', conversation });
    await this.send(randomUUID(), conversation.id, generator, input);
  }

  /** Generates the last reply again. */
  async retry(requestId: string, conversationId: string): Promise<void> {
    const conversation = await this.conversationToWrite(requestId, conversationId);
    if (!conversation) return;
    if (conversation.messages.at(-1)?.role === 'assistant') conversation.messages.pop();
    if (conversation.messages.at(-1)?.role !== 'user') return this.refuse(requestId, 'There is no message to retry.');
    this.options.post({ type: 'conversation', conversation });
    await this.replies.start(requestId, conversation);
  }

  /** Replaces the text of the last user message (keeping its attachments) and generates the reply again. */
  async editLast(requestId: string, conversationId: string, text: string): Promise<void> {
    const conversation = await this.conversationToWrite(requestId, conversationId, text);
    if (!conversation) return;
    if (conversation.messages.at(-1)?.role === 'assistant') conversation.messages.pop();
    const last = conversation.messages.at(-1);
    if (last?.role !== 'user') return this.refuse(requestId, 'There is no message to edit.', text);
    last.text = text;
    if (conversation.messages.filter((m) => m.role === 'user').length === 1)
      conversation.title = titleFrom(text, last.attachments);
    this.options.post({ type: 'conversation', conversation });
    await this.replies.start(requestId, conversation);
  }

  /** Cancels a request end to end (any lane of a comparison stops them all); partial replies are kept, marked stopped. */
  stop(requestId: string): void {
    if (!this.comparisons.stop(requestId)) this.replies.stop(requestId);
  }

  newChat(): Promise<void> {
    return this.conversations.newChat();
  }

  open(conversationId: string): Promise<void> {
    return this.conversations.open(conversationId);
  }

  async delete(conversationId: string): Promise<void> {
    this.replies.stopConversation(conversationId);
    this.comparisons.stopConversation(conversationId);
    await this.conversations.delete(conversationId);
  }

  setGenerator(conversationId: string, generator: string): Promise<void> {
    return this.conversations.setGenerator(conversationId, generator);
  }

  /** Settings override the generator's `generation_kwargs` for this conversation's later requests only. */
  updateSettings(conversationId: string, settings: ConversationSettings): Promise<void> {
    return this.conversations.updateSettings(conversationId, settings);
  }

  /** Sets (or with undefined, clears) the JSON schema this conversation's later replies are requested in. */
  setResponseSchema(conversationId: string, responseSchema: ResponseSchemaView | undefined): Promise<void> {
    return this.conversations.setResponseSchema(conversationId, responseSchema);
  }

  /** A conversation by id, or the one the panel shows (for commands that export or configure it). */
  conversation(conversationId?: string): Promise<Conversation | undefined> {
    return conversationId === undefined ? this.conversations.shown() : this.conversations.find(conversationId);
  }

  /** The conversation as a Markdown document or as Haystack ChatMessage JSON. */
  exportConversation(
    conversationId: string,
    format: 'markdown' | 'haystack',
  ): Promise<{ title: string; content: string } | undefined> {
    return this.conversations.export(conversationId, format);
  }

  currentConversationId(): string | undefined {
    return this.conversations.shownId();
  }

  /** The request streaming in the open conversation, for the Stop shortcut. */
  currentRequestId(): string | undefined {
    const id = this.conversations.shownId();
    return id === undefined ? undefined : this.streamingRequestFor(id);
  }

  /** Aborts every request and waits for the stopped replies to be saved (extension deactivation). */
  async dispose(): Promise<void> {
    this.replies.stopAll();
    this.comparisons.stopAll();
    await this.conversations.idle();
  }

  private streamingRequestFor(conversationId: string): string | undefined {
    return this.replies.streamingRequestFor(conversationId) ?? this.comparisons.streamingRequestFor(conversationId);
  }

  /** The conversation a new request may write to, or a refusal that hands the typed text back. */
  private async conversationToWrite(
    requestId: string,
    conversationId: string,
    userText?: string,
  ): Promise<Conversation | undefined> {
    if (this.replies.has(requestId)) {
      this.refuse(requestId, 'That request id is already in use.', userText);
      return undefined;
    }
    const conversation = await this.conversations.find(conversationId);
    if (!conversation) {
      this.refuse(
        requestId,
        'That conversation no longer exists. Start a new chat and send the message again.',
        userText,
      );
      return undefined;
    }
    if (this.streamingRequestFor(conversationId)) {
      this.refuse(
        requestId,
        'A reply is still streaming in this conversation. Stop it or wait for it to finish.',
        userText,
      );
      return undefined;
    }
    return conversation;
  }

  private refuse(requestId: string, reason: string, userText?: string): void {
    this.options.post({ type: 'error', requestId, reason, userText });
  }
}
