// The chat panel's commands (view title buttons, keybindings, the palette): new chat, stop, focus, attach, export.
import * as vscode from 'vscode';
import type { ChatController } from './chatController';
import type { ChatViewProvider } from './chatViewProvider';

export function registerChatCommands(view: ChatViewProvider, controller: ChatController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('generators.chat.newChat', async () => {
      await view.reveal();
      await controller.newChat();
    }),
    vscode.commands.registerCommand('generators.chat.stop', () => {
      const requestId = controller.currentRequestId();
      if (requestId) controller.stop(requestId);
    }),
    vscode.commands.registerCommand('generators.chat.focusInput', async () => {
      await view.reveal();
      view.post({ type: 'focusInput' });
    }),
    vscode.commands.registerCommand('generators.chat.attachSelection', async () => {
      await view.reveal();
      await view.attach('selection');
    }),
    vscode.commands.registerCommand('generators.chat.attachFile', async () => {
      await view.reveal();
      await view.attach('file');
    }),
    vscode.commands.registerCommand('generators.chat.exportMarkdown', () =>
      view.export(controller.currentConversationId(), 'markdown'),
    ),
    vscode.commands.registerCommand('generators.chat.exportHaystack', () =>
      view.export(controller.currentConversationId(), 'haystack'),
    ),
  ];
}
