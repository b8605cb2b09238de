import type { ConversationSummary } from '../src/shared/protocol';
import { h } from './dom';
import { button } from './toolkit';

export interface HistoryHandlers {
  open(conversationId: string): void;
  delete(conversationId: string): void;
}

/** Past conversations, newest first: open or delete each. */
export class HistoryPanel {
  readonly element = h('nav', { class: 'history', 'aria-label': 'Conversation history', hidden: true });
  private readonly list = h('ul', { class: 'history-list' });

  constructor(private readonly handlers: HistoryHandlers) {
    this.element.append(h('h2', {}, 'History'), this.list);
  }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
    if (!this.element.hidden) (this.list.querySelector('vscode-button') as HTMLElement | null)?.focus();
  }

  render(history: ConversationSummary[], currentId: string | undefined): void {
    if (history.length === 0) {
      this.list.replaceChildren(h('li', { class: 'empty' }, 'No saved conversations yet.'));
      return;
    }
    this.list.replaceChildren(
      ...history.map((item) => {
        const when = new Date(item.updatedAt).toLocaleString();
        return h(
          'li',
          {
            class: item.id === currentId ? 'current' : undefined,
            'aria-current': item.id === currentId ? 'true' : undefined,
          },
          button({
            label: `Open "${item.title}" (${item.messageCount} messages, ${when})`,
            text: item.title,
            className: 'history-open',
            onClick: () => this.handlers.open(item.id),
          }),
          h('span', { class: 'when' }, when),
          button({
            label: `Delete "${item.title}"`,
            appearance: 'icon',
            glyph: '🗑',
            onClick: () => this.handlers.delete(item.id),
          }),
        );
      }),
    );
  }
}
