// Editor commands on the selection: explain, improve (diff with Accept/Reject), ask in the chat panel,
// and generate at the cursor (streamed into the editor, one undo, stoppable).
import * as vscode from 'vscode';
import { EditorStreamWriter } from '../editorStream';
import { closeDiffTab, type Proposal, type ProposalDocuments } from '../proposalDocuments';
import {
  askPrompt,
  explainPrompt,
  extractCode,
  generateAtCursorPrompt,
  improvePrompt,
  matchTrailingNewline,
  StreamingFenceStripper,
  type SelectionContext,
} from '../selectionPrompts';
import type { CommandContext } from './commandContext';
import { runTextCommand, type TextCommandResult } from './textCommandRunner';

/** Characters of surrounding code given to 'Generate at Cursor'. */
const CONTEXT_BEFORE = 4000;
const CONTEXT_AFTER = 1500;

/** Scripted arguments (tests, keybindings); without them the commands ask. */
export interface SelectionCommandArgs {
  generator?: string;
  question?: string;
  instruction?: string;
  prompt?: string;
  /** For improveSelection: answer the Accept/Reject question without asking. */
  accept?: boolean;
}

export function selectionCommands(ctx: CommandContext, proposals: ProposalDocuments) {
  return {
    async explainSelection(args: SelectionCommandArgs = {}): Promise<TextCommandResult | undefined> {
      const { selection } = activeSelection();
      return runTextCommand(ctx, {
        command: 'explainSelection',
        title: 'Explaining',
        prompt: explainPrompt(selection),
        generator: args.generator,
        openTarget: openMarkdownBeside,
      });
    },

    async improveSelection(args: SelectionCommandArgs = {}): Promise<'accepted' | 'rejected' | undefined> {
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
    },

    async askAboutSelection(args: SelectionCommandArgs = {}): Promise<TextCommandResult | undefined> {
      const { selection } = activeSelection();
      const question =
        args.question ??
        (await vscode.window.showInputBox({
          title: 'Ask about the selection',
          placeHolder: 'What does this do? Where could it fail?',
          ignoreFocusOut: true,
        }));
      if (!question) return undefined;
      if (ctx.chat) {
        await ctx.chat.ask(question, selection);
        return undefined;
      }
      // Without the chat panel the answer streams into a Markdown document, like Explain.
      const prompt = {
        system: 'You are an expert programmer. Answer in Markdown.',
        user: askPrompt(question, selection),
      };
      return runTextCommand(ctx, {
        command: 'askAboutSelection',
        title: 'Answering',
        prompt,
        generator: args.generator,
        openTarget: openMarkdownBeside,
      });
    },

    async generateAtCursor(args: SelectionCommandArgs = {}): Promise<TextCommandResult | undefined> {
      const editor = requireEditor();
      const request =
        args.prompt ??
        (await vscode.window.showInputBox({
          title: 'Generate at cursor',
          placeHolder: 'e.g. a function that parses ISO dates',
          ignoreFocusOut: true,
        }));
      if (!request) return undefined;
      const document = editor.document;
      const cursor = editor.selection.active;
      const offset = document.offsetAt(cursor);
      const text = document.getText();
      const prompt = generateAtCursorPrompt(request, {
        languageId: document.languageId,
        fileName: document.fileName,
        before: text.slice(Math.max(0, offset - CONTEXT_BEFORE), offset),
        after: text.slice(offset, offset + CONTEXT_AFTER),
      });
      const writer = new EditorStreamWriter(editor, cursor);
      const stripper = new StreamingFenceStripper();
      const result = await runTextCommand(ctx, {
        command: 'generateAtCursor',
        title: 'Generating',
        prompt,
        generator: args.generator,
        onText: (t) => writer.write(stripper.push(t)),
      });
      if (result && !result.stopped) await writer.write(stripper.end());
      return result;
    },

    /** The diff editor's Accept button (also in the palette while a proposal is shown). */
    acceptProposal(): boolean {
      return proposals.decideCurrent(true);
    },

    rejectProposal(): boolean {
      return proposals.decideCurrent(false);
    },

    /** Stops every request started by an editor command. */
    stop(): number {
      const stopped = ctx.requests.size;
      ctx.requests.abortAll('Stopped by the user.');
      return stopped;
    },
  };
}

/** A new Markdown document beside the editor; returns a writer that streams into it. */
async function openMarkdownBeside(): Promise<(text: string) => Promise<void>> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: vscode.ViewColumn.Beside,
    preserveFocus: true,
  });
  const writer = new EditorStreamWriter(editor, new vscode.Position(0, 0));
  return (text) => writer.write(text);
}

function requireEditor(): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new Error('Open a file in the editor first.');
  return editor;
}

/** The selection (or the whole file when nothing is selected) with its language and file name. */
function activeSelection(): { editor: vscode.TextEditor; range: vscode.Range; selection: SelectionContext } {
  const editor = requireEditor();
  const document = editor.document;
  const range = editor.selection.isEmpty
    ? new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length))
    : editor.selection;
  const text = document.getText(range);
  if (text.trim() === '') throw new Error('The selection is empty: select some code first.');
  return { editor, range, selection: { text, languageId: document.languageId, fileName: document.fileName } };
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
