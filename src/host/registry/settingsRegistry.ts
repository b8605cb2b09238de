// The registry as activation builds it: from the `generators.*` settings, updated whenever they change.
import * as vscode from 'vscode';
import { readRegistrySettings, SECTION } from '../platform/settings';
import { GeneratorRegistry } from './generatorRegistry';

/** The registry of the configured generators; problems in the settings go to the log. */
export function registryFromSettings(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): GeneratorRegistry {
  const registry = new GeneratorRegistry(readRegistrySettings(), { onProblem: (message) => log.warn(message) });
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(
      (event) => event.affectsConfiguration(SECTION) && registry.update(readRegistrySettings()),
    ),
  );
  return registry;
}
