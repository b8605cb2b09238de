// Local models from the host's side: where their files are cached, whether downloads are allowed, and a
// progress notification while a model's files download.
import * as vscode from 'vscode';
import {
  configureLocalModels,
  onLocalModelProgress,
  shutdownLocalModels,
  type LocalModelProgress,
} from '../../generators/huggingFaceLocal/localModels';
import { SECTION } from '../platform/settings';

/** Applies the `generators.localModels.*` settings now and whenever they change. */
export function setUpLocalModels(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  const apply = () => {
    const config = vscode.workspace.getConfiguration(SECTION);
    const cacheDir =
      config.get<string>('localModels.cacheDirectory')?.trim() ||
      vscode.Uri.joinPath(context.globalStorageUri, 'models').fsPath;
    configureLocalModels({
      cacheDir,
      allowRemoteDownloads: config.get<boolean>('localModels.allowRemoteDownloads') ?? true,
    });
  };
  apply();
  const downloads = new DownloadProgress(log);
  const unsubscribe = onLocalModelProgress((progress) => downloads.update(progress));
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration(
      (event) => event.affectsConfiguration(`${SECTION}.localModels`) && apply(),
    ),
    { dispose: unsubscribe },
    downloads,
  );
}

export { shutdownLocalModels };

/** One progress notification per model while its files download; it closes when loading is done. */
class DownloadProgress implements vscode.Disposable {
  private readonly open = new Map<string, { report: (progress: LocalModelProgress) => void; finish: () => void }>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  update(progress: LocalModelProgress): void {
    const current = this.open.get(progress.model);
    if (progress.status === 'ready' || progress.status === 'error') {
      current?.finish();
      return;
    }
    // Cached files only report 'initiate' and 'done': the notification opens when bytes really download.
    if (current) return current.report(progress);
    if (progress.status !== 'download' && progress.status !== 'progress') return;
    this.log.info(`Downloading local model ${progress.model}…`);
    let report: (p: LocalModelProgress) => void = () => {};
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => (finish = resolve));
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading ${progress.model}` },
      async (bar) => {
        // Percentages are per file, so they are shown in the message rather than as the bar's increments.
        report = (p) => {
          const percent = typeof p.progress === 'number' ? ` ${Math.round(p.progress)}%` : '';
          if (p.file) bar.report({ message: `${p.file}${percent}` });
        };
        report(progress);
        await done;
      },
    );
    this.open.set(progress.model, {
      report: (p) => report(p),
      finish: () => {
        this.open.delete(progress.model);
        this.log.info(`Local model ${progress.model}: download finished.`);
        finish();
      },
    });
  }

  dispose(): void {
    for (const entry of [...this.open.values()]) entry.finish();
  }
}
