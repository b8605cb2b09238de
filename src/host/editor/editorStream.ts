// Streams text into an editor at a position. Every edit after the first is made without undo stops, so the
// whole generation is undone with one Undo.
import * as vscode from 'vscode';

export class EditorStreamWriter {
  private offset: number;
  private first = true;

  constructor(
    private readonly editor: vscode.TextEditor,
    position: vscode.Position,
  ) {
    this.offset = editor.document.offsetAt(position);
  }

  /** Inserts `text` after what was written so far; throws when the editor can no longer be edited. */
  async write(text: string): Promise<void> {
    if (text === '') return;
    const position = this.editor.document.positionAt(this.offset);
    const applied = await this.editor.edit((builder) => builder.insert(position, text), {
      undoStopBefore: this.first,
      undoStopAfter: false,
    });
    if (!applied)
      throw new Error('The editor was closed or changed while text was streaming into it; generation stopped.');
    this.first = false;
    this.offset += text.length;
  }

  /** The position right after the inserted text. */
  get end(): vscode.Position {
    return this.editor.document.positionAt(this.offset);
  }
}
