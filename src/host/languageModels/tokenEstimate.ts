// The token count VS Code gets for a generator without a tokenizer at hand (every remote API: their tokenizers are
// the providers' own and not shipped with this extension).
import type { LmMessage } from './lmParts';

/**
 * Tokens VS Code counts per image. OpenAI bills a high-detail 1024x1024 image at 765 tokens; other providers are in
 * the same range, and over-counting keeps a caller's prompt within budget.
 */
export const IMAGE_TOKEN_ESTIMATE = 765;
/** Role markers and separators each message adds in the chat formats of these APIs. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * The estimate: a token per 4 ASCII characters (OpenAI's rule of thumb for English text and code), and a token per
 * other character (CJK, emoji and accented letters take one or more tokens each in the common BPE vocabularies).
 * It errs on the high side, as a budget should.
 */
export function estimateTextTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.codePointAt(0)! < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

/** A message's estimate: its text (tool calls and results as their JSON), images at a fixed cost, the overhead. */
export function estimateMessageTokens(message: LmMessage): number {
  let tokens = MESSAGE_OVERHEAD_TOKENS;
  for (const part of message.content) {
    if (part.kind === 'text') tokens += estimateTextTokens(part.text);
    else if (part.kind === 'data') tokens += estimateDataTokens(part.mimeType, part.data);
    else if (part.kind === 'toolCall') tokens += estimateTextTokens(part.name + JSON.stringify(part.input ?? {}));
    else
      for (const item of part.content)
        tokens +=
          item.kind === 'text'
            ? estimateTextTokens(item.text)
            : item.kind === 'data'
              ? estimateDataTokens(item.mimeType, item.data)
              : estimateTextTokens(JSON.stringify(item.value) ?? '');
  }
  return tokens;
}

function estimateDataTokens(mimeType: string, data: Uint8Array): number {
  return mimeType.startsWith('image/') ? IMAGE_TOKEN_ESTIMATE : Math.ceil(data.byteLength / 4);
}
