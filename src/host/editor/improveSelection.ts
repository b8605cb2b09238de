// 'Improve Selection': the model's rewrite shown as a diff with Accept and Reject; accepting replaces the selection
// only if it did not change meanwhile.
import * as vscode from 'vscode';
import type { CommandContext } from '../platform/commandContext';
import { activeSelection } from './activeEditor';
import type { SelectionCommandArgs } from './commands';
import { closeDiffTab, type Proposal, type ProposalDocuments } from './proposalDocuments';
import { extractCode, improvePrompt, matchTrailingNewline } from './selectionPrompts';
import { runTextCommand } from './textCommandRunner';

export async function improveSelection(
  ctx: CommandContext,
  proposals: ProposalDocuments,
  args: SelectionCommandArgs,
): Promise<'accepted' | 'rejected' | undefined> {
  const { editor, range, selection } = activeSelection();
  const instruction = args.instruction ?? (args.accept === undefined ? await askInstruction() : undefined);
  if (instruction === null) return undefined;
  const result = await runTextCommand(ctx, {
    command: 'improveSelection',
    title: 'Improving',
    prompt: improvePrompt(selection, instruction),
    generator: args.generator,
  });
  if (!result || result.stopped) return undefined;
  const proposal = matchTrailingNewline(selection.text, extractCode(result.text));
  const docs = proposals.create(selection.fileName, selection.text, proposal);
  try {
    await vscode.commands.executeCommand(
      'vscode.diff',
      docs.original,
      docs.proposal,
      `Proposed change ↔ ${docs.proposal.path.split('/').at(-1)}`,
      { preview: true },
    );
    const accepted = args.accept ?? (await askAcceptOrReject(docs));
    if (!accepted) return 'rejected';
    if (editor.document.getText(range) !== selection.text)
      throw new Error('The selected text changed while the proposal was made; run Improve Selection again.');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(editor.document.uri, range, proposal);
    if (!(await vscode.workspace.applyEdit(edit)))
      throw new Error('The editor refused the change; is the file read-only?');
    return 'accepted';
  } finally {
    await closeDiffTab(docs.proposal);
    docs.dispose();
  }
}

/** The notification's buttons and the diff editor's title buttons both answer; closing the diff rejects. */
async function askAcceptOrReject(proposal: Proposal): Promise<boolean> {
  const fromNotification = vscode.window
    .showInformationMessage('Apply the proposed change to the selection?', 'Accept', 'Reject')
    .then((choice) => (choice === undefined ? proposal.decision : choice === 'Accept'));
  return Promise.race([proposal.decision, fromNotification]);
}

/** An optional instruction; null when the user pressed Escape. */
async function askInstruction(): Promise<string | null> {
  const value = await vscode.window.showInputBox({
    title: 'Improve the selection',
    placeHolder: 'Optional: how to improve it (Enter for a general improvement)',
    ignoreFocusOut: true,
  });
  return value === undefined ? null : value;
}
