// Runs a request under a progress notification whose Cancel button aborts it. The one place a VS Code
// CancellationToken becomes an AbortSignal; the request is also tracked so deactivation can abort it.
import * as vscode from 'vscode';
import type { InFlightRequests } from './inFlightRequests';

export async function withCancellableProgress<T>(
  title: string,
  requests: InFlightRequests,
  task: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>,
): Promise<T> {
  const request = requests.start();
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) => {
        const subscription = token.onCancellationRequested(() => request.abort('Cancelled by the user.'));
        return task(request.signal, progress).finally(() => subscription.dispose());
      },
    );
  } finally {
    request.done();
  }
}
