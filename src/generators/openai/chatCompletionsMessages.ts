// ChatMessage -> Chat Completions messages, after Haystack's `ChatMessage.to_openai_dict_format`: text, images and
// files (2.24+) in user messages, tool calls, and tool results as text or (2.23+) text parts.
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ChatMessage, FileContent, ImageContent, ToolCall, ToolCallResult } from '../../core/chatMessage';
import { ConfigurationError } from '../../core/errors';

type UserContentPart = Exclude<Extract<ChatCompletionMessageParam, { role: 'user' }>['content'], string>[number];

export function toOpenAIMessage(message: ChatMessage, index = 0): ChatCompletionMessageParam {
  const field = `messages[${index}]`;
  const name = message.name ? { name: message.name } : {};
  switch (message.role) {
    case 'system':
      return { role: 'system', content: requireText(message, field), ...name };
    case 'user': {
      const only = message.content[0];
      if (message.content.length === 1 && only?.type === 'text') return { role: 'user', content: only.text, ...name };
      const parts = message.content.flatMap((part): UserContentPart[] => {
        if (part.type === 'text') return [{ type: 'text', text: part.text }];
        if (part.type === 'image') return [imagePart(part.image)];
        if (part.type === 'file') return [filePart(part.file)];
        return [];
      });
      if (parts.length === 0) throw new ConfigurationError(field, 'a user message needs text, an image or a file.');
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
      return { role: 'tool', tool_call_id: result.origin.id, content: toolResultContent(result, field) };
    }
  }
}

function requireText(message: ChatMessage, field: string): string {
  const text = message.text;
  if (text === undefined) throw new ConfigurationError(field, `a ${message.role} message needs text.`);
  return text;
}

function imagePart(image: ImageContent): UserContentPart {
  const url = `data:${image.mimeType ?? 'image/png'};base64,${image.base64Image}`;
  return { type: 'image_url', image_url: image.detail ? { url, detail: image.detail } : { url } };
}

function filePart(file: FileContent): UserContentPart {
  // Without a filename the API expects the id of an uploaded file; Haystack sends a placeholder name instead.
  return {
    type: 'file',
    file: {
      file_data: `data:${file.mimeType ?? 'application/pdf'};base64,${file.base64Data}`,
      filename: file.filename ?? 'filename',
    },
  };
}

/** The API takes a tool result as text or text parts; an image the tool returned has no place in it. */
function toolResultContent(result: ToolCallResult, field: string) {
  if (typeof result.result === 'string') return result.result;
  return result.result.map((part) => {
    if (part.type !== 'text')
      throw new ConfigurationError(
        `${field}.tool_call_result`,
        'the Chat Completions API takes no images in tool results; use the Responses API (OpenAIResponsesChatGenerator) for tools that return images.',
      );
    return { type: 'text' as const, text: part.text };
  });
}

function toOpenAIToolCall(call: ToolCall, field: string) {
  if (!call.id) throw new ConfigurationError(`${field}.id`, 'OpenAI needs an id on every tool call.');
  return {
    id: call.id,
    type: 'function' as const,
    function: { name: call.toolName, arguments: JSON.stringify(call.arguments) },
  };
}
