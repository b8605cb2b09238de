// Registers the `haystack` language model provider and its management command (the gear next to "Haystack
// Generators" in VS Code's model management): the list of generators, the add wizard, the setting.
import * as vscode from 'vscode';
import { shortTypeName } from '../registry/generatorCatalog';
import type { GeneratorRegistry } from '../registry/generatorRegistry';
import { HAYSTACK_VENDOR, HaystackChatProvider } from './haystackChatProvider';
import { mayKeyGoToEndpoint } from './keyApproval';

export const MANAGE_COMMAND = 'generators.manageLanguageModels';

export function registerLanguageModels(services: {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  registry: GeneratorRegistry;
}): void {
  const provider = new HaystackChatProvider({ ...services, mayKeyGoToEndpoint });
  services.context.subscriptions.push(
    provider,
    vscode.lm.registerLanguageModelChatProvider(HAYSTACK_VENDOR, provider),
    vscode.commands.registerCommand(MANAGE_COMMAND, () => manageGenerators(services.registry)),
  );
}

interface ManageItem extends vscode.QuickPickItem {
  run(): Thenable<unknown>;
}

/** A pick of the generators VS Code's Chat lists, plus adding one; a generator opens the setting that defines it. */
async function manageGenerators(registry: GeneratorRegistry): Promise<void> {
  const openSetting = () => vscode.commands.executeCommand('workbench.action.openSettings', 'generators.generators');
  const generators: ManageItem[] = registry
    .list()
    .filter((entry) => entry.kind !== 'image')
    .map((entry) => ({
      label: entry.name,
      description: entry.model,
      detail: entry.error ?? `${entry.kind === 'text' ? 'Text' : 'Chat'} generator ${shortTypeName(entry.type)}`,
      run: openSetting,
    }));
  const actions: ManageItem[] = [
    { label: '$(add) Add Generator…', run: () => vscode.commands.executeCommand('generators.addGenerator') },
    { label: '$(settings-gear) Edit the generators.generators setting', run: openSetting },
  ];
  const picked = await vscode.window.showQuickPick<ManageItem>(
    [...generators, { label: '', kind: vscode.QuickPickItemKind.Separator, run: openSetting }, ...actions],
    { title: 'Haystack Generators in VS Code Chat', placeHolder: 'Pick a generator to edit it, or add one' },
  );
  await picked?.run();
}
