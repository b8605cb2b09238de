// Read-only virtual documents for 'Improve Selection': the original and the proposed text, shown side by side
// in a diff editor until the user accepts or rejects (notification buttons, the diff editor's title buttons,
// or closing the diff, which rejects).
import * as vscode from 'vscode';

export const PROPOSAL_SCHEME = 'generators-proposal';

/** One proposal on screen: its two documents and the user's decision. */
export interface Proposal {
  original: vscode.Uri;
  proposal: vscode.Uri;
  /** Resolves true on Accept, false on Reject or when the diff is closed. */
  decision: Promise<boolean>;
  dispose(): void;
}

export class ProposalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly pending = new Map<string, (accepted: boolean) => void>();
  private counter = 0;
  private readonly tabWatcher = vscode.window.tabGroups.onDidChangeTabs((event) => {
    for (const tab of event.closed)
      if (tab.input instanceof vscode.TabInputTextDiff) this.decide(tab.input.modified, false);
  });

  /** A new pair of documents; `fileName` keeps the language (and so highlighting) of the source file. */
  create(fileName: string, original: string, proposal: string): Proposal {
    const id = ++this.counter;
    const base = fileName.split(/[\\/]/).at(-1) ?? 'selection';
    const originalUri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/original/${base}` });
    const proposalUri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/proposal/${base}` });
    this.contents.set(originalUri.toString(), original);
    this.contents.set(proposalUri.toString(), proposal);
    const decision = new Promise<boolean>((resolve) => this.pending.set(proposalUri.toString(), resolve));
    return {
      original: originalUri,
      proposal: proposalUri,
      decision,
      dispose: () => {
        this.decide(proposalUri, false);
        this.contents.delete(originalUri.toString());
        this.contents.delete(proposalUri.toString());
      },
    };
  }

  /** Settles the proposal shown in `uri`, if it is still waiting; returns whether it was. */
  decide(uri: vscode.Uri, accepted: boolean): boolean {
    const resolve = this.pending.get(uri.toString());
    if (!resolve) return false;
    this.pending.delete(uri.toString());
    resolve(accepted);
    return true;
  }

  /** Settles the proposal in the active diff tab, else the latest one (the title buttons and the palette). */
  decideCurrent(accepted: boolean): boolean {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputTextDiff && this.decide(input.modified, accepted)) return true;
    const latest = [...this.pending.keys()].at(-1);
    return latest !== undefined && this.decide(vscode.Uri.parse(latest), accepted);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  dispose(): void {
    for (const resolve of this.pending.values()) resolve(false);
    this.pending.clear();
    this.contents.clear();
    this.tabWatcher.dispose();
  }
}

/** Closes the diff tab showing `proposal`, if it is still open. */
export async function closeDiffTab(proposal: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  const open = tabs.filter(
    (tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposal.toString(),
  );
  if (open.length > 0) await vscode.window.tabGroups.close(open);
}
