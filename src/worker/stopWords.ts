// Stop-word handling for local generation. transformers.js ignores `stop_strings`, so the worker checks the
// decoded text itself: generation stops at the first stop word, the word is cut from the reply, and streamed
// text is held back while its tail could still turn into a stop word.

/** Index of the earliest stop word in `text`, or -1. */
export function firstStopWordIndex(text: string, stopWords: readonly string[]): number {
  let first = -1;
  for (const word of stopWords) {
    if (word === '') continue;
    const index = text.indexOf(word);
    if (index !== -1 && (first === -1 || index < first)) first = index;
  }
  return first;
}

/** Length of the longest tail of `text` that is a proper prefix of some stop word. */
function partialStopWordLength(text: string, stopWords: readonly string[]): number {
  let longest = 0;
  for (const word of stopWords) {
    for (let length = Math.min(word.length - 1, text.length); length > longest; length--) {
      if (text.endsWith(word.slice(0, length))) {
        longest = length;
        break;
      }
    }
  }
  return longest;
}

/**
 * The part of the generated `text` that may be shown now: everything before a stop word once one appeared;
 * otherwise all but a tail that could still become a stop word or is an incomplete UTF-8 sequence
 * (byte-level tokenizers decode half a character as U+FFFD).
 */
export function streamableText(text: string, stopWords: readonly string[]): string {
  const stop = firstStopWordIndex(text, stopWords);
  if (stop !== -1) return text.slice(0, stop);
  let end = text.length - partialStopWordLength(text, stopWords);
  while (end > 0 && text[end - 1] === '\uFFFD') end--;
  return text.slice(0, end);
}

/** The final reply: cut at the first stop word and right-trimmed, as Haystack's `reply.replace(stop_word, "").rstrip()`. */
export function cutAtStopWord(text: string, stopWords: readonly string[]): { text: string; stopped: boolean } {
  const stop = firstStopWordIndex(text, stopWords);
  return stop === -1 ? { text, stopped: false } : { text: text.slice(0, stop).trimEnd(), stopped: true };
}
