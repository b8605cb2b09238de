// Compare mode's choice of generators: when two to four are ticked, the next message goes to all of them.
import { COMPARE_GENERATORS, type GeneratorOption } from '../src/shared/protocol';
import { h } from './dom';

const { min: MIN, max: MAX } = COMPARE_GENERATORS;

export class ComparePicker {
  readonly element = h('section', { class: 'compare-picker', hidden: true, 'aria-label': 'Compare generators' });
  private readonly list = h('div', { class: 'compare-options', role: 'group', 'aria-label': 'Generators to compare' });
  private readonly hint = h('p', { class: 'hint' });
  private readonly selected = new Set<string>();
  private options: GeneratorOption[] = [];

  constructor() {
    this.element.append(this.list, this.hint);
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
    this.render(this.options);
  }

  /** The generators the next message goes to: set only while compare mode is open with enough of them ticked. */
  get generators(): string[] | undefined {
    return this.open && this.selected.size >= MIN ? [...this.selected] : undefined;
  }

  /** Lists the usable chat and text generators; ticks that no longer name one are dropped. */
  render(options: GeneratorOption[]): void {
    this.options = options.filter((o) => !o.error && o.kind !== 'image');
    for (const name of [...this.selected]) if (!this.options.some((o) => o.name === name)) this.selected.delete(name);
    this.list.replaceChildren(...this.options.map((option) => this.checkbox(option)));
    this.updateHint();
  }

  private checkbox(option: GeneratorOption): HTMLElement {
    const input = h('input', { type: 'checkbox', value: option.name });
    input.checked = this.selected.has(option.name);
    input.disabled = !input.checked && this.selected.size >= MAX;
    input.addEventListener('change', () => {
      if (input.checked) this.selected.add(option.name);
      else this.selected.delete(option.name);
      this.render(this.options);
      // The list is rebuilt; keep the keyboard focus on the same generator.
      Array.from(this.list.querySelectorAll('input'))
        .find((other) => other.value === option.name)
        ?.focus();
    });
    return h('label', { class: 'compare-option' }, input, ` ${option.name}${option.model ? ` (${option.model})` : ''}`);
  }

  private updateHint(): void {
    const count = this.selected.size;
    this.hint.textContent =
      count >= MIN
        ? `The next message goes to ${count} generators; pick one reply to continue with.`
        : `Tick ${MIN} to ${MAX} generators to compare their replies side by side.`;
  }
}
