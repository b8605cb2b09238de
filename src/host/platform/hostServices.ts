// What `activate` builds first and hands to every feature: the extension context, the log, the registry.
import type * as vscode from 'vscode';
import type { GeneratorRegistryService } from '../registry/registryService';

/** Everything `activate` builds and hands to the pieces that need it. */
export interface HostServices {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  registry: GeneratorRegistryService;
}
