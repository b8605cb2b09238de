// Activation: the log channel, stored keys, the generator registry, the chat view, then the commands.
import * as vscode from 'vscode';
import { registerChatView } from './host/chat/chatViewProvider';
import { apiKeyCommands } from './host/commands/apiKeyCommands';
import { registerCommands, type CommandContext } from './host/commands/commandContext';
import { generatorCommands } from './host/commands/generatorCommands';
import { haystackCodeCommands } from './host/commands/haystackCodeCommands';
import { imageCommands } from './host/commands/imageCommand';
import { selectionCommands } from './host/commands/selectionCommands';
import { showRequestError } from './host/errorNotifications';
import { GeneratorRegistry } from './host/generatorRegistry';
import { ImagePanel } from './host/imagePanel';
import { InFlightRequests } from './host/inFlightRequests';
import { registerLanguageModels } from './host/languageModels/registerLanguageModels';
import { setUpLocalModels, shutdownLocalModels } from './host/localModelsHost';
import { PROPOSAL_SCHEME, ProposalDocuments } from './host/proposalDocuments';
import { installSecretCache } from './host/secretStorageAdapter';
import { readRegistrySettings, SECTION } from './host/settings';

let shutdown: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Generators', { log: true });
  context.subscriptions.push(log);
  const secrets = await installSecretCache(context, log);
  const registry = new GeneratorRegistry(readRegistrySettings(), { onProblem: (message) => log.warn(message) });
  const requests = new InFlightRequests();
  context.subscriptions.push(
    requests.onDidChange(
      (running) => void vscode.commands.executeCommand('setContext', 'generators.editorRequestRunning', running > 0),
    ),
    setUpLocalModels(context, log),
    vscode.workspace.onDidChangeConfiguration(
      (event) => event.affectsConfiguration(SECTION) && registry.update(readRegistrySettings()),
    ),
  );

  const ctx: CommandContext = { context, log, registry, secrets, requests };
  ctx.chat = registerChatView(ctx);
  registerLanguageModels(ctx);

  const proposals = new ProposalDocuments();
  const imagePanel = new ImagePanel();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, proposals),
    proposals,
    imagePanel,
  );
  registerCommands(
    ctx,
    {
      ...apiKeyCommands(ctx),
      ...generatorCommands(ctx),
      ...selectionCommands(ctx, proposals),
      ...imageCommands(ctx, imagePanel),
      ...haystackCodeCommands(ctx),
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
