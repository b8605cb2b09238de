// Managing configured generators: the add wizard, remove, import from Haystack YAML/JSON, export.
import * as vscode from 'vscode';
import { generatorClassFor, registeredTypes } from '../../generators/registry';
import { runAddGeneratorWizard, type WizardPrompter } from '../addGeneratorWizard';
import { generatorTypeInfo, shortTypeName } from '../generatorCatalog';
import { formatProblem, parseGeneratorEntries, type GeneratorEntry } from '../generatorSettings';
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
        throw new Error(
          formatProblem({
            name: entry.name,
            field: (error as { field?: string }).field ?? 'init_parameters',
            message: error instanceof Error ? error.message : String(error),
          }),
        );
      }
    }
    await addEntries(entries);
    for (const entry of entries) {
      const kind = generatorClassFor(entry.type)!.kind;
      const current = readRegistrySettings().defaults[kind];
      if (!current) await setDefault(kind, entry.name);
      else if (interactive) {
        const choice = await vscode.window.showInformationMessage(
          `Use "${entry.name}" as the default ${kind} generator instead of "${current}"?`,
          'Make Default',
        );
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
        (
          await vscode.window.showQuickPick(
            ctx.registry.list().map((g) => ({ label: g.name, description: g.model })),
            { title: 'Remove a generator' },
          )
        )?.label;
      if (!name) return false;
      if (!args.name) {
        const confirmed = await vscode.window.showWarningMessage(
          `Remove generator "${name}" from your settings?`,
          { modal: true },
          'Remove',
        );
        if (confirmed !== 'Remove') return false;
      }
      const raw = readRawEntries();
      const kept = raw.filter((item) => (item as { name?: unknown } | null)?.name !== name);
      if (kept.length === raw.length)
        throw new Error(`No generator named "${name}" in the "generators.generators" setting.`);
      await writeEntries(kept);
      const defaults = readRegistrySettings().defaults;
      for (const kind of ['chat', 'text', 'image'] as const)
        if (defaults[kind] === name) await setDefault(kind, undefined);
      ctx.log.info(`Removed generator "${name}".`);
      return true;
    },

    async importHaystackComponent(args: { text?: string } = {}): Promise<string[]> {
      const text = args.text ?? (await askForHaystackText());
      if (text === undefined) return [];
      const taken = ctx.registry.list().map((g) => g.name);
      const result = await importHaystackText(text, (type) => generatorClassFor(type) !== undefined, taken);
      if (result.entries.length === 0) {
        throw new Error(
          `No supported generator found to import.${result.skipped.length ? ` Skipped: ${result.skipped.join('; ')}.` : ''}`,
        );
      }
      await addChecked(result.entries, false);
      const names = result.entries.map((e) => e.name);
      ctx.log.info(
        `Imported generators ${names.map((n) => `"${n}"`).join(', ')}${result.skipped.length ? `; skipped ${result.skipped.join('; ')}` : ''}.`,
      );
      if (args.text === undefined) {
        const skipped = result.skipped.length ? ` Skipped ${result.skipped.length}: ${result.skipped.join('; ')}.` : '';
        void vscode.window.showInformationMessage(`Imported ${names.map((n) => `"${n}"`).join(', ')}.${skipped}`);
      }
      return names;
    },

    async exportHaystackComponent(args: { name?: string; format?: ExportFormat } = {}): Promise<string | undefined> {
      const name =
        args.name ??
        (
          await vscode.window.showQuickPick(
            ctx.registry
              .list()
              .filter((g) => !g.error)
              .map((g) => ({ label: g.name, description: g.model })),
            { title: 'Export a generator' },
          )
        )?.label;
      if (!name) return undefined;
      const format =
        args.format ??
        (
          await vscode.window.showQuickPick(
            [
              { label: 'YAML', format: 'yaml' as const },
              { label: 'JSON', format: 'json' as const },
            ],
            { title: 'Export format' },
          )
        )?.format;
      if (!format) return undefined;
      // toDict of the built generator: secrets come out as env-var references, defaults filled in as Haystack does.
      const text = await exportHaystackText(ctx.registry.get(name).toDict(), format);
      const document = await vscode.workspace.openTextDocument({ language: format, content: text });
      if (args.name === undefined) await vscode.window.showTextDocument(document);
      return text;
    },
  };
}

/** The wizard's questions as quick picks and input boxes. */
const quickInputPrompter: WizardPrompter = {
  async pick(title, items) {
    return (await vscode.window.showQuickPick(items, { title, matchOnDetail: true, ignoreFocusOut: true }))?.value;
  },
  async pickMany(title, items) {
    const picked = await vscode.window.showQuickPick(
      items.map((item) => ({ ...item, picked: true })),
      { title, canPickMany: true, ignoreFocusOut: true },
    );
    return picked?.map((item) => item.value);
  },
  input(title, options) {
    return Promise.resolve(
      vscode.window.showInputBox({
        title,
        value: options.value,
        placeHolder: options.placeHolder,
        ignoreFocusOut: true,
        validateInput: options.validate,
      }),
    );
  },
};

function runAddWizard(ctx: CommandContext): Promise<GeneratorEntry | undefined> {
  return runAddGeneratorWizard(quickInputPrompter, {
    types: registeredTypes(),
    existing: ctx.registry.list(),
    entryDict: (name) => ctx.registry.entry(name),
  });
}

async function offerToStoreKey(entry: GeneratorEntry, ctx: CommandContext): Promise<void> {
  const names = generatorTypeInfo(entry.type)?.secretEnvVars ?? [];
  if (names.length === 0 || names.some((name) => ctx.secrets.resolve(name) !== undefined)) return;
  const choice = await vscode.window.showInformationMessage(
    `"${entry.name}" reads its key from ${names[0]}, which is not set.`,
    'Set API Key',
  );
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
  const [uri] =
    (await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { 'Haystack YAML or JSON': ['yaml', 'yml', 'json'] },
    })) ?? [];
  if (!uri) return undefined;
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
