// The chat panel: wires the header, conversation, composer and panels to the host protocol.
import type {
  ConversationMessage,
  ConversationSummary,
  GeneratorOption,
  HostMessage,
  WebviewMessage,
} from '../src/shared/protocol';
import { dispatchMessage, type MessageHandlers } from '../src/shared/messageHandlers';
import { conversationTotals, costLabel } from '../src/shared/usageTotals';
import { ComparePicker } from './comparePicker';
import { Composer } from './composer';
import { ConversationView } from './conversationView';
import { h } from './dom';
import { FrameScheduler } from './frameScheduler';
import { HistoryPanel } from './historyPanel';
import { createMarkdownRenderer } from './markdown';
import { SettingsPanel } from './settingsPanel';
import { button, dropdown } from './toolkit';
import type { PersistedState } from './vscodeApi';

/** The host as the app sees it (the real one is `acquireVsCodeApi()`). */
export interface HostConnection {
  postMessage(message: WebviewMessage): void;
  getState(): PersistedState | undefined;
  setState(state: PersistedState): void;
}

export class ChatApp {
  private generators: GeneratorOption[] = [];
  private historyItems: ConversationSummary[] = [];
  /** A request sent but not yet answered by `replyStarted` (or refused). */
  private pendingRequest?: string;
  private readonly scheduler = new FrameScheduler();
  private readonly picker = dropdown('Generator for this conversation', (name) => this.pickGenerator(name));
  private readonly notices = h('div', { class: 'notices', role: 'status' });
  private readonly comparePicker = new ComparePicker();
  private readonly usage = h('p', { class: 'usage-total', hidden: true });
  /** Says that replies are requested in a JSON schema (set with 'Generators: Set Response Schema'). */
  private readonly schemaNote = h('p', { class: 'schema-note', hidden: true });
  /** Announces finished replies to screen readers; tokens are never announced one by one. */
  private readonly announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
  private readonly conversation: ConversationView;
  private readonly composer: Composer;
  private readonly history: HistoryPanel;
  private readonly settings: SettingsPanel;

  constructor(
    root: HTMLElement,
    private readonly host: HostConnection,
  ) {
    const renderer = createMarkdownRenderer(window);
    this.conversation = new ConversationView(
      {
        renderer,
        scheduler: this.scheduler,
        actions: {
          copy: (text) => this.post({ type: 'copy', text }),
          retry: () => this.retry(),
          code: (code, mode) =>
            this.post(mode === 'copy' ? { type: 'copy', text: code } : { type: 'insertCode', code, mode }),
        },
      },
      { copy: (text) => this.post({ type: 'copy', text }), edit: (message) => this.composer.startEdit(message.text) },
      (requestId, laneId) => {
        const conversationId = this.conversation.id;
        if (conversationId) this.post({ type: 'pickCompared', conversationId, requestId, laneId });
      },
    );
    this.composer = new Composer({
      send: (text, attachments, images) => this.send(text, attachments, images),
      editLast: (text) =>
        this.startRequest((requestId, conversationId) => ({ type: 'editLast', requestId, conversationId, text })),
      stop: () => this.stop(),
      requestAttachment: (kind) => this.post({ type: 'requestAttachment', kind }),
      acceptsImages: () => this.selectedGenerator()?.acceptsImages === true,
      notice: (text) => this.notice('error', text),
      draftChanged: (draft) => this.host.setState({ ...this.host.getState(), draft }),
    });
    this.history = new HistoryPanel({
      open: (conversationId) => this.post({ type: 'openConversation', conversationId }),
      delete: (conversationId) => this.post({ type: 'deleteConversation', conversationId }),
    });
    this.settings = new SettingsPanel((settings) => {
      const id = this.conversation.id;
      if (id) this.post({ type: 'updateSettings', conversationId: id, settings });
    });
    this.settings.element.append(
      h(
        'div',
        { class: 'export' },
        button({
          label: 'Export this conversation as Markdown',
          text: 'Export Markdown',
          onClick: () => this.export('markdown'),
        }),
        button({
          label: 'Export this conversation as Haystack ChatMessage JSON',
          text: 'Export JSON',
          onClick: () => this.export('haystack'),
        }),
      ),
    );
    const header = h(
      'header',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Chat' },
      this.picker.element,
      button({ label: 'New chat', text: 'New', onClick: () => this.post({ type: 'newChat' }) }),
      button({ label: 'Show conversation history', text: 'History', onClick: () => this.history.toggle() }),
      button({ label: 'Compare generators', text: 'Compare', onClick: () => this.comparePicker.toggle() }),
      button({ label: 'Conversation settings and export', text: 'Settings', onClick: () => this.settings.toggle() }),
    );
    root.replaceChildren(
      header,
      this.comparePicker.element,
      this.history.element,
      this.settings.element,
      this.notices,
      this.schemaNote,
      this.usage,
      this.conversation.element,
      this.composer.element,
      this.announcer,
    );
    // Links never navigate the webview: the host opens web and mail links outside it, after checking the scheme.
    // Propagation stops here so that VS Code's own window-level link handler does not open the link a second time.
    const openLink = (event: MouseEvent) => {
      const link = event.target instanceof Element ? event.target.closest('a') : null;
      if (!link) return;
      event.preventDefault();
      event.stopPropagation();
      const href = link.getAttribute('href');
      if (href) this.post({ type: 'openLink', href });
    };
    this.conversation.element.addEventListener('click', openLink);
    this.conversation.element.addEventListener('auxclick', openLink);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.busy && !event.defaultPrevented) this.stop();
    });
    const draft = this.host.getState()?.draft;
    if (draft) this.composer.restore(draft);
  }

  handle(message: HostMessage): void {
    dispatchMessage(this.handlers, message);
  }

  /** One handler per host message type: a type added to the protocol without one here fails the build. */
  private readonly handlers: MessageHandlers<HostMessage> = {
    state: (message) => {
      this.generators = message.generators;
      this.historyItems = message.history;
      this.showConversation(message.conversation, message.streamingRequestId);
    },
    generators: (message) => {
      this.generators = message.generators;
      this.renderPicker();
    },
    history: (message) => {
      this.historyItems = message.history;
      this.history.render(message.history, this.conversation.id);
    },
    conversation: (message) => this.showConversation(message.conversation, message.streamingRequestId),
    replyStarted: (message) => {
      if (message.requestId === this.pendingRequest) this.pendingRequest = undefined;
      this.conversation.replyStarted(message.requestId, message.conversationId, message.userMessage, message.reply);
      this.updateBusy();
    },
    compareStarted: (message) => {
      if (message.requestId === this.pendingRequest) this.pendingRequest = undefined;
      this.conversation.compareStarted(message.requestId, message.conversationId, message.userMessage, message.lanes);
      this.updateBusy();
    },
    chunk: (message) => this.conversation.chunk(message),
    done: (message) => this.requestEnded(message),
    error: (message) => this.requestEnded(message),
    attachment: (message) => this.composer.addAttachment(message.attachment),
    focusInput: () => this.composer.focus(),
    notice: (message) => this.notice(message.level, message.text),
  };

  private get busy(): boolean {
    return this.pendingRequest !== undefined || this.conversation.activeRequestId !== undefined;
  }

  private showConversation(conversation: Parameters<ConversationView['show']>[0], streamingRequestId?: string): void {
    this.conversation.show(conversation, streamingRequestId);
    this.history.render(this.historyItems, conversation.id);
    this.settings.show(conversation.settings);
    this.renderPicker();
    this.renderUsage();
    const schema = conversation.responseSchema;
    this.schemaNote.hidden = !schema;
    this.schemaNote.textContent = schema
      ? `Replies are requested as JSON following "${schema.name}" (${schema.source}) and checked against it.`
      : '';
    this.updateBusy();
  }

  private requestEnded(message: Extract<HostMessage, { type: 'done' | 'error' }>): void {
    if (message.requestId === this.pendingRequest) this.pendingRequest = undefined;
    if (message.type === 'error' && !message.message) {
      if (message.reason) this.notice('error', message.reason);
      if (message.userText) this.composer.restore(message.userText);
    } else if (message.message) {
      const displayed = this.conversation.finish(message.requestId, message.message);
      if (displayed !== undefined) this.announce(message.message, displayed);
    }
    this.renderUsage();
    this.updateBusy();
  }

  private send(
    text: string,
    attachments: Parameters<Composer['addAttachment']>[0][],
    images: Extract<WebviewMessage, { type: 'send' }>['images'],
  ): boolean {
    const generator = this.selectedGenerator();
    if (!generator) {
      this.notice(
        'error',
        "No chat generator is configured. Add one to the 'generators.generators' setting, then pick it above.",
      );
      return false;
    }
    const compared = this.comparePicker.generators;
    if (compared)
      return this.startRequest((requestId, conversationId) => ({
        type: 'compare',
        requestId,
        conversationId,
        generators: compared,
        text,
        attachments,
        images,
      }));
    return this.startRequest((requestId, conversationId) => ({
      type: 'send',
      requestId,
      conversationId,
      generator: generator.name,
      text,
      attachments,
      images,
    }));
  }

  private retry(): void {
    this.startRequest((requestId, conversationId) => ({ type: 'retry', requestId, conversationId }));
  }

  private startRequest(build: (requestId: string, conversationId: string) => WebviewMessage): boolean {
    const conversationId = this.conversation.id;
    if (!conversationId || this.busy) return false;
    const requestId = newId();
    this.pendingRequest = requestId;
    this.post(build(requestId, conversationId));
    this.updateBusy();
    return true;
  }

  private stop(): void {
    const requestId = this.conversation.activeRequestId ?? this.pendingRequest;
    if (requestId) this.post({ type: 'stop', requestId });
  }

  private export(format: 'markdown' | 'haystack'): void {
    const conversationId = this.conversation.id;
    if (conversationId) this.post({ type: 'export', conversationId, format });
  }

  private pickGenerator(name: string): void {
    const current = this.conversation.current;
    if (!current || current.generator === name) return;
    current.generator = name;
    this.post({ type: 'setGenerator', conversationId: current.id, generator: name });
  }

  private selectedGenerator(): GeneratorOption | undefined {
    const name = this.conversation.current?.generator;
    const usable = this.generators.filter((g) => !g.error);
    return usable.find((g) => g.name === name) ?? usable[0];
  }

  private renderPicker(): void {
    const selected = this.selectedGenerator();
    this.picker.setEntries(
      this.generators.map((g) => ({
        value: g.name,
        text: `${g.name}${g.model ? ` (${g.model})` : ''}${g.kind === 'text' ? ' [text]' : ''}`,
        disabled: g.error !== undefined,
        title: g.error,
      })),
      selected?.name,
    );
    this.comparePicker.render(this.generators);
  }

  /** The open conversation's token totals, with a cost estimate where the user configured prices. */
  private renderUsage(): void {
    const totals = conversationTotals(this.conversation.current?.messages ?? []);
    this.usage.hidden = totals.replies === 0;
    const reasoning = totals.reasoningTokens ? `, ${totals.reasoningTokens} reasoning` : '';
    const priced = totals.replies - totals.unpricedReplies;
    const cost =
      totals.costUsd === undefined
        ? ''
        : ` · ${costLabel(totals.costUsd)}${totals.unpricedReplies ? ` for ${priced} of ${totals.replies} replies` : ''}`;
    this.usage.textContent = `This conversation: ${totals.totalTokens} tokens (${totals.inputTokens} in / ${totals.outputTokens} out${reasoning})${cost}`;
  }

  private updateBusy(): void {
    this.composer.setBusy(this.busy);
  }

  private notice(level: 'info' | 'error', text: string): void {
    const item = h(
      'p',
      { class: `notice ${level}` },
      text,
      button({ label: 'Dismiss notice', appearance: 'icon', glyph: '×', onClick: () => item.remove() }),
    );
    this.notices.append(item);
    while (this.notices.childElementCount > 3) this.notices.firstElementChild?.remove();
  }

  private announce(message: ConversationMessage, rendered: string): void {
    const displayed = rendered.trim();
    const text =
      message.status === 'error'
        ? `Reply failed: ${message.error?.message ?? ''} ${message.error?.nextStep ?? ''}`
        : message.status === 'stopped'
          ? `Reply stopped. ${displayed.slice(0, 400)}`
          : `Reply finished. ${displayed.slice(0, 1000)}`;
    this.announcer.textContent = text;
  }

  private post(message: WebviewMessage): void {
    this.host.postMessage(message);
  }
}

function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
