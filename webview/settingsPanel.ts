import type { ConversationSettings } from '../src/shared/protocol';
import { h } from './dom';
import { textArea, textField } from './toolkit';

/** Temperature, max tokens and system prompt for this conversation; they override the generator's generation_kwargs. */
export class SettingsPanel {
  readonly element = h('section', { class: 'settings', 'aria-label': 'Conversation settings', hidden: true });
  private readonly temperature = textField('Temperature (0-2)', {
    type: 'number',
    min: '0',
    max: '2',
    step: '0.1',
    placeholder: 'generator default',
  });
  private readonly maxTokens = textField('Max tokens', {
    type: 'number',
    min: '1',
    step: '1',
    placeholder: 'generator default',
  });
  private readonly systemPrompt = textArea('System prompt', { rows: '3', resize: 'vertical', placeholder: 'none' });
  private readonly problem = h('p', { class: 'problem', role: 'status' });

  constructor(private readonly onChange: (settings: ConversationSettings) => void) {
    this.element.append(
      h('h2', {}, 'Settings for this conversation'),
      this.temperature,
      this.maxTokens,
      this.systemPrompt,
      this.problem,
    );
    for (const field of [this.temperature, this.maxTokens, this.systemPrompt])
      field.addEventListener('change', () => this.commit());
  }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
    if (!this.element.hidden) this.temperature.focus();
  }

  show(settings: ConversationSettings): void {
    this.temperature.value = settings.temperature === undefined ? '' : String(settings.temperature);
    this.maxTokens.value = settings.maxTokens === undefined ? '' : String(settings.maxTokens);
    this.systemPrompt.value = settings.systemPrompt ?? '';
    this.problem.textContent = '';
  }

  private commit(): void {
    const settings: ConversationSettings = {};
    const temperature = this.temperature.value.trim();
    const maxTokens = this.maxTokens.value.trim();
    if (temperature !== '') {
      const value = Number(temperature);
      if (!Number.isFinite(value) || value < 0 || value > 2)
        return this.complain('Temperature must be a number from 0 to 2.');
      settings.temperature = value;
    }
    if (maxTokens !== '') {
      const value = Number(maxTokens);
      if (!Number.isInteger(value) || value < 1)
        return this.complain('Max tokens must be a whole number of at least 1.');
      settings.maxTokens = value;
    }
    if (this.systemPrompt.value.trim() !== '') settings.systemPrompt = this.systemPrompt.value;
    this.problem.textContent = '';
    this.onChange(settings);
  }

  private complain(text: string): void {
    this.problem.textContent = text;
  }
}
