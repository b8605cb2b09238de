// The steps of 'Add Generator': type, its parameters, a name. The questions go through a `WizardPrompter`
// (quick picks and input boxes in VS Code, a script in tests), so the flow itself needs no `vscode`.
import type { Generator, GeneratorClass } from '../../core/generator';
import type { ConfiguredGenerator } from './registryService';
import { FALLBACK_CHAT_TYPE, generatorTypeInfo, setAtPath, shortTypeName, type WizardField } from './generatorCatalog';
import { uniqueName, type GeneratorEntry } from './generatorSettings';

/** An item the user picks; `value` is what the wizard gets back. */
export interface WizardItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

/** Asks the user; every method resolves undefined when the user pressed Escape. */
export interface WizardPrompter {
  pick<T>(title: string, items: WizardItem<T>[]): Promise<T | undefined>;
  pickMany<T>(title: string, items: WizardItem<T>[]): Promise<T[] | undefined>;
  input(
    title: string,
    options: { value?: string; placeHolder?: string; validate(text: string): string | undefined },
  ): Promise<string | undefined>;
}

export interface WizardInputs {
  types: GeneratorClass[];
  /** Entries already configured (for unique names and fallback members). */
  existing: ConfiguredGenerator[];
  /** The settings dict of an existing entry, for nesting in a fallback. */
  entryDict(name: string): { type: string; init_parameters: Record<string, unknown> } | undefined;
}

/** Runs the wizard; undefined when the user cancelled at any step. */
export async function runAddGeneratorWizard(
  prompter: WizardPrompter,
  inputs: WizardInputs,
): Promise<GeneratorEntry | undefined> {
  const type = await prompter.pick(
    'Add a generator (1/3): type',
    inputs.types.map((cls) => ({
      label: generatorTypeInfo(cls.typeName)?.label ?? shortTypeName(cls.typeName),
      description: kindLabel(cls.kind),
      detail: cls.typeName,
      value: cls.typeName,
    })),
  );
  if (!type) return undefined;
  const info = generatorTypeInfo(type);
  const params: Record<string, unknown> = {};
  if (type === FALLBACK_CHAT_TYPE) {
    const members = await pickFallbackMembers(prompter, inputs);
    if (!members) return undefined;
    params.chat_generators = members;
  }
  for (const field of info?.fields ?? []) {
    const value = await askField(prompter, field);
    if (value === undefined) return undefined;
    if (value.trim() !== '') setAtPath(params, field.path, value.trim());
  }
  const taken = new Set(inputs.existing.map((g) => g.name));
  const model = [
    params.model,
    params.azure_deployment,
    (params.api_params as Record<string, unknown> | undefined)?.model,
  ].find((v): v is string => typeof v === 'string');
  const base = info?.label.split(' (')[0] ?? shortTypeName(type);
  const name = await prompter.input('Add a generator (3/3): name', {
    value: uniqueName(model ? `${base} ${model}` : base, taken),
    validate: (text) =>
      text.trim() === ''
        ? 'Give it a name.'
        : taken.has(text.trim())
          ? `"${text.trim()}" is taken; pick another name.`
          : undefined,
  });
  if (!name) return undefined;
  return { name: name.trim(), type, init_parameters: params };
}

function kindLabel(kind: Generator['kind']): string {
  return kind === 'chat' ? 'chat' : kind === 'text' ? 'text (prompt in, text out)' : 'image';
}

function askField(prompter: WizardPrompter, field: WizardField): Promise<string | undefined> {
  const title = `Add a generator (2/3): ${field.prompt}`;
  if (field.choices)
    return prompter.pick(
      title,
      field.choices.map((choice) => ({ label: choice, value: choice })),
    );
  return prompter.input(title, {
    value: field.defaultValue,
    placeHolder: field.placeholder,
    validate: (text) => (text.trim() === '' && !field.optional ? `${field.prompt} is required.` : undefined),
  });
}

async function pickFallbackMembers(
  prompter: WizardPrompter,
  inputs: WizardInputs,
): Promise<Record<string, unknown>[] | undefined> {
  const chats = inputs.existing.filter((g) => g.kind === 'chat' && !g.error && g.type !== FALLBACK_CHAT_TYPE);
  if (chats.length === 0)
    throw new Error(
      'A fallback chat generator tries other chat generators in order: add at least one chat generator first.',
    );
  const picked = await prompter.pickMany(
    'Add a generator (2/3): chat generators to try, in list order',
    chats.map((g) => ({ label: g.name, description: g.model, value: g.name })),
  );
  if (!picked || picked.length === 0) return undefined;
  return picked.map((name) => {
    const dict = inputs.entryDict(name)!;
    return { type: dict.type, init_parameters: dict.init_parameters };
  });
}
