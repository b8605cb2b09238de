// The host side of the chat panel: conversations, requests to generators and their streams.
// No `vscode` import, so unit tests drive it in plain Node against the offline provider servers.
import { randomUUID } from 'node:crypto';
import { GeneratorError } from '../../core/errors';
import type { StreamingChunk } from '../../core/streamingChunk';
import type { Generator } from '../../core/generator';
import type { GeneratorRegistryService } from '../hostServices';
import type {
  Conversation,
  ConversationMessage,
  ConversationSettings,
  ConversationSummary,
  GeneratorOption,
  HostMessage,
  ImageAttachment,
  ResponseSchemaView,
  TextAttachment,
} from '../../shared/protocol';
import { COMPARE_GENERATORS } from '../../shared/protocol';
import type { PriceTable } from '../../core/costEstimate';
import { checkStructuredReply } from '../conversationSchema';
import { completeReplyStats } from '../replyUsage';
import type { ConversationStore } from './conversationStore';
import { toHaystackJson } from './conversationMessages';
import { toMarkdown } from './conversationMarkdown';
import { toErrorView } from './errorView';
import { imageProblem } from './imageSignature';
import { Comparison, comparisonIdOf } from './comparison';
import { applyChunk } from './replyAssembly';
import { generateReply } from './replyGeneration';

/** The part of the host log the controller writes to (a `vscode.LogOutputChannel` fits). */
export interface ChatLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

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

/** What a user message carries besides its text. */
export interface UserInput {
  text: string;
  attachments?: TextAttachment[];
  images?: ImageAttachment[];
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

export class ChatController {
  private current?: Conversation;
  private summaries?: Map<string, ConversationSummary>;
  private readonly active = new Map<string, ActiveRequest>();
  /** Running comparisons by request id; a conversation has at most one request or comparison at a time. */
  private readonly comparisons = new Map<string, { comparison: Comparison; conversation: Conversation }>();
  private readonly saveIntervalMs: number;

  constructor(private readonly options: ChatControllerOptions) {
    this.saveIntervalMs = options.saveIntervalMs ?? 1000;
  }

  /** Generators the panel can pick: chat ones, and text ones through their prompt form. */
  generatorOptions(): GeneratorOption[] {
    return this.options.registry
      .list()
      .filter((entry) => entry.kind === 'chat' || entry.kind === 'text')
      .map((entry) => {
        const option: GeneratorOption = { name: entry.name, kind: entry.kind, acceptsImages: false };
        if (entry.model) option.model = entry.model;
        if (entry.error) option.error = entry.error;
        else option.acceptsImages = this.acceptsImages(entry.name);
        return option;
      });
  }

  /** Everything a freshly loaded webview needs, including the reply still streaming into the open conversation. */
  async state(): Promise<HostMessage> {
    const conversation = await this.currentConversation();
    return {
      type: 'state',
      generators: this.generatorOptions(),
      conversation,
      history: await this.history(),
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
    await this.startReply(requestId, conversation, userMessage);
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
    const comparison = new Comparison(requestId, conversation, [...conversation.messages], names, {
      registry: this.options.registry,
      post: this.options.post,
      prices: this.options.prices,
    });
    conversation.comparison = { requestId, lanes: comparison.lanes };
    this.comparisons.set(requestId, { comparison, conversation });
    this.options.post({ type: 'compareStarted', requestId, conversationId, userMessage, lanes: comparison.lanes });
    void this.save(conversation).then(async () =>
      this.options.post({ type: 'history', history: await this.history() }),
    );
    await comparison.run();
    this.comparisons.delete(requestId);
    conversation.updatedAt = Date.now();
    void this.save(conversation).then(async () =>
      this.options.post({ type: 'history', history: await this.history() }),
    );
  }

  /** Continues with one reply of a finished comparison: it joins the messages and its generator becomes the conversation's. */
  async pickCompared(conversationId: string, requestId: string, laneId: string): Promise<void> {
    const conversation = await this.find(conversationId);
    const pending = conversation?.comparison;
    const lane = pending?.requestId === requestId ? pending.lanes.find((l) => l.laneId === laneId) : undefined;
    if (!conversation || !lane || this.comparisons.has(requestId))
      return this.notice('error', 'That comparison is no longer open, or is still streaming.');
    if (lane.reply.status === 'error' || lane.reply.text === '')
      return this.notice('error', `"${lane.generator}" has no reply to continue with; pick another.`);
    conversation.messages.push(lane.reply);
    conversation.generator = lane.generator;
    delete conversation.comparison;
    conversation.updatedAt = Date.now();
    await this.save(conversation);
    this.options.post({ type: 'conversation', conversation });
  }

  /**
   * Sends a message on behalf of an editor command into the open conversation (a new one if the open one is busy),
   * with the conversation's generator while it is still configured and buildable, else the configured default (the
   * panel's picker makes the same choice, so the reply comes from the generator the user sees selected).
   */
  async sendFromCommand(input: UserInput): Promise<void> {
    let conversation = await this.currentConversation();
    if (this.streamingRequestFor(conversation.id)) {
      await this.newChat();
      conversation = await this.currentConversation();
    }
    const generator = this.isUsable(conversation.generator) ? conversation.generator : this.defaultGenerator();
    if (!generator)
      return this.notice('error', "No chat generator is configured. Add one to the 'generators.generators' setting.");
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
    await this.startReply(requestId, conversation);
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
    await this.startReply(requestId, conversation);
  }

  /** Cancels a request end to end; the partial reply is kept and marked stopped. */
  stop(requestId: string): void {
    // Stopping any lane of a comparison stops them all.
    const running = this.comparisons.get(comparisonIdOf(requestId) ?? requestId);
    if (running) return running.comparison.stop();
    const request = this.active.get(requestId);
    if (!request) return;
    request.abort.abort(new GeneratorError('Stopped by the user.', { code: 'cancelled' }));
    this.finish(request, 'stopped');
  }

  async newChat(): Promise<void> {
    if (!this.current || this.current.messages.length > 0) this.current = emptyConversation(this.defaultGenerator());
    this.options.post({ type: 'conversation', conversation: this.current });
  }

  async open(conversationId: string): Promise<void> {
    const conversation = await this.find(conversationId);
    if (!conversation) return this.notice('error', 'That conversation no longer exists.');
    this.current = conversation;
    this.options.post({
      type: 'conversation',
      conversation,
      streamingRequestId: this.streamingRequestFor(conversation.id),
    });
  }

  async delete(conversationId: string): Promise<void> {
    for (const request of this.active.values())
      if (request.conversation.id === conversationId) this.stop(request.requestId);
    for (const { comparison, conversation } of this.comparisons.values())
      if (conversation.id === conversationId) comparison.stop();
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
    if (this.current?.id === conversationId)
      this.options.post({
        type: 'conversation',
        conversation,
        streamingRequestId: this.streamingRequestFor(conversationId),
      });
  }

  /** A conversation by id, or the one the panel shows (for commands that export or configure it). */
  async conversation(conversationId?: string): Promise<Conversation | undefined> {
    return conversationId === undefined ? this.currentConversation() : this.find(conversationId);
  }

  /** The conversation as a Markdown document or as Haystack ChatMessage JSON. */
  async exportConversation(
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

  currentConversationId(): string | undefined {
    return this.current?.id;
  }

  /** The request streaming in the open conversation, for the Stop shortcut. */
  currentRequestId(): string | undefined {
    return this.current ? this.streamingRequestFor(this.current.id) : undefined;
  }

  /** Aborts every request and waits for the stopped replies to be saved (extension deactivation). */
  async dispose(): Promise<void> {
    const requests = [...this.active.values()];
    for (const request of requests) this.stop(request.requestId);
    for (const { comparison } of this.comparisons.values()) comparison.stop();
    await this.options.store.idle();
  }

  private async startReply(
    requestId: string,
    conversation: Conversation,
    userMessage?: ConversationMessage,
  ): Promise<void> {
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
    void this.save(conversation).then(async () =>
      this.options.post({ type: 'history', history: await this.history() }),
    );
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
    if (Date.now() - request.lastSavedAt >= this.saveIntervalMs) {
      request.lastSavedAt = Date.now();
      void this.save(request.conversation);
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
    void this.save(conversation).then(async () =>
      this.options.post({ type: 'history', history: await this.history() }),
    );
  }

  /** The conversation a new request may write to, or a refusal that hands the typed text back. */
  private async conversationToWrite(
    requestId: string,
    conversationId: string,
    userText?: string,
  ): Promise<Conversation | undefined> {
    if (this.active.has(requestId)) {
      this.refuse(requestId, 'That request id is already in use.', userText);
      return undefined;
    }
    const conversation = await this.find(conversationId);
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

  private notice(level: 'info' | 'error', text: string): void {
    this.options.post({ type: 'notice', level, text });
  }

  private streamingRequestFor(conversationId: string): string | undefined {
    for (const request of this.active.values())
      if (request.conversation.id === conversationId) return request.requestId;
    for (const { comparison, conversation } of this.comparisons.values()) {
      if (conversation.id === conversationId && !comparison.stopped)
        return comparison.lanes.find((lane) => lane.reply.status === 'streaming')?.laneId;
    }
    return undefined;
  }

  /** The live object when the conversation is open or streaming, so a request and the view share one copy. */
  private async find(conversationId: string): Promise<Conversation | undefined> {
    if (this.current?.id === conversationId) return this.current;
    for (const request of this.active.values())
      if (request.conversation.id === conversationId) return request.conversation;
    for (const { conversation } of this.comparisons.values())
      if (conversation.id === conversationId) return conversation;
    const stored = await this.options.store.load(conversationId);
    if (stored) markInterrupted(stored);
    return stored;
  }

  /** The conversation the panel shows: the one last open, else the most recent, else a new one. */
  private async currentConversation(): Promise<Conversation> {
    if (!this.current) {
      const [latest] = await this.history();
      this.current = (latest && (await this.find(latest.id))) || emptyConversation(this.defaultGenerator());
    }
    return this.current;
  }

  private async history(): Promise<ConversationSummary[]> {
    return [...(await this.summaryCache()).values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  private async summaryCache(): Promise<Map<string, ConversationSummary>> {
    this.summaries ??= new Map((await this.options.store.list()).map((s) => [s.id, s]));
    return this.summaries;
  }

  private async save(conversation: Conversation): Promise<void> {
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

  private async saveIfStarted(conversation: Conversation): Promise<void> {
    if (conversation.messages.length > 0) await this.save(conversation);
  }

  /** Whether `name` is still a generator the panel offers: settings can remove, rename or break it after a conversation chose it. */
  private isUsable(name: string | undefined): name is string {
    return name !== undefined && this.generatorOptions().some((option) => option.name === name && !option.error);
  }

  private defaultGenerator(): string | undefined {
    const options = this.generatorOptions().filter((o) => !o.error);
    return (
      this.options.registry.defaultName('chat') ?? options.find((o) => o.kind === 'chat')?.name ?? options[0]?.name
    );
  }

  private acceptsImages(name: string): boolean {
    try {
      const generator: Generator = this.options.registry.get(name);
      return generator.kind === 'chat' && generator.acceptsImages === true;
    } catch {
      return false;
    }
  }
}

function emptyConversation(generator: string | undefined): Conversation {
  const now = Date.now();
  const conversation: Conversation = {
    id: randomUUID(),
    title: 'New chat',
    settings: {},
    messages: [],
    createdAt: now,
    updatedAt: now,
  };
  if (generator) conversation.generator = generator;
  return conversation;
}

function titleFrom(text: string, attachments: TextAttachment[] | undefined): string {
  const line = text.trim().split('\n')[0] || attachments?.[0]?.label || 'New chat';
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

function summaryOf(conversation: Conversation): ConversationSummary {
  return {
    id: conversation.id,
    title: conversation.title,
    updatedAt: conversation.updatedAt,
    messageCount: conversation.messages.length,
  };
}

/** A reply saved while streaming whose request is gone (the window reloaded) can only be shown as interrupted. */
function markInterrupted(conversation: Conversation): void {
  for (const message of conversation.messages) if (message.status === 'streaming') message.status = 'interrupted';
  for (const lane of conversation.comparison?.lanes ?? [])
    if (lane.reply.status === 'streaming') lane.reply.status = 'interrupted';
}

/** Adds the user's message (with its attachments) to the conversation; the first one names the conversation. */
function addUserMessage(conversation: Conversation, input: UserInput): ConversationMessage {
  const userMessage: ConversationMessage = {
    id: randomUUID(),
    role: 'user',
    text: input.text,
    status: 'complete',
    createdAt: Date.now(),
  };
  if (input.attachments?.length) userMessage.attachments = input.attachments;
  if (input.images?.length) userMessage.images = input.images;
  if (!conversation.messages.some((m) => m.role === 'user'))
    conversation.title = titleFrom(input.text, input.attachments);
  conversation.messages.push(userMessage);
  return userMessage;
}
