// The prompts behind the editor selection commands, and the clean-up of what comes back. Plain TypeScript.

/** Where the text comes from; the model gets the language and file name as context. */
export interface SelectionContext {
  text: string;
  languageId: string;
  fileName: string;
}

/** A system and a user prompt: chat generators get two messages, text generators a system prompt and a prompt. */
export interface PromptPair {
  system: string;
  user: string;
}

const fence = (context: SelectionContext) => {
  // A fence longer than any backtick run inside the code keeps the code from closing it early.
  const longest = Math.max(2, ...[...context.text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${context.languageId}\n${context.text}\n${ticks}`;
};

const describeFile = (context: SelectionContext) =>
  `${context.languageId} code from the file ${baseName(context.fileName)}`;

export function explainPrompt(context: SelectionContext): PromptPair {
  return {
    system:
      'You are an expert programmer. Explain code clearly and concisely in Markdown: what it does, how, and anything surprising.',
    user: `Explain the following ${describeFile(context)}:\n\n${fence(context)}`,
  };
}

export function improvePrompt(context: SelectionContext, instruction?: string): PromptPair {
  const ask = instruction?.trim()
    ? instruction.trim()
    : 'Improve it: fix bugs, make it clearer and more idiomatic, keep its behaviour.';
  return {
    system:
      `You are an expert ${context.languageId} programmer. Reply with the complete improved code only, in one fenced code block, ` +
      'with no explanation before or after it. Keep the original indentation style.',
    user: `${ask}\n\nThe ${describeFile(context)}:\n\n${fence(context)}`,
  };
}

export function generateAtCursorPrompt(
  request: string,
  context: { languageId: string; fileName: string; before: string; after: string },
): PromptPair {
  return {
    system:
      `You write ${context.languageId} code that is inserted verbatim at the cursor in the file ${baseName(context.fileName)}. ` +
      'Reply with the code to insert only: no explanations and no Markdown code fences.',
    user: `Code before the cursor:\n${context.before}\n<CURSOR>\nCode after the cursor:\n${context.after}\n\nWrite: ${request}`,
  };
}

export function askPrompt(question: string, context: SelectionContext): string {
  return `${question}\n\nAbout this ${describeFile(context)}:\n\n${fence(context)}`;
}

/** The code of the first fenced block in a reply, or the whole reply when there is no fence. */
export function extractCode(reply: string): string {
  const match = /(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n?\1/.exec(reply);
  return match ? match[2] : reply.trim();
}

/** Keeps the text and the replacement's trailing newline consistent with what was selected. */
export function matchTrailingNewline(original: string, replacement: string): string {
  const trimmed = replacement.replace(/\n+$/, '');
  const trailing = /\n*$/.exec(original)?.[0] ?? '';
  return trimmed + trailing;
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).at(-1) ?? fileName;
}

/**
 * Removes a Markdown fence wrapped around streamed code, chunk by chunk: models asked for bare code often send
 * "```ts\n...\n```" anyway. Text that may be the start of a closing fence is held back until it is known.
 */
export class StreamingFenceStripper {
  private head = '';
  private decided = false;
  private fenced = false;
  private pending = '';
  private closed = false;

  /** Feeds streamed text; returns what can be inserted now. */
  push(text: string): string {
    if (!this.decided) {
      this.head += text;
      const trimmed = this.head.trimStart();
      if (trimmed.length < 3 && !this.head.includes('\n')) return '';
      if (trimmed.startsWith('```')) {
        const newline = trimmed.indexOf('\n');
        if (newline < 0) return '';
        this.fenced = true;
        this.decided = true;
        return this.emit(trimmed.slice(newline + 1));
      }
      this.decided = true;
      const all = this.head;
      this.head = '';
      return this.emit(all);
    }
    return this.emit(text);
  }

  /** Ends the stream; returns the held-back text that turned out not to be a closing fence. */
  end(): string {
    if (!this.decided) return this.head;
    const rest = this.pending;
    this.pending = '';
    return this.fenced ? rest.replace(/^\n`{3,}\s*$/, '') : rest;
  }

  private emit(text: string): string {
    if (!this.fenced || this.closed) return this.closed ? '' : text;
    const all = this.pending + text;
    this.pending = '';
    const closing = /\n`{3,}[ \t]*\n/.exec(all);
    if (closing) {
      this.closed = true;
      return all.slice(0, closing.index);
    }
    // Hold back the last line while it may still become the closing fence.
    const lastNewline = all.lastIndexOf('\n');
    if (lastNewline >= 0 && /^\n`{0,3}[ \t]*$/.test(all.slice(lastNewline))) {
      this.pending = all.slice(lastNewline);
      return all.slice(0, lastNewline);
    }
    return all;
  }
}
