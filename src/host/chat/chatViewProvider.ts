// The VS Code edge of the chat panel: the webview view, its posts, and routing of validated webview messages.
import * as vscode from 'vscode';
import { dispatchMessage } from '../../shared/messageHandlers';
import type { HostMessage } from '../../shared/protocol';
import { parseWebviewMessage } from '../../shared/webviewMessageParser';
import type { HostServices } from '../platform/hostServices';
import type { ChatController } from './chatController';
import { captureAttachment, saveExport } from './editorActions';
import { WebviewChannel } from './webviewChannel';
import { webviewHandlers, type ChatViewActions, type WebviewHandlers } from './webviewHandlers';
import { chatWebviewHtml } from './webviewHtml';

export const CHAT_VIEW_ID = 'generators.chat';
/** Context key that is true while a reply streams in the open conversation (enables the Stop keybinding). */
const STREAMING_CONTEXT_KEY = 'generators.chatStreaming';

export class ChatViewProvider implements vscode.WebviewViewProvider, ChatViewActions {
  private view?: vscode.WebviewView;
  private readonly channel = new WebviewChannel((message) => void this.view?.webview.postMessage(message));
  private readonly handlers: WebviewHandlers;

  constructor(
    private readonly services: HostServices,
    readonly controller: ChatController,
  ) {
    this.handlers = webviewHandlers(controller, this);
  }

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

  async connect(): Promise<void> {
    this.channel.connect(await this.controller.state());
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

  noticeIfProblem(problem: string | undefined): void {
    if (problem) this.post({ type: 'notice', level: 'error', text: problem });
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.services.log.warn(`Chat webview: dropped an invalid message (${parsed.reason}).`);
      return;
    }
    try {
      await dispatchMessage(this.handlers, parsed.message);
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
}
