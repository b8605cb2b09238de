/**
 * Splits streamed Markdown into blocks that are complete (a blank line outside a code fence, or a closed fence) as
 * the text arrives. Each complete block is rendered once and never again, so rendering a reply costs time linear
 * in its length; only the unfinished tail is shown as plain text until its block completes.
 */
export class MarkdownBlockSplitter {
  /** Complete lines of the unfinished block. */
  private block = '';
  /** The last, unterminated line. */
  private line = '';
  private fence?: string;

  /** Adds streamed text; returns the blocks it completed, in order. */
  push(text: string): string[] {
    const completed: string[] = [];
    // Only the new text is scanned, so a long line streamed in many chunks costs time linear in its length.
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.addLine(this.line + text.slice(start, end), completed);
      this.line = '';
      start = end + 1;
    }
    this.line += text.slice(start);
    return completed;
  }

  /** The text not yet in a completed block (shown as plain text while streaming). */
  get tail(): string {
    return this.block + this.line;
  }

  /** Ends the stream: whatever is left is the last block. */
  finish(): string | undefined {
    const rest = this.tail;
    this.block = '';
    this.line = '';
    this.fence = undefined;
    return rest.trim() === '' ? undefined : rest;
  }

  private addLine(line: string, completed: string[]): void {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (this.fence) {
      this.block += `${line}\n`;
      if (marker && marker[0] === this.fence[0] && marker.length >= this.fence.length && line.trim() === marker) {
        this.fence = undefined;
        this.complete(completed);
      }
      return;
    }
    if (marker) {
      this.complete(completed);
      this.fence = marker;
      this.block = `${line}\n`;
      return;
    }
    if (line.trim() === '') {
      this.complete(completed);
      return;
    }
    this.block += `${line}\n`;
  }

  private complete(completed: string[]): void {
    if (this.block.trim() !== '') completed.push(this.block);
    this.block = '';
  }
}
