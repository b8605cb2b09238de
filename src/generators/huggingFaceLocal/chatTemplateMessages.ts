import { toolResultText, type ChatMessage } from '../../core/chatMessage';
import { ConfigurationError } from '../../core/errors';
import type { TemplateMessage } from '../../worker/localModelProtocol';

/**
 * A ChatMessage in the shape chat templates read (Haystack's `convert_message_to_hf_format`): one text or one
 * tool result as `content`, tool calls as `tool_calls`. Local text models take no images; file parts are left out,
 * as in Haystack.
 */
export function toTemplateMessage(message: ChatMessage, index: number): TemplateMessage {
  const field = `messages[${index}]`;
  const toolImages = message.toolCallResults.some(
    (result) => typeof result.result !== 'string' && result.result.some((part) => part.type === 'image'),
  );
  if (message.images.length > 0 || toolImages) {
    throw new ConfigurationError(
      field,
      'local Hugging Face chat models take text only; remove the images or pick a vision-capable generator.',
    );
  }
  const texts = message.texts;
  const results = message.toolCallResults;
  const toolCalls = message.toolCalls;
  if (texts.length === 0 && results.length === 0 && toolCalls.length === 0) {
    throw new ConfigurationError(field, 'a message needs text, a tool call or a tool result.');
  }
  if (texts.length + results.length > 1) {
    throw new ConfigurationError(field, 'a message can only contain one text or one tool result.');
  }
  if (results.length === 1) {
    const result = results[0];
    const converted: TemplateMessage = { role: message.role, content: toolResultText(result) };
    if (result.origin.id) converted.tool_call_id = result.origin.id;
    return converted;
  }
  const converted: TemplateMessage = { role: message.role, content: texts[0] ?? '' };
  if (toolCalls.length > 0) {
    converted.tool_calls = toolCalls.map((call) => ({
      type: 'function',
      function: { name: call.toolName, arguments: call.arguments },
      ...(call.id ? { id: call.id } : {}),
    }));
  }
  return converted;
}
