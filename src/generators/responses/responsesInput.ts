// ChatMessage history -> Responses API `input` items, after Haystack's
// `_convert_chat_message_to_responses_api_format`.
import type { ChatMessage, ContentPart, FileContent, ImageContent, ToolCall } from '../../core/chatMessage';
import { ConfigurationError } from '../../core/errors';

/** One item of the Responses `input` list, as sent on the wire. */
export type ResponsesInputItem = Record<string, unknown>;

/** Flattens a conversation into input items; one message may become several (reasoning, calls, text). */
export function toResponsesInput(messages: readonly ChatMessage[]): ResponsesInputItem[] {
  return messages.flatMap((message, i) => messageToInputItems(message, `messages[${i}]`));
}

/**
 * A user message is one item (string content when it is a single text, else `input_text`/`input_image`/`input_file`
 * parts); a tool message is `function_call_output` items (its output text, or parts since Haystack 2.23); system and
 * assistant messages become their reasoning items, text and `function_call` items in the order the model produced
 * them. `name` is not sent: the Responses API has no such field and rejects unknown ones.
 */
export function messageToInputItems(message: ChatMessage, field: string): ResponsesInputItem[] {
  if (message.content.length === 0) {
    throw new ConfigurationError(
      field,
      'a message must contain text, an image, a tool call, a tool call result or reasoning.',
    );
  }
  if (message.role === 'user') return [userItem(message, field)];
  if (message.role === 'tool') {
    if (message.content.length > 1)
      throw new ConfigurationError(field, 'a tool message with a tool call result cannot contain any other content.');
    return message.toolCallResults.map((result) => ({
      type: 'function_call_output',
      call_id: callIdOf(result.origin, `${field}.tool_call_result.origin`),
      output: typeof result.result === 'string' ? result.result : result.result.map((part) => inputPart(part, field)),
    }));
  }

  const items: ResponsesInputItem[] = [];
  const reasoning = message.reasoning;
  // The API identifies reasoning by its item id; reasoning from other providers has none and cannot be replayed.
  if (reasoning && typeof reasoning.extra?.id === 'string') {
    items.push({
      ...replayableReasoningFields(reasoning.extra),
      type: 'reasoning',
      summary: reasoning.reasoningText ? [{ type: 'summary_text', text: reasoning.reasoningText }] : [],
    });
  }
  const texts = message.texts;
  if (texts.length > 0) items.push({ role: message.role, content: texts.join(' ') });
  message.toolCalls.forEach((call, i) => items.push(functionCallItem(call, `${field}.tool_calls[${i}]`)));
  if (items.length === 0)
    throw new ConfigurationError(field, `a ${message.role} message needs text or tool calls to be sent to the model.`);
  return items;
}

function userItem(message: ChatMessage, field: string): ResponsesInputItem {
  const only = message.content[0];
  if (message.content.length === 1 && only.type === 'text') return { role: 'user', content: only.text };
  return { role: 'user', content: message.content.map((part, i) => inputPart(part, `${field}.content[${i}]`)) };
}

/** A user message's or a tool result's part as a Responses input part. */
function inputPart(part: ContentPart, field: string): Record<string, unknown> {
  if (part.type === 'text') return { type: 'input_text', text: part.text };
  if (part.type === 'image') return imagePart(part.image);
  if (part.type === 'file') return filePart(part.file);
  throw new ConfigurationError(field, `a ${part.type.replace(/_/g, ' ')} cannot be part of a user message.`);
}

function imagePart(image: ImageContent): Record<string, unknown> {
  // Haystack defaults to JPEG when the MIME type is unknown; OpenAI tolerates a mismatch.
  return {
    type: 'input_image',
    image_url: `data:${image.mimeType ?? 'image/jpeg'};base64,${image.base64Image}`,
    detail: image.detail ?? 'auto',
  };
}

function filePart(file: FileContent): Record<string, unknown> {
  // Without a filename the API expects the id of an uploaded file; Haystack sends a placeholder name instead.
  return {
    type: 'input_file',
    filename: file.filename ?? 'filename',
    file_data: `data:${file.mimeType ?? 'application/pdf'};base64,${file.base64Data}`,
  };
}

/** The fields of a reasoning item the API takes back; streaming event fields kept in `extra` are refused by it. */
const REPLAYABLE_REASONING_FIELDS = ['id', 'type', 'encrypted_content', 'status', 'content'];

function replayableReasoningFields(extra: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(extra).filter(([key]) => REPLAYABLE_REASONING_FIELDS.includes(key)));
}

/**
 * A tool call replayed to the model. Calls produced by this API keep the item id (`fc_...`) as `id` and the
 * `call_id` in `extra`; calls from other generators only have their call id, which is sent as `call_id`.
 */
function functionCallItem(call: ToolCall, field: string): ResponsesInputItem {
  const item: ResponsesInputItem = {
    type: 'function_call',
    call_id: callIdOf(call, field),
    name: call.toolName,
    arguments: JSON.stringify(call.arguments),
  };
  if (typeof call.extra?.call_id === 'string' && call.id) item.id = call.id;
  return item;
}

function callIdOf(call: ToolCall, field: string): string {
  const callId = typeof call.extra?.call_id === 'string' ? call.extra.call_id : call.id;
  if (!callId)
    throw new ConfigurationError(
      `${field}.id`,
      'the Responses API needs the call id of every tool call; this tool call has none.',
    );
  return callId;
}
