// Read-only virtual documents for 'Improve Selection': the original and the proposed text, shown side by side
// in a diff editor until the user accepts or rejects.
import * as vscode from 'vscode';

export const PROPOSAL_SCHEME = 'generators-proposal';

export class ProposalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private counter = 0;

  /** A new pair of documents; `fileName` keeps the language (and so highlighting) of the source file. */
  create(fileName: string, original: string, proposal: string): { original: vscode.Uri; proposal: vscode.Uri; dispose(): void } {
    const id = ++this.counter;
    const base = fileName.split(/[\\/]/).at(-1) ?? 'selection';
    const originalUri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/original/${base}` });
    const proposalUri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/proposal/${base}` });
    this.contents.set(originalUri.toString(), original);
    this.contents.set(proposalUri.toString(), proposal);
    return {
      original: originalUri,
      proposal: proposalUri,
      dispose: () => {
        this.contents.delete(originalUri.toString());
        this.contents.delete(proposalUri.toString());
      },
    };
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.contents.clear();
  }
}

/** Closes the diff tab showing `proposal`, if it is still open. */
export async function closeDiffTab(proposal: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  const open = tabs.filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposal.toString());
  if (open.length > 0) await vscode.window.tabGroups.close(open);
}
