// Editor commands on the selection: explain, improve (diff with Accept/Reject), ask in the chat panel,
// and generate at the cursor (streamed into the editor, one undo, stoppable).
import * as vscode from 'vscode';
import type { CommandContext } from '../platform/commandContext';
import { activeSelection, openMarkdownBeside, requireEditor } from './activeEditor';
import { EditorStreamWriter } from './editorStream';
import { improveSelection } from './improveSelection';
import { PROPOSAL_SCHEME, ProposalDocuments } from './proposalDocuments';
import { askPrompt, explainPrompt, generateAtCursorPrompt, StreamingFenceStripper } from './selectionPrompts';
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

export function editorCommands(ctx: CommandContext) {
  const proposals = new ProposalDocuments();
  ctx.context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, proposals),
    proposals,
    // Enables the Stop keybinding (Escape in the editor) while a request runs.
    ctx.requests.onDidChange(
      (running) => void vscode.commands.executeCommand('setContext', 'generators.editorRequestRunning', running > 0),
    ),
  );
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

    improveSelection: (args: SelectionCommandArgs = {}) => improveSelection(ctx, proposals, args),

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
