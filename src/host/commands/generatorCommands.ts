// Managing configured generators: the add wizard, remove, import from Haystack YAML/JSON, export.
import * as vscode from 'vscode';
import { generatorClassFor, registeredTypes } from '../../generators/registry';
import { FALLBACK_CHAT_TYPE, generatorTypeInfo, setAtPath, shortTypeName, type WizardField } from '../generatorCatalog';
import { formatProblem, parseGeneratorEntries, uniqueName, type GeneratorEntry } from '../generatorSettings';
import { exportHaystackText, importHaystackText, type ExportFormat } from '../haystackComponents';
import { addEntries, readRawEntries, readRegistrySettings, setDefault, writeEntries } from '../settings';
import type { CommandContext } from './commandContext';

export function generatorCommands(ctx: CommandContext) {
  /** Adds entries after checking that each one builds; offers to store missing keys. */
  const addChecked = async (entries: GeneratorEntry[], interactive: boolean): Promise<void> => {
    for (const entry of entries) {
      const problem = parseGeneratorEntries([entry]).problems[0];
      if (problem) throw new Error(formatProblem(problem));
      const cls = generatorClassFor(entry.type);
      if (!cls) throw new Error(`Generator "${entry.name}": type: "${entry.type}" is not a supported generator type.`);
      try {
        cls.fromDict({ type: entry.type, init_parameters: entry.init_parameters });
      } catch (error) {
        throw new Error(formatProblem({ name: entry.name, field: (error as { field?: string }).field ?? 'init_parameters', message: error instanceof Error ? error.message : String(error) }));
      }
    }
    await addEntries(entries);
    for (const entry of entries) {
      const kind = generatorClassFor(entry.type)!.kind;
      const current = readRegistrySettings().defaults[kind];
      if (!current) await setDefault(kind, entry.name);
      else if (interactive) {
        const choice = await vscode.window.showInformationMessage(`Use "${entry.name}" as the default ${kind} generator instead of "${current}"?`, 'Make Default');
        if (choice) await setDefault(kind, entry.name);
      }
      if (interactive) await offerToStoreKey(entry, ctx);
    }
  };

  return {
    async addGenerator(args: { entry?: GeneratorEntry } = {}): Promise<string | undefined> {
      const entry = args.entry ?? (await runAddWizard(ctx));
      if (!entry) return undefined;
      await addChecked([entry], args.entry === undefined);
      ctx.log.info(`Added generator "${entry.name}" (${shortTypeName(entry.type)}).`);
      if (!args.entry) void vscode.window.showInformationMessage(`Added generator "${entry.name}".`);
      return entry.name;
    },

    async removeGenerator(args: { name?: string } = {}): Promise<boolean> {
      const name =
        args.name ??
        (await vscode.window.showQuickPick(
          ctx.registry.list().map((g) => ({ label: g.name, description: g.model })),
          { title: 'Remove a generator' },
        ))?.label;
      if (!name) return false;
      if (!args.name) {
        const confirmed = await vscode.window.showWarningMessage(`Remove generator "${name}" from your settings?`, { modal: true }, 'Remove');
        if (confirmed !== 'Remove') return false;
      }
      const raw = readRawEntries();
      const kept = raw.filter((item) => (item as { name?: unknown } | null)?.name !== name);
      if (kept.length === raw.length) throw new Error(`No generator named "${name}" in the "generators.generators" setting.`);
      await writeEntries(kept);
      const defaults = readRegistrySettings().defaults;
      for (const kind of ['chat', 'text', 'image'] as const) if (defaults[kind] === name) await setDefault(kind, undefined);
      ctx.log.info(`Removed generator "${name}".`);
      return true;
    },

    async importHaystackComponent(args: { text?: string } = {}): Promise<string[]> {
      const text = args.text ?? (await askForHaystackText());
      if (text === undefined) return [];
      const taken = ctx.registry.list().map((g) => g.name);
      const result = await importHaystackText(text, (type) => generatorClassFor(type) !== undefined, taken);
      if (result.entries.length === 0) {
        throw new Error(`No supported generator found to import.${result.skipped.length ? ` Skipped: ${result.skipped.join('; ')}.` : ''}`);
      }
      await addChecked(result.entries, false);
      const names = result.entries.map((e) => e.name);
      ctx.log.info(`Imported generators ${names.map((n) => `"${n}"`).join(', ')}${result.skipped.length ? `; skipped ${result.skipped.join('; ')}` : ''}.`);
      if (args.text === undefined) {
        const skipped = result.skipped.length ? ` Skipped ${result.skipped.length}: ${result.skipped.join('; ')}.` : '';
        void vscode.window.showInformationMessage(`Imported ${names.map((n) => `"${n}"`).join(', ')}.${skipped}`);
      }
      return names;
    },

    async exportHaystackComponent(args: { name?: string; format?: ExportFormat } = {}): Promise<string | undefined> {
      const name =
        args.name ?? (await vscode.window.showQuickPick(ctx.registry.list().filter((g) => !g.error).map((g) => ({ label: g.name, description: g.model })), { title: 'Export a generator' }))?.label;
      if (!name) return undefined;
      const format =
        args.format ??
        ((await vscode.window.showQuickPick([{ label: 'YAML', format: 'yaml' as const }, { label: 'JSON', format: 'json' as const }], { title: 'Export format' }))?.format);
      if (!format) return undefined;
      // toDict of the built generator: secrets come out as env-var references, defaults filled in as Haystack does.
      const text = await exportHaystackText(ctx.registry.get(name).toDict(), format);
      const document = await vscode.workspace.openTextDocument({ language: format, content: text });
      if (args.name === undefined) await vscode.window.showTextDocument(document);
      return text;
    },
  };
}

async function runAddWizard(ctx: CommandContext): Promise<GeneratorEntry | undefined> {
  const types = registeredTypes().map((cls) => {
    const info = generatorTypeInfo(cls.typeName);
    return { label: info?.label ?? shortTypeName(cls.typeName), description: cls.kind, detail: cls.typeName, typeName: cls.typeName };
  });
  const picked = await vscode.window.showQuickPick(types, { title: 'Add a generator (1/3): type', matchOnDetail: true });
  if (!picked) return undefined;
  const info = generatorTypeInfo(picked.typeName);
  const params: Record<string, unknown> = {};
  if (picked.typeName === FALLBACK_CHAT_TYPE) {
    const chats = await pickFallbackMembers(ctx);
    if (!chats) return undefined;
    params.chat_generators = chats;
  }
  for (const field of info?.fields ?? []) {
    const value = await askField(field);
    if (value === undefined) return undefined;
    if (value !== '') setAtPath(params, field.path, value);
  }
  const model = typeof params.model === 'string' ? params.model : typeof params.azure_deployment === 'string' ? params.azure_deployment : undefined;
  const suggestion = uniqueName(model ? `${info?.label.split(' (')[0] ?? shortTypeName(picked.typeName)} ${model}` : shortTypeName(picked.typeName), ctx.registry.list().map((g) => g.name));
  const name = await vscode.window.showInputBox({
    title: 'Add a generator (3/3): name',
    value: suggestion,
    validateInput: (text) => (text.trim() === '' ? 'Give it a name.' : ctx.registry.list().some((g) => g.name === text.trim()) ? 'That name is taken.' : undefined),
  });
  if (!name) return undefined;
  return { name: name.trim(), type: picked.typeName, init_parameters: params };
}

async function askField(field: WizardField): Promise<string | undefined> {
  const title = `Add a generator (2/3): ${field.prompt}`;
  if (field.choices) return vscode.window.showQuickPick(field.choices, { title });
  return vscode.window.showInputBox({
    title,
    value: field.defaultValue,
    placeHolder: field.placeholder,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' && !field.optional ? `${field.prompt} is required.` : undefined),
  });
}

async function pickFallbackMembers(ctx: CommandContext): Promise<Record<string, unknown>[] | undefined> {
  const chats = ctx.registry.list().filter((g) => g.kind === 'chat' && !g.error && g.type !== FALLBACK_CHAT_TYPE);
  if (chats.length === 0) throw new Error('A fallback chat generator tries other chat generators in order: add at least one chat generator first.');
  const picked = await vscode.window.showQuickPick(
    chats.map((g) => ({ label: g.name, description: g.model, picked: true })),
    { title: 'Add a generator (2/3): chat generators to try, in list order', canPickMany: true },
  );
  if (!picked || picked.length === 0) return undefined;
  return picked.map((item) => {
    const entry = ctx.registry.entry(item.label)!;
    return { type: entry.type, init_parameters: entry.init_parameters };
  });
}

async function offerToStoreKey(entry: GeneratorEntry, ctx: CommandContext): Promise<void> {
  const names = generatorTypeInfo(entry.type)?.secretEnvVars ?? [];
  if (names.length === 0 || names.some((name) => ctx.secrets.resolve(name) !== undefined)) return;
  const choice = await vscode.window.showInformationMessage(`"${entry.name}" reads its key from ${names[0]}, which is not set.`, 'Set API Key');
  if (choice) await vscode.commands.executeCommand('generators.setApiKey', { envVar: names[0] });
}

async function askForHaystackText(): Promise<string | undefined> {
  const items = [
    { label: 'Open a YAML or JSON file…', source: 'file' as const },
    { label: 'Paste from the clipboard', source: 'clipboard' as const },
    { label: 'Use the active editor', source: 'editor' as const },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Import a Haystack component or pipeline' });
  if (!picked) return undefined;
  if (picked.source === 'clipboard') return vscode.env.clipboard.readText();
  if (picked.source === 'editor') {
    const editor = vscode.window.activeTextEditor;
    if (!editor) throw new Error('No active editor: open the YAML or JSON file first.');
    return editor.document.getText(editor.selection.isEmpty ? undefined : editor.selection);
  }
  const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Haystack YAML or JSON': ['yaml', 'yml', 'json'] } })) ?? [];
  if (!uri) return undefined;
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
