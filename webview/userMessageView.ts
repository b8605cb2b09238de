import type { ConversationMessage } from '../src/shared/protocol';
import { h } from './dom';
import { button } from './toolkit';

export interface UserMessageActions {
  copy(text: string): void;
  edit(message: ConversationMessage): void;
}

/** A message the user sent: plain text (never parsed as Markdown), its attachments and images. */
export class UserMessageView {
  readonly element: HTMLElement;
  private readonly actions = h('div', { class: 'actions' });
  private editButton?: HTMLElement;

  constructor(
    private readonly message: ConversationMessage,
    private readonly handlers: UserMessageActions,
  ) {
    const chips = (message.attachments ?? []).map((a) =>
      h('span', { class: 'chip', title: a.label }, `${a.kind === 'file' ? 'File' : 'Selection'}: ${a.label}`),
    );
    const images = (message.images ?? []).map((image) =>
      h('img', {
        class: 'thumbnail',
        src: `data:${image.mimeType};base64,${image.base64}`,
        alt: image.name ?? 'attached image',
      }),
    );
    this.element = h(
      'article',
      { class: 'message user', 'data-id': message.id, 'aria-label': 'Your message' },
      h('div', { class: 'content plain' }, message.text),
      chips.length > 0 && h('div', { class: 'attachments' }, ...chips),
      images.length > 0 && h('div', { class: 'images' }, ...images),
      this.actions,
    );
    this.actions.append(button({ label: 'Copy message', text: 'Copy', onClick: () => handlers.copy(message.text) }));
  }

  /** Only the last message of a conversation can be edited and sent again. */
  setEditable(editable: boolean): void {
    if (editable && !this.editButton) {
      this.editButton = button({
        label: 'Edit and resend this message',
        text: 'Edit',
        onClick: () => this.handlers.edit(this.message),
      });
      this.actions.append(this.editButton);
    } else if (!editable && this.editButton) {
      this.editButton.remove();
      this.editButton = undefined;
    }
  }
}
