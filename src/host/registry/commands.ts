// 'Add Generator' (the wizard) and 'Remove Generator': the `generators.generators` setting, edited for the user.
import * as vscode from 'vscode';
import { registeredTypes } from '../../generators/registry';
import type { CommandContext } from '../platform/commandContext';
import { readRawEntries, readRegistrySettings, setDefault, writeEntries } from '../platform/settings';
import { addGeneratorEntries } from './addGeneratorEntries';
import { runAddGeneratorWizard } from './addGeneratorWizard';
import { shortTypeName } from './generatorCatalog';
import type { GeneratorEntry } from './generatorSettings';
import { quickInputPrompter } from './quickInputPrompter';

export function registryCommands(ctx: CommandContext) {
  return {
    async addGenerator(args: { entry?: GeneratorEntry } = {}): Promise<string | undefined> {
      const entry =
        args.entry ??
        (await runAddGeneratorWizard(quickInputPrompter, {
          types: registeredTypes(),
          existing: ctx.registry.list(),
          entryDict: (name) => ctx.registry.entry(name),
        }));
      if (!entry) return undefined;
      await addGeneratorEntries(ctx, [entry], args.entry === undefined);
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
  };
}
