// The webview panel that shows a generated image with Save, Copy prompt and Regenerate.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { imagePanelHtml, parseImagePanelMessage, type ImagePanelMessage, type ImageView } from './imagePanelHtml';

export interface ImagePanelActions {
  save(): Promise<void>;
  copyPrompt(): Promise<void>;
  regenerate(): Promise<void>;
}

/** One panel, reused for every generated image so Regenerate replaces the picture in place. */
export class ImagePanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private view?: ImageView;
  private actions?: ImagePanelActions;

  show(view: ImageView, actions: ImagePanelActions): void {
    this.view = view;
    this.actions = actions;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('generators.image', 'Generated image', vscode.ViewColumn.Beside, {
        enableScripts: true,
        // Nothing is loaded from disk: the image is a data: URL and the script is inline with a nonce.
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((message: unknown) => void this.handle(parseImagePanelMessage(message)));
    }
    this.render();
    this.panel.reveal(undefined, true);
  }

  /** Updates the status line (e.g. where the image was saved). */
  setStatus(status: string): void {
    if (!this.view) return;
    this.view = { ...this.view, status };
    this.render();
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private render(): void {
    if (!this.panel || !this.view) return;
    this.panel.webview.html = imagePanelHtml(
      this.view,
      randomBytes(16).toString('base64'),
      this.panel.webview.cspSource,
    );
  }

  private async handle(message: ImagePanelMessage | undefined): Promise<void> {
    if (!message || !this.actions) return;
    try {
      await this.actions[message.type]();
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    }
  }
}
