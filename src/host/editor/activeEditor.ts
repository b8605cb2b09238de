// The editor the commands work on: its selection (or whole file), and a Markdown document opened beside it.
import * as vscode from 'vscode';
import { EditorStreamWriter } from './editorStream';
import type { SelectionContext } from './selectionPrompts';

export /** A new Markdown document beside the editor; returns a writer that streams into it. */
async function openMarkdownBeside(): Promise<(text: string) => Promise<void>> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: vscode.ViewColumn.Beside,
    preserveFocus: true,
  });
  const writer = new EditorStreamWriter(editor, new vscode.Position(0, 0));
  return (text) => writer.write(text);
}

export function requireEditor(): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new Error('Open a file in the editor first.');
  return editor;
}

export /** The selection (or the whole file when nothing is selected) with its language and file name. */
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
