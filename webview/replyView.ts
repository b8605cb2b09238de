// One assistant reply: streamed in append-only, painted once per animation frame within the frame's time budget,
// finished with its stats.
import type { ConversationMessage, ToolCallDeltaView, ToolCallView } from '../src/shared/protocol';
import { costLabel } from '../src/shared/usageTotals';
import { formatMs, h } from './dom';
import type { FrameScheduler, Paintable } from './frameScheduler';
import { MarkdownBlockSplitter } from './markdownBlocks';
import type { MarkdownRenderer } from './markdown';
import { button } from './toolkit';

export interface MessageActions {
  copy(text: string): void;
  retry(): void;
  code(code: string, mode: 'copy' | 'insert' | 'replace'): void;
}

export interface ReplyDependencies {
  renderer: MarkdownRenderer;
  scheduler: FrameScheduler;
  actions: MessageActions;
}

/**
 * Finished blocks are appended in groups of this many (plain divs: the blocks' margins collapse through them as if
 * they were not there). Layout and paint visit the content's children on every frame that appends to the reply,
 * so one child per block made each frame's cost grow with the length of the reply.
 */
const BLOCKS_PER_GROUP = 16;

const STATUS_TEXT: Partial<Record<ConversationMessage['status'], string>> = {
  stopped: 'Stopped',
  interrupted: 'Interrupted: the window reloaded while this reply was streaming.',
};

export class ReplyView implements Paintable {
  readonly element: HTMLElement;
  private readonly content = h('div', { class: 'content markdown' });
  private readonly tailNode = document.createTextNode('');
  /** The unfinished text, plain, after the rendered blocks. */
  private readonly tail = h('span', { class: 'tail' }, this.tailNode);
  private readonly reasoning = h('details', { class: 'reasoning', hidden: true }, h('summary', {}, 'Reasoning'));
  private readonly reasoningText = document.createTextNode('');
  private readonly toolCalls = h('div', { class: 'tool-calls' });
  private readonly toolCallViews = new Map<number, { summary: HTMLElement; args: Text; call: ToolCallView }>();
  private readonly status = h('div', { class: 'status' });
  private readonly stats = h('footer', { class: 'stats' });
  /** Throughput and the cost estimate, apart from the stats line so that line reads the same for every reply. */
  private readonly rates = h('div', { class: 'stats rates' });
  private readonly structured = h('div', { class: 'structured-output', hidden: true });
  private readonly actions = h('div', { class: 'actions' });
  private retryButton?: HTMLElement;
  private splitter = new MarkdownBlockSplitter();
  /** Completed blocks waiting for a frame with time to render them; shown as plain text in the tail meanwhile. */
  private queued: string[] = [];
  /** The group finished blocks go into, and how many it holds. */
  private group?: HTMLElement;
  private groupSize = 0;
  /** The reply ended and its last blocks are still being rendered, a frame's budget at a time. */
  private settling = false;
  private pendingText = '';
  private pendingReasoning = '';
  /** Everything streamed so far, to know whether the final text differs from what is on screen. */
  private streamed = '';

  constructor(
    private message: ConversationMessage,
    private readonly deps: ReplyDependencies,
  ) {
    this.reasoning.append(h('div', { class: 'reasoning-text' }, this.reasoningText));
    this.element = h(
      'article',
      { class: 'message assistant', 'data-id': message.id, 'aria-label': 'Assistant reply' },
      this.reasoning,
      this.content,
      this.structured,
      this.toolCalls,
      this.status,
      this.stats,
      this.rates,
      this.actions,
    );
    this.actions.append(
      button({ label: 'Copy reply', text: 'Copy', onClick: () => deps.actions.copy(this.message.text) }),
    );
    if (message.status === 'streaming') {
      this.element.classList.add('streaming');
      this.element.setAttribute('aria-busy', 'true');
      this.content.append(this.tail);
      this.appendText(message.text);
      this.appendReasoning(message.reasoning ?? '');
      for (const call of message.toolCalls ?? [])
        this.applyToolCallDeltas([{ index: call.index, name: call.name, id: call.id, argumentsDelta: call.arguments }]);
    } else {
      this.renderFinal(message);
    }
  }

  appendText(text: string): void {
    if (!text) return;
    this.pendingText += text;
    this.deps.scheduler.request(this);
  }

  appendReasoning(text: string): void {
    if (!text) return;
    this.pendingReasoning += text;
    this.deps.scheduler.request(this);
  }

  applyToolCallDeltas(deltas: ToolCallDeltaView[]): void {
    for (const delta of deltas) {
      let view = this.toolCallViews.get(delta.index);
      if (!view) {
        const summary = h('summary', {}, 'Tool call');
        const args = document.createTextNode('');
        this.toolCalls.append(h('details', { class: 'tool-call' }, summary, h('pre', {}, h('code', {}, args))));
        view = { summary, args, call: { index: delta.index, name: '', arguments: '' } };
        this.toolCallViews.set(delta.index, view);
      }
      if (delta.name) {
        view.call.name = delta.name;
        view.summary.textContent = `Tool call: ${delta.name}`;
      }
      if (delta.argumentsDelta) view.args.appendData(delta.argumentsDelta);
    }
  }

  /** A FallbackChatGenerator attempt failed after streaming: its partial text is not the answer. */
  restart(): void {
    this.pendingText = '';
    this.pendingReasoning = '';
    this.streamed = '';
    this.splitter = new MarkdownBlockSplitter();
    this.queued = [];
    this.group = undefined;
    this.settling = false;
    this.tailNode.data = '';
    this.content.replaceChildren(this.tail);
    this.reasoningText.data = '';
    this.reasoning.hidden = true;
    this.toolCalls.replaceChildren();
    this.toolCallViews.clear();
  }

  /**
   * Paints what arrived since the last frame: new text is appended to the tail at once (cheap, so the first token
   * shows in the next frame), completed blocks are rendered as Markdown while the frame has time. Returns true when
   * blocks are left for the next frame.
   */
  paint(): boolean {
    if (this.pendingReasoning) {
      this.reasoning.hidden = false;
      this.reasoningText.appendData(this.pendingReasoning);
      this.pendingReasoning = '';
    }
    const text = this.pendingText;
    this.pendingText = '';
    this.streamed += text;
    const previousTail = this.splitter.tail.length;
    const completed = text ? this.splitter.push(text) : [];
    this.queued.push(...completed);
    const rendered = this.renderQueued(() => this.deps.scheduler.hasTimeLeft());
    if (completed.length === 0 && rendered === 0 && this.splitter.tail.length === previousTail + text.length) {
      if (text) this.tailNode.appendData(text);
    } else {
      this.updateTail();
    }
    return this.queued.length > 0;
  }

  /**
   * The request ended: show the final reply, its status and stats. Blocks a late frame left unrendered are rendered
   * within the budget too, the rest in the next frames (so `displayedText` may still hold some Markdown source for a
   * moment): rendering them all here made the end of a reply streamed on a busy machine one long task.
   */
  finish(message: ConversationMessage): void {
    this.deps.scheduler.flush();
    this.message = message;
    this.element.classList.remove('streaming');
    this.element.removeAttribute('aria-busy');
    if (message.text === this.streamed && this.tail.parentNode === this.content) {
      const last = this.splitter.finish();
      if (last) this.queued.push(last);
      this.settling = true;
      this.renderQueued(() => this.deps.scheduler.hasTimeLeft());
      this.updateTail();
      if (this.queued.length > 0) this.deps.scheduler.request(this);
      this.renderExtras(message, false);
    } else {
      this.queued = [];
      this.renderFinal(message);
    }
  }

  /** The reply as a screen reader should hear it: the rendered text, not the Markdown source. */
  get displayedText(): string {
    return this.content.textContent ?? '';
  }

  /** Shows or hides the Retry button (only the last reply of a conversation offers it). */
  setRetryable(retryable: boolean): void {
    if (retryable && !this.retryButton) {
      this.retryButton = button({ label: 'Retry this reply', text: 'Retry', onClick: () => this.deps.actions.retry() });
      this.actions.append(this.retryButton);
    } else if (!retryable && this.retryButton) {
      this.retryButton.remove();
      this.retryButton = undefined;
    }
  }

  /** Renders queued blocks in order while `hasTimeLeft` (always one at least, so a slow frame still makes progress). */
  private renderQueued(hasTimeLeft: () => boolean): number {
    let rendered = 0;
    while (rendered < this.queued.length && (rendered === 0 || hasTimeLeft()))
      this.appendBlock(this.queued[rendered++]!);
    this.queued.splice(0, rendered);
    return rendered;
  }

  /** Shows the queued blocks and the unfinished text as plain text; gone once an ended reply has rendered them all. */
  private updateTail(): void {
    if (this.settling && this.queued.length === 0) {
      this.tail.remove();
      return;
    }
    // The splitter drops the blank lines between blocks: put one back so queued paragraphs still read apart.
    this.tailNode.data = [...this.queued, this.splitter.tail].filter((part) => part !== '').join('\n');
  }

  /** Appends a finished block before the tail, into the current group of BLOCKS_PER_GROUP blocks. */
  private appendBlock(markdown: string): void {
    if (!this.group || this.groupSize === BLOCKS_PER_GROUP) {
      this.group = h('div', { class: 'blocks' });
      this.groupSize = 0;
      this.content.insertBefore(this.group, this.tail.parentNode === this.content ? this.tail : null);
    }
    this.group.append(this.renderMarkdown(markdown));
    this.groupSize++;
  }

  private renderFinal(message: ConversationMessage): void {
    this.content.replaceChildren(this.renderMarkdown(message.text));
    this.renderExtras(message, true);
  }

  private renderExtras(message: ConversationMessage, replaceToolCalls: boolean): void {
    if (message.reasoning) {
      this.reasoning.hidden = false;
      this.reasoningText.data = message.reasoning;
    }
    if (replaceToolCalls || (message.toolCalls?.length ?? 0) !== this.toolCallViews.size) {
      this.toolCalls.replaceChildren();
      this.toolCallViews.clear();
      for (const call of message.toolCalls ?? [])
        this.applyToolCallDeltas([{ index: call.index, name: call.name, argumentsDelta: call.arguments }]);
    }
    this.element.dataset.status = message.status;
    this.status.replaceChildren();
    const statusText = STATUS_TEXT[message.status];
    if (statusText) this.status.append(h('span', { class: `badge ${message.status}` }, statusText));
    if (message.status === 'error' && message.error) {
      const error = message.error;
      this.status.append(
        h('div', { class: 'error', role: 'alert' }, h('strong', {}, error.message), h('p', {}, error.nextStep)),
        ...(error.retryable
          ? [
              button({
                label: 'Retry after the error',
                text: 'Retry',
                appearance: 'primary',
                onClick: () => this.deps.actions.retry(),
              }),
            ]
          : []),
      );
    }
    this.stats.textContent = describeStats(message);
    this.rates.textContent = describeRates(message);
    this.renderStructured(message);
  }

  /** The reply parsed as JSON and checked against the conversation's schema: the result, the problems, the JSON. */
  private renderStructured(message: ConversationMessage): void {
    const result = message.structuredOutput;
    this.structured.hidden = !result;
    if (!result) return;
    this.structured.classList.toggle('invalid', !result.valid);
    const verdict = result.valid
      ? `Valid against the schema "${result.schemaName}"`
      : `Does not match the schema "${result.schemaName}"`;
    this.structured.replaceChildren(
      h('strong', { role: result.valid ? undefined : 'alert' }, verdict),
      ...(result.errors.length
        ? [h('ul', { class: 'schema-errors' }, ...result.errors.map((error) => h('li', {}, error)))]
        : []),
      ...(result.formatted !== undefined
        ? [h('details', {}, h('summary', {}, 'Formatted JSON'), h('pre', {}, h('code', {}, result.formatted)))]
        : []),
    );
  }

  private renderMarkdown(markdown: string): DocumentFragment {
    const fragment = this.deps.renderer.render(markdown);
    for (const pre of Array.from(fragment.querySelectorAll('pre'))) addCodeToolbar(pre, this.deps.actions);
    return fragment;
  }
}

/** Copy / Insert at cursor / Replace selection above every code block. */
function addCodeToolbar(pre: HTMLElement, actions: MessageActions): void {
  const code = () => pre.querySelector('code')?.textContent ?? pre.textContent ?? '';
  const toolbar = h(
    'div',
    { class: 'code-toolbar', role: 'toolbar', 'aria-label': 'Code block actions' },
    button({ label: 'Copy code', text: 'Copy', onClick: () => actions.code(code(), 'copy') }),
    button({ label: 'Insert code at cursor', text: 'Insert', onClick: () => actions.code(code(), 'insert') }),
    button({ label: 'Replace selection with code', text: 'Replace', onClick: () => actions.code(code(), 'replace') }),
  );
  const wrapper = h('div', { class: 'code-block' });
  pre.replaceWith(wrapper);
  wrapper.append(toolbar, pre);
}

function describeRates(message: ConversationMessage): string {
  const s = message.stats;
  if (!s) return '';
  const parts: string[] = [];
  if (s.tokensPerSecond !== undefined) parts.push(`${s.tokensPerSecond} tok/s`);
  if (s.reasoningTokens !== undefined) parts.push(`${s.reasoningTokens} reasoning tokens`);
  if (s.costUsd !== undefined) parts.push(costLabel(s.costUsd));
  return parts.join(' · ');
}

function describeStats(message: ConversationMessage): string {
  const s = message.stats;
  if (!s) return '';
  const parts: string[] = [s.model ? `${s.generator} (${s.model})` : s.generator];
  if (s.answeredBy) {
    const failed = s.failedAttempts ?? [];
    parts.push(
      `answered by ${s.answeredBy.split('.').at(-1)}${failed.length ? ` after ${failed.length} failed: ${failed.map((f) => f.generator.split('.').at(-1) + (f.error ? ` (${f.error})` : '')).join(', ')}` : ''}`,
    );
  }
  if (s.finishReason) parts.push(`finish: ${s.finishReason}`);
  if (s.promptTokens !== undefined || s.completionTokens !== undefined)
    parts.push(`tokens: ${s.promptTokens ?? '?'} in / ${s.completionTokens ?? '?'} out`);
  if (s.timeToFirstTokenMs !== undefined) parts.push(`first token ${formatMs(s.timeToFirstTokenMs)}`);
  if (s.totalMs !== undefined) parts.push(`total ${formatMs(s.totalMs)}`);
  return parts.join(' · ');
}
