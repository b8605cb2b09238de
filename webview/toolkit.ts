// The panel's controls, built from @vscode/webview-ui-toolkit elements (deprecated upstream, still rendering in VS
// Code). Only this file and toolkitRegistration.ts know the toolkit: replacing it, e.g. by @vscode-elements/elements,
// is a change to these two. The elements are created by tag name, so views (and their tests in a plain DOM) do not
// load the library; it is registered once at startup.
export interface ButtonOptions {
  /** Accessible name; also the tooltip. Required for icon-only buttons. */
  label: string;
  /** Visible text; defaults to the label. */
  text?: string;
  appearance?: 'primary' | 'secondary' | 'icon';
  /** A codicon-like glyph shown for icon buttons. */
  glyph?: string;
  className?: string;
  onClick: (event: Event) => void;
}

export function button(options: ButtonOptions): HTMLElement {
  const element = document.createElement('vscode-button');
  element.setAttribute('appearance', options.appearance ?? 'secondary');
  element.setAttribute('aria-label', options.label);
  element.setAttribute('title', options.label);
  if (options.className) element.className = options.className;
  element.textContent =
    options.appearance === 'icon' ? (options.glyph ?? options.label) : (options.text ?? options.label);
  element.addEventListener('click', options.onClick);
  return element;
}

export function setButtonDisabled(element: HTMLElement, disabled: boolean): void {
  element.toggleAttribute('disabled', disabled);
}

export interface DropdownEntry {
  value: string;
  text: string;
  disabled?: boolean;
  title?: string;
}

/** A labelled select; `onChange` gets the chosen value. */
export function dropdown(
  label: string,
  onChange: (value: string) => void,
): { element: HTMLElement; setEntries(entries: DropdownEntry[], selected?: string): void } {
  const element = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  element.setAttribute('aria-label', label);
  element.setAttribute('title', label);
  element.addEventListener('change', () => onChange(element.value));
  return {
    element,
    setEntries(entries, selected) {
      element.replaceChildren(
        ...entries.map((entry) => {
          const option = document.createElement('vscode-option') as HTMLElement & { value: string };
          option.setAttribute('value', entry.value);
          option.textContent = entry.text;
          if (entry.disabled) option.setAttribute('disabled', '');
          if (entry.title) option.setAttribute('title', entry.title);
          if (entry.value === selected) option.setAttribute('selected', '');
          return option;
        }),
      );
      if (selected !== undefined) element.value = selected;
    },
  };
}

/** A labelled single-line field. */
export function textField(label: string, attributes: Record<string, string> = {}): HTMLElement & { value: string } {
  const element = document.createElement('vscode-text-field') as HTMLElement & { value: string };
  element.textContent = label;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** A labelled multi-line field. */
export function textArea(label: string, attributes: Record<string, string> = {}): HTMLElement & { value: string } {
  const element = document.createElement('vscode-text-area') as HTMLElement & { value: string };
  element.textContent = label;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}
