// The Chat Completions replies: a completion and its stream chunks -> ChatMessages and StreamingChunks with the meta
// Haystack puts on them (the openai SDK's `model_dump()` of usage, logprobs and tool-call deltas). Shared by every
// generator that speaks it (OpenAI, Azure OpenAI, AIMLAPI).
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { ChatMessage, type ToolCall } from '../../core/chatMessage';
import { normalizeFinishReason, parseToolArguments } from '../../core/streamAssembly';
import type { ComponentInfo, StreamingChunk, ToolCallDelta } from '../../core/streamingChunk';

/** One ChatMessage per choice of a non-streamed completion, with Haystack's meta. */
export function completionToMessages(completion: ChatCompletion): ChatMessage[] {
  return completion.choices.map((choice) => {
    const toolCalls: ToolCall[] = [];
    for (const call of choice.message.tool_calls ?? []) {
      if (call.type !== 'function') continue;
      const args = parseToolArguments(call.function.arguments);
      // Haystack skips a call whose arguments are not valid JSON (tools_strict prevents it).
      if (args !== undefined) toolCalls.push({ id: call.id, toolName: call.function.name, arguments: args });
    }
    const meta: Record<string, unknown> = {
      model: completion.model,
      index: choice.index,
      finish_reason: normalizeFinishReason(choice.finish_reason) ?? null,
      usage: usageMeta(completion.usage),
    };
    if (choice.logprobs) meta.logprobs = logprobsMeta(choice.logprobs);
    return ChatMessage.fromAssistant(choice.message.content, { toolCalls, meta });
  });
}

/**
 * Turns Chat Completions stream chunks into StreamingChunks (Haystack's
 * `_convert_chat_completion_chunk_to_streaming_chunk`), tracking where each content block starts.
 */
export class ChatCompletionChunkConverter {
  private textStarted = false;
  private readonly startedToolCalls = new Set<number>();
  private receivedAtMs = Number.NaN;
  private receivedAtIso = '';

  constructor(private readonly componentInfo?: ComponentInfo) {}

  convert(chunk: ChatCompletionChunk): StreamingChunk {
    const receivedAt = this.receivedAt();
    const choice = chunk.choices[0];
    if (!choice) {
      // The usage chunk of `stream_options.include_usage` (and some role-only chunks) carry no choice.
      return {
        content: '',
        componentInfo: this.componentInfo,
        meta: { model: chunk.model, received_at: receivedAt, usage: usageMeta(chunk.usage) },
      };
    }
    const finishReason = normalizeFinishReason(choice.finish_reason);
    const deltaToolCalls = choice.delta.tool_calls?.length ? choice.delta.tool_calls : undefined;
    const meta: Record<string, unknown> = {
      model: chunk.model,
      index: choice.index,
      tool_calls: deltaToolCalls?.map(toolCallDeltaMeta) ?? null,
      finish_reason: choice.finish_reason ?? null,
      received_at: receivedAt,
      usage: usageMeta(chunk.usage),
    };
    if (choice.logprobs) meta.logprobs = logprobsMeta(choice.logprobs);
    if (deltaToolCalls) {
      const toolCalls: ToolCallDelta[] = deltaToolCalls.map((call) => {
        const delta: ToolCallDelta = { index: call.index };
        if (call.id) delta.id = call.id;
        if (call.function?.name) delta.toolName = call.function.name;
        if (call.function?.arguments) delta.arguments = call.function.arguments;
        return delta;
      });
      const first = toolCalls[0]!;
      const start = !this.startedToolCalls.has(first.index);
      this.startedToolCalls.add(first.index);
      // Block indexes: text is block 0, tool call i is block i + 1 when the reply also has text.
      return {
        content: choice.delta.content ?? '',
        componentInfo: this.componentInfo,
        index: first.index + (this.textStarted ? 1 : 0),
        toolCalls,
        start,
        finishReason,
        meta,
      };
    }
    const content = choice.delta.content ?? '';
    const streamed: StreamingChunk = { content, componentInfo: this.componentInfo, finishReason, meta };
    if (content !== '') {
      streamed.index = 0;
      streamed.start = !this.textStarted;
      this.textStarted = true;
    }
    return streamed;
  }

  /** The arrival time as an ISO string; chunks arrive many per millisecond, so each millisecond is formatted once. */
  private receivedAt(): string {
    const now = Date.now();
    if (now !== this.receivedAtMs) {
      this.receivedAtMs = now;
      this.receivedAtIso = new Date(now).toISOString();
    }
    return this.receivedAtIso;
  }
}

type Usage = ChatCompletion['usage'];
type Logprobs = NonNullable<ChatCompletion['choices'][number]['logprobs']>;
type DeltaToolCall = NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number];

/** `usage` as the openai SDK's `model_dump()` gives it to Haystack: the detail objects are null when not sent. */
export function usageMeta(usage: Usage | null | undefined): Record<string, unknown> | null {
  if (!usage) return null;
  return {
    ...usage,
    completion_tokens_details: usage.completion_tokens_details ?? null,
    prompt_tokens_details: usage.prompt_tokens_details ?? null,
  };
}

function logprobsMeta(logprobs: Logprobs): Record<string, unknown> {
  return { ...logprobs, content: logprobs.content ?? null, refusal: logprobs.refusal ?? null };
}

function toolCallDeltaMeta(call: DeltaToolCall): Record<string, unknown> {
  return {
    ...call,
    id: call.id ?? null,
    function: call.function
      ? { ...call.function, arguments: call.function.arguments ?? null, name: call.function.name ?? null }
      : null,
    type: call.type ?? null,
  };
}
