// Reasoning and fallback notes travel in the reply as text, in Markdown blockquotes that start with a fixed header
// line: VS Code's thinking part is not stable API yet, and a note must not pass for the model's answer. The same
// headers let the next request strip the blocks from the assistant's earlier turns, so the model never reads its
// reasoning or our notes back as its own words.

/** The first line of a reasoning block. */
export const REASONING_HEADER = '> 💭 **Reasoning**';
/** The first line of a note about a FallbackChatGenerator's failed attempts. */
export const FALLBACK_HEADER = '> ⚠️ **Fallback**';

const HEADERS = [REASONING_HEADER, FALLBACK_HEADER];

/** `text` as blockquote continuation lines: every line break keeps the quote open. */
export function quoteContinuation(text: string): string {
  return text.replace(/\r?\n/g, '\n> ');
}

/** A complete note block: the header, the lines quoted, a blank line after. */
export function noteBlock(header: string, lines: readonly string[]): string {
  return `${header}\n${lines.map((line) => `> ${quoteContinuation(line)}`).join('\n>\n')}\n\n`;
}

/**
 * Removes the blocks this provider wrote (a header line, the quoted lines after it, the blank line that ends it)
 * from an assistant's text; anything else, blockquotes the model wrote included, stays.
 */
export function stripMarkedBlocks(text: string): string {
  if (!HEADERS.some((header) => text.includes(header))) return text;
  const kept: string[] = [];
  let inBlock = false;
  for (const line of text.split('\n')) {
    if (HEADERS.includes(line)) {
      inBlock = true;
      continue;
    }
    if (inBlock && line.startsWith('>')) continue;
    if (inBlock && line === '') {
      inBlock = false;
      continue;
    }
    inBlock = false;
    kept.push(line);
  }
  return kept.join('\n').replace(/^\n+|\n+$/g, '');
}
