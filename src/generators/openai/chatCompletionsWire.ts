// The Chat Completions wire format: ChatMessage <-> OpenAI messages, tools, replies, and stream chunks.
// Shared by every generator that speaks it (OpenAI, Azure OpenAI, AIMLAPI; TGI's OpenAI-compatible route too).
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { ChatMessage, type ToolCall } from '../../core/chatMessage';
import { ConfigurationError } from '../../core/errors';
import { normalizeFinishReason, parseToolArguments } from '../../core/streamAssembly';
import type { ComponentInfo, StreamingChunk, ToolCallDelta } from '../../core/streamingChunk';
import type { Tool } from '../../core/tool';

/** Haystack's `ChatMessage.to_openai_dict_format`. */
export function toOpenAIMessage(message: ChatMessage, index = 0): ChatCompletionMessageParam {
  const field = `messages[${index}]`;
  const name = message.name ? { name: message.name } : {};
  switch (message.role) {
    case 'system':
      return { role: 'system', content: requireText(message, field), ...name };
    case 'user': {
      const images = message.images;
      if (images.length === 0) return { role: 'user', content: requireText(message, field), ...name };
      const parts: Exclude<Extract<ChatCompletionMessageParam, { role: 'user' }>['content'], string> = [];
      for (const part of message.content) {
        if (part.type === 'text') parts.push({ type: 'text', text: part.text });
        if (part.type === 'image') {
          const url = `data:${part.image.mimeType ?? 'image/png'};base64,${part.image.base64Image}`;
          parts.push({
            type: 'image_url',
            image_url: part.image.detail ? { url, detail: part.image.detail } : { url },
          });
        }
      }
      return { role: 'user', content: parts, ...name };
    }
    case 'assistant': {
      const text = message.text;
      const toolCalls = message.toolCalls;
      if (text === undefined && toolCalls.length === 0) {
        throw new ConfigurationError(field, 'an assistant message needs text or tool calls to be sent to the model.');
      }
      return {
        role: 'assistant',
        ...(text !== undefined ? { content: text } : {}),
        ...(toolCalls.length > 0
          ? { tool_calls: toolCalls.map((call, i) => toOpenAIToolCall(call, `${field}.tool_calls[${i}]`)) }
          : {}),
        ...name,
      };
    }
    case 'tool': {
      const result = message.toolCallResult;
      if (!result) throw new ConfigurationError(field, 'a tool message needs a tool call result.');
      if (!result.origin.id)
        throw new ConfigurationError(`${field}.origin.id`, 'OpenAI needs the id of the tool call this result answers.');
      return { role: 'tool', tool_call_id: result.origin.id, content: result.result };
    }
  }
}

function requireText(message: ChatMessage, field: string): string {
  const text = message.text;
  if (text === undefined) throw new ConfigurationError(field, `a ${message.role} message needs text.`);
  return text;
}

function toOpenAIToolCall(call: ToolCall, field: string) {
  if (!call.id) throw new ConfigurationError(`${field}.id`, 'OpenAI needs an id on every tool call.');
  return {
    id: call.id,
    type: 'function' as const,
    function: { name: call.toolName, arguments: JSON.stringify(call.arguments) },
  };
}

/** Tool definitions; with `strict`, every object schema is closed, as OpenAI's strict mode requires. */
export function toOpenAITools(
  tools: Tool[],
  strict: boolean,
): { type: 'function'; function: Record<string, unknown> }[] {
  return tools.map((tool) => {
    const spec: Record<string, unknown> = { ...tool.toolSpec };
    if (strict) {
      spec.strict = true;
      spec.parameters = { ...tool.parameters, additionalProperties: false };
    }
    return { type: 'function', function: spec };
  });
}

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
    return ChatMessage.fromAssistant(choice.message.content, {
      toolCalls,
      meta: {
        model: completion.model,
        index: choice.index,
        finish_reason: normalizeFinishReason(choice.finish_reason) ?? null,
        usage: completion.usage ?? null,
      },
    });
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
        meta: { model: chunk.model, received_at: receivedAt, usage: chunk.usage ?? null },
      };
    }
    const finishReason = normalizeFinishReason(choice.finish_reason);
    const meta: Record<string, unknown> = {
      model: chunk.model,
      index: choice.index,
      finish_reason: choice.finish_reason ?? null,
      received_at: receivedAt,
      usage: chunk.usage ?? null,
    };
    if (choice.delta.tool_calls && choice.delta.tool_calls.length > 0) {
      const toolCalls: ToolCallDelta[] = choice.delta.tool_calls.map((call) => {
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
