// A Responses API `Response` -> the assistant ChatMessage, after Haystack's `_convert_response_to_chat_message`.
// The streamed path (responsesStream.ts) builds its reply from the same pieces so that both replies are equal.
import type { Response } from 'openai/resources/responses/responses';
import { ChatMessage, type ReasoningContent, type ToolCall } from '../../core/chatMessage';
import { parseToolArguments } from '../../core/streamAssembly';
import type { FinishReason } from '../../core/streamingChunk';

/**
 * Haystack's finish reason for a finished response: `tool_calls` when it asks for a function, `stop` otherwise;
 * an incomplete response stopped on `max_output_tokens` (`length`) or on the content filter.
 */
export function responseFinishReason(
  response: Pick<Response, 'status' | 'output' | 'incomplete_details'>,
): FinishReason | null {
  if (response.status === 'incomplete')
    return response.incomplete_details?.reason === 'content_filter' ? 'content_filter' : 'length';
  if (response.status !== 'completed') return null;
  return response.output.some((item) => item.type === 'function_call') ? 'tool_calls' : 'stop';
}

/**
 * The reply's meta: the response as the API sent it (id, model, status, usage with reasoning tokens, ...) without
 * its `output`, which the message content carries, plus Haystack's `finish_reason`.
 */
export function responseMeta(response: Response): Record<string, unknown> {
  const { output: _output, output_text: _outputText, ...rest } = response as Response & { output_text?: string };
  return { ...rest, finish_reason: responseFinishReason(response) };
}

/** The text of every `output_text` part, in order (the SDK's `output_text`). */
export function responseText(response: Pick<Response, 'output'>): string {
  let text = '';
  for (const item of response.output) {
    if (item.type !== 'message') continue;
    for (const part of item.content) if (part.type === 'output_text') text += part.text;
  }
  return text;
}

/** The reasoning item's summaries joined by newlines; `extra` keeps the item (id, encrypted content) for replay. */
export function reasoningFromItem(item: Record<string, unknown>): ReasoningContent {
  const { summary, ...extra } = item;
  const texts = Array.isArray(summary) ? summary.map((s) => (typeof s?.text === 'string' ? s.text : '')) : [];
  return { reasoningText: texts.join('\n'), extra };
}

/** The non-streamed reply. Tool calls whose arguments are not valid JSON are skipped and named in meta, as in Haystack. */
export function responseToChatMessage(response: Response): ChatMessage {
  const toolCalls: ToolCall[] = [];
  const malformed: string[] = [];
  let reasoning: ReasoningContent | undefined;
  for (const item of response.output) {
    if (item.type === 'reasoning') reasoning = reasoningFromItem(item as unknown as Record<string, unknown>);
    if (item.type !== 'function_call') continue;
    const args = parseToolArguments(item.arguments);
    if (args === undefined) malformed.push(item.name);
    else toolCalls.push({ id: item.id, toolName: item.name, arguments: args, extra: { call_id: item.call_id } });
  }
  const meta = responseMeta(response);
  if (malformed.length > 0) meta.malformed_tool_calls = malformed;
  const text = responseText(response);
  return ChatMessage.fromAssistant(text === '' ? null : text, { toolCalls, reasoning, meta });
}
