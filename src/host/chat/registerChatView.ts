// Builds the chat panel at activation: conversations on disk, the controller, the webview view and its commands.
import * as vscode from 'vscode';
import type { HostServices } from '../platform/hostServices';
import { priceReader } from '../usage/priceSettings';
import { ChatController } from './chatController';
import type { ChatViewService, EditorContext } from './chatViewService';
import { CHAT_VIEW_ID, ChatViewProvider } from './chatViewProvider';
import { registerChatCommands } from './commands';
import { ConversationStore } from './conversations/conversationStore';

/** Registers the chat view and its commands; `activate` calls this once and hands the service to other commands. */
export function registerChatView(services: HostServices): ChatViewService {
  const { context, log } = services;
  const store = new ConversationStore(
    vscode.Uri.joinPath(context.globalStorageUri, 'conversations').fsPath,
    ({ file, movedTo, reason }) => {
      log.error(`Conversation file ${file} could not be read (${reason}); moved it to ${movedTo}.`);
      void vscode.window.showWarningMessage(
        `A saved chat conversation was unreadable and has been moved aside to ${movedTo}.`,
      );
    },
    ({ file, reason }) => {
      log.warn(`Conversation file ${file} is not shown: ${reason}`);
      void vscode.window.showWarningMessage(`A saved chat conversation is not shown: ${reason}`);
    },
  );
  // The provider posts for the controller (never during construction), and the controller answers its messages.
  const controller = new ChatController({
    registry: services.registry,
    store,
    log,
    post: (message) => provider.post(message),
    prices: priceReader(log),
  });
  const provider = new ChatViewProvider(services, controller);

  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider, {
      webviewOptions: { retainContextWhenHidden: false },
    }),
    services.registry.onDidChange(() =>
      provider.post({ type: 'generators', generators: controller.generatorOptions() }),
    ),
    ...registerChatCommands(provider, controller),
    // Returns the promise, so whoever disposes the view can wait for the conversation writes in flight.
    { dispose: () => controller.dispose() },
  );

  return {
    reveal: () => provider.reveal(),
    conversation: (conversationId) => controller.conversation(conversationId),
    setResponseSchema: (conversationId, responseSchema) => controller.setResponseSchema(conversationId, responseSchema),
    async ask(question: string, editorContext?: EditorContext): Promise<void> {
      await provider.reveal();
      const attachments = editorContext
        ? [
            {
              kind: 'selection' as const,
              label: editorContext.fileName,
              languageId: editorContext.languageId,
              text: editorContext.text,
            },
          ]
        : [];
      await controller.sendFromCommand({ text: question, attachments });
    },
  };
}
