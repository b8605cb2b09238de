// Streamed chat completions (TGI and Inference Providers) -> StreamingChunks, after Haystack's
// `_convert_chat_completion_stream_output_to_streaming_chunk`, plus streamed tool calls.
import type { ComponentInfo, StreamingChunk, ToolCallDelta } from '../../core/streamingChunk';
import { hfFinishReason } from './huggingFaceApiChatFormat';

/** One `data:` event of a streamed chat completion, as far as a generator reads it. */
export interface HFChatCompletionChunk {
  model?: string;
  choices?: {
    finish_reason?: string | null;
    delta: {
      content?: string | null;
      reasoning?: string | null;
      tool_call_id?: string | null;
      tool_calls?:
        { index?: number; id?: string | null; function?: { name?: string | null; arguments?: string | null } }[] | null;
    };
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/**
 * Converts each event to a StreamingChunk. The usage-only event (empty `choices`, sent because the request asks for
 * `include_usage`) becomes a chunk with no content and the usage in its meta. A stream that carried tool calls
 * finishes with `tool_calls`, even when its last event has none.
 */
export async function* chatCompletionChunksToStreamingChunks(
  events: AsyncIterable<HFChatCompletionChunk>,
  componentInfo: ComponentInfo,
): AsyncGenerator<StreamingChunk> {
  let first = true;
  let sawToolCalls = false;
  for await (const event of events) {
    const receivedAt = new Date().toISOString();
    const usage = event.usage
      ? { prompt_tokens: event.usage.prompt_tokens ?? 0, completion_tokens: event.usage.completion_tokens ?? 0 }
      : null;
    const choice = event.choices?.[0];
    if (!choice) {
      yield { content: '', meta: { model: event.model ?? null, received_at: receivedAt, usage }, componentInfo };
      continue;
    }
    const toolCalls: ToolCallDelta[] = (choice.delta.tool_calls ?? []).map((call, position) => ({
      index: call.index ?? position,
      ...(call.id ? { id: call.id } : {}),
      ...(call.function?.name ? { toolName: call.function.name } : {}),
      ...(call.function?.arguments ? { arguments: call.function.arguments } : {}),
    }));
    sawToolCalls ||= toolCalls.length > 0 || Boolean(choice.delta.tool_call_id);
    const finishReason = hfFinishReason(choice.finish_reason, sawToolCalls);
    const meta: Record<string, unknown> = {
      model: event.model ?? null,
      received_at: receivedAt,
      finish_reason: choice.finish_reason ?? null,
    };
    if (usage) meta.usage = usage;
    const chunk: StreamingChunk = { content: choice.delta.content ?? '', meta, componentInfo, start: first };
    // As in Haystack, every chunk but the finishing one belongs to the first content block.
    if (!choice.finish_reason) chunk.index = 0;
    if (toolCalls.length > 0) chunk.toolCalls = toolCalls;
    if (finishReason) chunk.finishReason = finishReason;
    if (choice.delta.reasoning) chunk.reasoning = { reasoningText: choice.delta.reasoning };
    first = false;
    yield chunk;
  }
}
