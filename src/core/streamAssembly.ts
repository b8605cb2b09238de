import { ChatMessage, type ToolCall } from './chatMessage';
import { throwIfAborted } from './errors';
import type { FinishReason, StreamingCallback, StreamingChunk } from './streamingChunk';

/**
 * Builds the final reply from its chunks, as Haystack's `_convert_streaming_chunks_to_chat_message`:
 * text concatenated, tool-call fragments grouped by index with their JSON arguments parsed, the last finish
 * reason and usage kept, reasoning concatenated, the chunks' logprobs listed.
 */
export function chatMessageFromChunks(chunks: readonly StreamingChunk[]): ChatMessage {
  const text = chunks.map((c) => c.content).join('');
  const byIndex = new Map<number, { id: string; name: string; arguments: string; extra?: Record<string, unknown> }>();
  for (const chunk of chunks) {
    for (const delta of chunk.toolCalls ?? []) {
      const entry = byIndex.get(delta.index) ?? { id: '', name: '', arguments: '' };
      if (delta.id) entry.id = delta.id;
      if (delta.toolName) entry.name += delta.toolName;
      if (delta.arguments) entry.arguments += delta.arguments;
      if (delta.extra) entry.extra = { ...entry.extra, ...delta.extra };
      byIndex.set(delta.index, entry);
    }
  }
  const toolCalls: ToolCall[] = [];
  const malformed: string[] = [];
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    const entry = byIndex.get(index)!;
    const args = parseToolArguments(entry.arguments);
    if (args === undefined) {
      malformed.push(entry.name);
      continue;
    }
    const call: ToolCall = { toolName: entry.name, arguments: args, id: entry.id || undefined };
    if (entry.extra) call.extra = entry.extra;
    toolCalls.push(call);
  }
  const finishReason = [...chunks].reverse().find((c) => c.finishReason)?.finishReason ?? null;
  const usage = [...chunks].reverse().find((c) => c.meta.usage)?.meta.usage ?? null;
  const reasoningText = chunks.map((c) => c.reasoning?.reasoningText ?? '').join('');
  const meta: Record<string, unknown> = {
    model: chunks.at(-1)?.meta.model ?? null,
    index: 0,
    finish_reason: finishReason,
    completion_start_time: chunks[0]?.meta.received_at ?? null,
    usage,
  };
  // As Haystack: each chunk's logprobs, in order, when the provider sent any.
  const logprobs = chunks.flatMap((c) => (c.meta.logprobs ? [c.meta.logprobs] : []));
  if (logprobs.length > 0) meta.logprobs = logprobs;
  if (malformed.length > 0) meta.malformed_tool_calls = malformed;
  return ChatMessage.fromAssistant(text === '' ? null : text, {
    toolCalls,
    meta,
    reasoning: reasoningText === '' ? undefined : reasoningText,
  });
}

/** Parses streamed tool arguments; an empty string is `{}`, invalid JSON or a non-object is undefined. */
export function parseToolArguments(json: string): Record<string, unknown> | undefined {
  if (json.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Delivers every chunk of `stream` to `callback` in order (awaiting it) and returns them all.
 * Once `signal` aborts, nothing more is delivered, even chunks the SDK had already buffered.
 */
export async function consumeStream(
  stream: AsyncIterable<StreamingChunk>,
  callback: StreamingCallback | undefined,
  signal?: AbortSignal,
): Promise<StreamingChunk[]> {
  const chunks: StreamingChunk[] = [];
  for await (const chunk of stream) {
    throwIfAborted(signal);
    chunks.push(chunk);
    // Awaiting only a returned promise spares a synchronous callback a microtask turn per chunk.
    const pending = callback?.(chunk);
    if (pending) await pending;
  }
  throwIfAborted(signal);
  return chunks;
}

/** Maps provider finish reasons onto Haystack's; unknown ones pass through unchanged. */
export function normalizeFinishReason(reason: string | null | undefined): FinishReason | undefined {
  if (!reason) return undefined;
  if (reason === 'function_call') return 'tool_calls';
  if (reason === 'eos_token' || reason === 'stop_sequence' || reason === 'end_turn') return 'stop';
  if (reason === 'max_tokens' || reason === 'max_output_tokens') return 'length';
  return reason as FinishReason;
}
