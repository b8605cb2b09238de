// Chooses the generator a command uses: the configured default, or the user's pick among usable entries.
import * as vscode from 'vscode';
import type { Generator } from '../../core/generator';
import type { GeneratorRegistryService } from './registryService';

export interface PickOptions {
  kinds: Generator['kind'][];
  /** A name passed as a command argument wins over the default. */
  name?: string;
}

/** The entry name to use, or undefined when the user dismissed the pick (an error when none is usable). */
export async function pickGeneratorName(
  registry: GeneratorRegistryService,
  options: PickOptions,
): Promise<string | undefined> {
  if (options.name) return options.name;
  for (const kind of options.kinds) {
    const name = registry.defaultName(kind);
    if (name) return name;
  }
  const usable = registry.list().filter((g) => !g.error && options.kinds.includes(g.kind));
  if (usable.length === 0) {
    const kinds = options.kinds.join(' or ');
    throw new Error(`No ${kinds} generator is configured. Run 'Generators: Add Generator' to add one.`);
  }
  if (usable.length === 1) return usable[0].name;
  const picked = await vscode.window.showQuickPick(
    usable.map((g) => ({ label: g.name, description: g.model, detail: g.type })),
    {
      title: 'Pick a generator',
      placeHolder: `Set generators.default${options.kinds[0] === 'image' ? 'Image' : 'Chat'}Generator to skip this question`,
    },
  );
  return picked?.label;
}
