// Activation: the log channel, stored keys, the generator registry, the chat view, then each feature's commands.
import * as vscode from 'vscode';
import { registerChatView } from './host/chat/registerChatView';
import { editorCommands } from './host/editor/commands';
import { haystackCommands } from './host/haystack/commands';
import { imageCommands } from './host/image/commands';
import { registerLanguageModels } from './host/languageModels/registerLanguageModels';
import { setUpLocalModels, shutdownLocalModels } from './host/localModels/localModelsHost';
import { registerCommands, type CommandContext } from './host/platform/commandContext';
import { showRequestError } from './host/platform/errorNotifications';
import { InFlightRequests } from './host/platform/inFlightRequests';
import { registryCommands } from './host/registry/commands';
import { registryFromSettings } from './host/registry/settingsRegistry';
import { apiKeyCommands } from './host/secrets/commands';
import { installSecretCache } from './host/secrets/secretStorageAdapter';
import { structuredOutputCommands } from './host/structuredOutput/commands';

let shutdown: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Generators', { log: true });
  context.subscriptions.push(log);
  const secrets = await installSecretCache(context, log);
  const registry = registryFromSettings(context, log);
  const requests = new InFlightRequests();
  context.subscriptions.push(setUpLocalModels(context, log));

  const ctx: CommandContext = { context, log, registry, secrets, requests };
  ctx.chat = registerChatView(ctx);
  registerLanguageModels(ctx);
  registerCommands(
    ctx,
    {
      ...apiKeyCommands(ctx),
      ...registryCommands(ctx),
      ...haystackCommands(ctx),
      ...structuredOutputCommands(ctx),
      ...editorCommands(ctx),
      ...imageCommands(ctx),
    },
    (error) => void showRequestError(error, log),
  );

  shutdown = async () => {
    requests.abortAll();
    await registry.shutdown();
    await shutdownLocalModels();
  };
}

/** Cancels requests in flight and stops generators (the local-model worker included). */
export async function deactivate(): Promise<void> {
  await shutdown?.();
  shutdown = undefined;
}
