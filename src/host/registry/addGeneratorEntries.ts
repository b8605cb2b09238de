// Adding entries to `generators.generators`: each is checked to build before anything is written, the first of a
// kind becomes the default, and a missing key is offered to be stored. Used by 'Add Generator' and the import.
import * as vscode from 'vscode';
import { generatorClassFor } from '../../generators/registry';
import type { CommandContext } from '../platform/commandContext';
import { addEntries, readRegistrySettings, setDefault } from '../platform/settings';
import { generatorTypeInfo } from './generatorCatalog';
import { formatProblem, parseGeneratorEntries, type GeneratorEntry } from './generatorSettings';

/** Adds entries after checking that each one builds; interactive runs ask about defaults and offer to store keys. */
export async function addGeneratorEntries(
  ctx: CommandContext,
  entries: GeneratorEntry[],
  interactive: boolean,
): Promise<void> {
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
        { cause: error },
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
