// A generator's reply as the parts VS Code's language model API streams: text as it arrives (reasoning in a marked
// block), tool calls once complete, and notes on a FallbackChatGenerator's failed attempts.
import type { ChatMessage } from '../../core/chatMessage';
import type { StreamingChunk } from '../../core/streamingChunk';
import { FALLBACK_RESTART, type FailedChatGenerator } from '../../generators/fallback/fallbackChatGenerator';
import type { LmResponsePart } from './lmParts';
import { FALLBACK_HEADER, noteBlock, quoteContinuation, REASONING_HEADER } from './markedBlocks';

/**
 * Turns streamed chunks, then the final reply, into response parts. Tool calls are reported from the final reply
 * only: their arguments are complete JSON there, and a call is acted on once reported.
 */
export class ReplyParts {
  /** Whether text or reasoning of the current attempt has been reported. */
  private streamed = false;
  private inReasoning = false;
  private nextCallId = 1;

  constructor(private readonly emit: (part: LmResponsePart) => void) {}

  /** The streaming callback's side: reports each chunk's text and reasoning as it comes. */
  onChunk(chunk: StreamingChunk): void {
    if (chunk.meta?.[FALLBACK_RESTART] === true) {
      this.restart(chunk.meta);
      return;
    }
    const reasoning = chunk.reasoning?.reasoningText;
    if (reasoning) this.reasoning(reasoning);
    if (chunk.content) this.text(chunk.content);
  }

  /** Reports what the stream did not carry (a reply that did not stream, tool calls) and the fallback report. */
  finish(reply: ChatMessage | undefined, meta: Record<string, unknown> | undefined): void {
    if (reply && !this.streamed) {
      const reasoning = reply.reasoning?.reasoningText;
      if (reasoning) this.reasoning(reasoning);
      const text = reply.texts.join('');
      if (text) this.text(text);
    }
    this.closeReasoning();
    for (const call of reply?.toolCalls ?? []) {
      this.emit({
        kind: 'toolCall',
        callId: call.id || `haystack_call_${this.nextCallId++}`,
        name: call.toolName,
        input: call.arguments,
      });
    }
    this.reportFailures(meta);
  }

  private text(text: string): void {
    this.closeReasoning();
    this.streamed = true;
    this.emit({ kind: 'text', text });
  }

  private reasoning(text: string): void {
    if (!this.inReasoning) {
      this.emit({ kind: 'text', text: `${this.streamed ? '\n\n' : ''}${REASONING_HEADER}\n> ` });
      this.inReasoning = true;
    }
    this.streamed = true;
    this.emit({ kind: 'text', text: quoteContinuation(text) });
  }

  private closeReasoning(): void {
    if (!this.inReasoning) return;
    this.inReasoning = false;
    this.emit({ kind: 'text', text: '\n\n' });
  }

  /** A generator of the chain failed after streaming: what it sent is not the answer, and the next one starts. */
  private restart(meta: Record<string, unknown>): void {
    this.closeReasoning();
    const which = `[${String(meta.failed_chat_generator_index)}] ${String(meta.failed_chat_generator_class)}`;
    this.emit({
      kind: 'text',
      text: `\n\n${noteBlock(FALLBACK_HEADER, [`${which} failed while replying; the text above is not the answer. The next generator of the chain answers below.`])}`,
    });
    this.streamed = false;
  }

  /** Every failed attempt of a FallbackChatGenerator run that ended with an answer, with the generator's error. */
  private reportFailures(meta: Record<string, unknown> | undefined): void {
    const failures = (meta?.failed_chat_generators ?? []) as FailedChatGenerator[];
    if (!Array.isArray(failures) || failures.length === 0) return;
    const lines = failures.map((failure) => `[${failure.index}] ${failure.class} failed: ${failure.error}`);
    lines.push(
      `Answered by [${String(meta?.successful_chat_generator_index)}] ${String(meta?.successful_chat_generator_class)}.`,
    );
    this.emit({ kind: 'text', text: `\n\n${noteBlock(FALLBACK_HEADER, lines)}` });
  }
}
