// The message input: Enter sends, Shift+Enter adds a line, Escape stops; attachments and pasted/dropped images.
import {
  IMAGE_MIME_TYPES,
  LIMITS,
  type ImageAttachment,
  type ImageMimeType,
  type TextAttachment,
} from '../src/shared/protocol';
import { h } from './dom';
import { button, setButtonDisabled } from './toolkit';

export interface ComposerHandlers {
  /** Returns false when the message cannot be sent now; the composer then keeps it. */
  send(text: string, attachments: TextAttachment[], images: ImageAttachment[]): boolean;
  editLast(text: string): boolean;
  stop(): void;
  requestAttachment(kind: 'selection' | 'file'): void;
  /** Whether the picked generator reads images (else a pasted image is refused with a notice). */
  acceptsImages(): boolean;
  notice(text: string): void;
  draftChanged(text: string): void;
}

export class Composer {
  readonly element: HTMLElement;
  private readonly input = h('textarea', {
    class: 'input',
    rows: '3',
    'aria-label': 'Message',
    placeholder: 'Ask anything (Enter sends, Shift+Enter adds a line)',
  });
  private readonly chips = h('div', { class: 'chips', 'aria-label': 'Attachments' });
  private readonly editBanner = h(
    'div',
    { class: 'edit-banner', hidden: true },
    'Editing your last message. Escape cancels.',
  );
  private readonly sendButton: HTMLElement;
  private readonly stopButton: HTMLElement;
  private attachments: TextAttachment[] = [];
  private images: ImageAttachment[] = [];
  private editing = false;
  private busy = false;

  constructor(private readonly handlers: ComposerHandlers) {
    this.sendButton = button({
      label: 'Send message',
      text: 'Send',
      appearance: 'primary',
      onClick: () => this.submit(),
    });
    this.stopButton = button({ label: 'Stop the reply', text: 'Stop', onClick: () => handlers.stop() });
    this.stopButton.hidden = true;
    this.element = h(
      'div',
      { class: 'composer' },
      this.editBanner,
      this.chips,
      this.input,
      h(
        'div',
        { class: 'composer-actions' },
        button({
          label: 'Attach the editor selection',
          text: 'Selection',
          onClick: () => handlers.requestAttachment('selection'),
        }),
        button({
          label: "Attach the active editor's file",
          text: 'File',
          onClick: () => handlers.requestAttachment('file'),
        }),
        h('span', { class: 'spacer' }),
        this.stopButton,
        this.sendButton,
      ),
    );
    this.input.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.input.addEventListener('input', () => handlers.draftChanged(this.input.value));
    this.input.addEventListener('paste', (event) => this.addImages(event.clipboardData?.files, event));
    this.element.addEventListener('dragover', (event) => event.preventDefault());
    this.element.addEventListener('drop', (event) => this.addImages(event.dataTransfer?.files, event));
  }

  focus(): void {
    this.input.focus();
  }

  get text(): string {
    return this.input.value;
  }

  /** Puts text back (a draft after reload, or a message the host refused) without overwriting what the user typed since. */
  restore(text: string): void {
    if (this.input.value.trim() === '') this.input.value = text;
    else if (this.input.value !== text) this.input.value = `${this.input.value}\n\n${text}`;
    this.handlers.draftChanged(this.input.value);
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.stopButton.hidden = !busy;
    this.sendButton.hidden = busy;
    setButtonDisabled(this.stopButton, !busy);
  }

  addAttachment(attachment: TextAttachment): void {
    if (this.attachments.length >= LIMITS.attachments)
      return this.handlers.notice(`At most ${LIMITS.attachments} attachments per message.`);
    this.attachments.push(attachment);
    this.renderChips();
  }

  startEdit(text: string): void {
    this.editing = true;
    this.editBanner.hidden = false;
    this.input.value = text;
    this.focus();
  }

  private cancelEdit(): void {
    this.editing = false;
    this.editBanner.hidden = true;
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submit();
    } else if (event.key === 'Escape' && (this.busy || this.editing)) {
      event.preventDefault();
      if (this.busy) this.handlers.stop();
      else this.cancelEdit();
    }
  }

  private submit(): void {
    if (this.busy) return;
    const text = this.input.value;
    if (this.editing) {
      if (text.trim() === '' || !this.handlers.editLast(text)) return;
      this.cancelEdit();
    } else {
      if (text.trim() === '' && this.attachments.length === 0 && this.images.length === 0) return;
      if (!this.handlers.send(text, this.attachments, this.images)) return;
      this.attachments = [];
      this.images = [];
      this.renderChips();
    }
    this.input.value = '';
    this.handlers.draftChanged('');
  }

  private addImages(files: FileList | undefined | null, event: Event): void {
    const images = Array.from(files ?? []).filter((file) => file.type.startsWith('image/'));
    if (images.length === 0) return;
    event.preventDefault();
    if (!this.handlers.acceptsImages())
      return this.handlers.notice('The selected generator does not accept images. Pick one whose model reads images.');
    for (const file of images) {
      if (!(IMAGE_MIME_TYPES as readonly string[]).includes(file.type)) {
        this.handlers.notice(`${file.name}: only PNG, JPEG, GIF and WebP images can be attached.`);
        continue;
      }
      if (this.images.length >= LIMITS.images)
        return this.handlers.notice(`At most ${LIMITS.images} images per message.`);
      const reader = new FileReader();
      reader.addEventListener('load', () => {
        const base64 = String(reader.result).split(',', 2)[1] ?? '';
        if (base64.length > LIMITS.imageBase64) return this.handlers.notice(`${file.name} is too large to attach.`);
        this.images.push({ mimeType: file.type as ImageMimeType, base64, name: file.name || 'pasted image' });
        this.renderChips();
      });
      reader.readAsDataURL(file);
    }
  }

  private renderChips(): void {
    const chip = (label: string, remove: () => void) =>
      h(
        'span',
        { class: 'chip' },
        label,
        button({
          label: `Remove ${label}`,
          appearance: 'icon',
          glyph: '×',
          onClick: () => {
            remove();
            this.renderChips();
          },
        }),
      );
    this.chips.replaceChildren(
      ...this.attachments.map((a, i) => chip(a.label, () => this.attachments.splice(i, 1))),
      ...this.images.map((image, i) => chip(image.name ?? 'image', () => this.images.splice(i, 1))),
    );
  }
}
