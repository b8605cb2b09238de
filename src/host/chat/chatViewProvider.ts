// The VS Code edge of the chat panel: the webview view, its commands, and routing of validated webview messages.
import * as vscode from 'vscode';
import type { ChatViewService, EditorContext, HostServices } from '../hostServices';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../../shared/protocol';
import { priceReader } from '../priceSettings';
import { ChatController } from './chatController';
import { ConversationStore } from './conversationStore';
import { captureAttachment, copyToClipboard, insertIntoEditor, openLink, saveExport } from './editorActions';
import { WebviewChannel } from './webviewChannel';
import { chatWebviewHtml } from './webviewHtml';

export const CHAT_VIEW_ID = 'generators.chat';
/** Context key that is true while a reply streams in the open conversation (enables the Stop keybinding). */
const STREAMING_CONTEXT_KEY = 'generators.chatStreaming';

class ChatViewProvider implements vscode.WebviewViewProvider {
  private view?: vscode.WebviewView;
  private readonly channel = new WebviewChannel((message) => void this.view?.webview.postMessage(message));

  constructor(
    private readonly services: HostServices,
    readonly controller: ChatController,
  ) {}

  post(message: HostMessage): void {
    this.channel.post(message);
    if (
      message.type === 'replyStarted' ||
      message.type === 'compareStarted' ||
      message.type === 'done' ||
      message.type === 'error' ||
      message.type === 'conversation'
    ) {
      void vscode.commands.executeCommand(
        'setContext',
        STREAMING_CONTEXT_KEY,
        this.controller.currentRequestId() !== undefined,
      );
    }
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    const extensionUri = this.services.context.extensionUri;
    this.view = view;
    this.channel.disconnect();
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    view.webview.html = chatWebviewHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat.css')).toString(),
    });
    const subscriptions = [
      view.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      // Hidden webview views are destroyed (no retained context); the shown one loads again and says `ready`.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.channel.disconnect();
      }),
    ];
    view.onDidDispose(() => {
      this.channel.disconnect();
      if (this.view === view) this.view = undefined;
      for (const subscription of subscriptions) subscription.dispose();
    });
  }

  async reveal(): Promise<void> {
    if (this.view) this.view.show(true);
    else await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.services.log.warn(`Chat webview: dropped an invalid message (${parsed.reason}).`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      this.services.log.error(
        `Chat webview: "${parsed.message.type}" failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.post({
        type: 'notice',
        level: 'error',
        text: `${parsed.message.type} failed; see the Generators output channel.`,
      });
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    const controller = this.controller;
    switch (message.type) {
      case 'ready':
        return this.channel.connect(await controller.state());
      case 'send':
        return controller.send(message.requestId, message.conversationId, message.generator, message);
      case 'compare':
        return controller.compare(message.requestId, message.conversationId, message.generators, message);
      case 'pickCompared':
        return controller.pickCompared(message.conversationId, message.requestId, message.laneId);
      case 'stop':
        return controller.stop(message.requestId);
      case 'retry':
        return controller.retry(message.requestId, message.conversationId);
      case 'editLast':
        return controller.editLast(message.requestId, message.conversationId, message.text);
      case 'newChat':
        return controller.newChat();
      case 'openConversation':
        return controller.open(message.conversationId);
      case 'deleteConversation':
        return controller.delete(message.conversationId);
      case 'setGenerator':
        return controller.setGenerator(message.conversationId, message.generator);
      case 'updateSettings':
        return controller.updateSettings(message.conversationId, message.settings);
      case 'requestAttachment':
        return this.attach(message.kind);
      case 'copy':
        return copyToClipboard(message.text);
      case 'insertCode':
        return this.noticeIfProblem(await insertIntoEditor(message.code, message.mode));
      case 'openLink':
        return this.noticeIfProblem(await openLink(message.href));
      case 'export':
        return this.export(message.conversationId, message.format);
    }
  }

  async attach(kind: 'selection' | 'file'): Promise<void> {
    const attachment = await captureAttachment(kind);
    if (typeof attachment === 'string') return this.noticeIfProblem(attachment);
    this.post({ type: 'attachment', attachment });
    this.post({ type: 'focusInput' });
  }

  async export(conversationId: string | undefined, format: 'markdown' | 'haystack'): Promise<void> {
    const exported =
      conversationId === undefined ? undefined : await this.controller.exportConversation(conversationId, format);
    if (!exported) return this.noticeIfProblem('Open a conversation to export it.');
    const uri = await saveExport(exported.title, format, exported.content);
    if (uri) this.post({ type: 'notice', level: 'info', text: `Exported to ${uri.fsPath || uri.toString()}.` });
  }

  private noticeIfProblem(problem: string | undefined): void {
    if (problem) this.post({ type: 'notice', level: 'error', text: problem });
  }
}

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
  );
  let provider: ChatViewProvider | undefined;
  const controller = new ChatController({
    registry: services.registry,
    store,
    log,
    post: (message) => provider?.post(message),
    prices: priceReader(log),
  });
  provider = new ChatViewProvider(services, controller);
  const view = provider;

  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view, {
      webviewOptions: { retainContextWhenHidden: false },
    }),
    services.registry.onDidChange(() => view.post({ type: 'generators', generators: controller.generatorOptions() })),
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
    { dispose: () => void controller.dispose() },
  );

  return {
    reveal: () => view.reveal(),
    conversation: (conversationId) => controller.conversation(conversationId),
    setResponseSchema: (conversationId, responseSchema) => controller.setResponseSchema(conversationId, responseSchema),
    async ask(question: string, editorContext?: EditorContext): Promise<void> {
      await view.reveal();
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
