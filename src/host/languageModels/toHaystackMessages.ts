// VS Code's request messages as Haystack ChatMessages (chat generators) or as a prompt with a system prompt (text
// generators, which take one string).
import { ChatMessage, type ImageContent, type ToolCall } from '../../core/chatMessage';
import { GeneratorError } from '../../core/errors';
import { LM_ROLE, type LmInputPart, type LmMessage, type LmToolResultContent } from './lmParts';
import { stripMarkedBlocks } from './markedBlocks';

/** Images in request messages, for the capability check before a request is sent. */
export function hasImages(messages: readonly LmMessage[]): boolean {
  return messages.some((message) => message.content.some((part) => part.kind === 'data' && isImage(part.mimeType)));
}

/**
 * The ChatMessages for a chat generator. System messages stay system messages; a user message's tool results
 * become `tool` messages (answering the assistant's calls with those ids) ahead of its own text and images; the
 * blocks this provider added to earlier replies (reasoning, fallback notes) are left out.
 */
export function toChatMessages(messages: readonly LmMessage[]): ChatMessage[] {
  const calls = new Map<string, ToolCall>();
  const result: ChatMessage[] = [];
  messages.forEach((message, index) => {
    const field = `messages[${index}]`;
    if (message.role === LM_ROLE.system) {
      const text = textOf(message.content);
      if (text !== '') result.push(ChatMessage.fromSystem(text));
    } else if (message.role === LM_ROLE.assistant) {
      const toolCalls = message.content.flatMap((part) =>
        part.kind === 'toolCall' ? [toolCallOf(part, `${field}.content`)] : [],
      );
      for (const call of toolCalls) calls.set(call.id!, call);
      const text = stripMarkedBlocks(textOf(message.content));
      if (text !== '' || toolCalls.length > 0)
        result.push(ChatMessage.fromAssistant(text === '' ? null : text, { toolCalls, name: message.name }));
    } else if (message.role === LM_ROLE.user) {
      for (const part of message.content) {
        if (part.kind !== 'toolResult') continue;
        const origin = calls.get(part.callId) ?? { toolName: '', arguments: {}, id: part.callId };
        result.push(ChatMessage.fromTool(toolResultText(part.content), origin));
      }
      const text = textOf(message.content);
      const images = imagesOf(message.content);
      if (text !== '' || images.length > 0)
        result.push(ChatMessage.fromUser(text === '' ? undefined : text, { images, name: message.name }));
    } else {
      throw new GeneratorError(`${field}.role: unknown message role ${message.role}; expected user or assistant.`, {
        code: 'bad_request',
      });
    }
  });
  return result;
}

/** What a text generator gets: the system messages as its system prompt, the conversation as one prompt. */
export interface PromptForm {
  prompt: string;
  systemPrompt?: string;
}

/**
 * A first turn is the user's text as it is; a longer conversation becomes a transcript ending in `Assistant:`,
 * so that a completion model continues it (as the chat panel does for text generators).
 */
export function toPromptForm(messages: readonly LmMessage[]): PromptForm {
  const system = messages.filter((m) => m.role === LM_ROLE.system).map((m) => textOf(m.content));
  const turns = messages
    .filter((m) => m.role !== LM_ROLE.system)
    .map((m) => ({
      speaker: m.role === LM_ROLE.assistant ? 'Assistant' : 'User',
      text: transcriptText(m),
    }))
    .filter((turn) => turn.text !== '');
  const prompt =
    turns.length === 1 && turns[0].speaker === 'User'
      ? turns[0].text
      : `${turns.map((turn) => `${turn.speaker}: ${turn.text}`).join('\n\n')}\n\nAssistant:`;
  const systemPrompt = system.filter((text) => text !== '').join('\n\n');
  return systemPrompt === '' ? { prompt } : { prompt, systemPrompt };
}

/** The plain text of a part list, with text-like data parts (text/*, JSON) decoded. */
export function textOf(parts: readonly (LmInputPart | LmToolResultContent)[]): string {
  return parts
    .map((part) => {
      if (part.kind === 'text') return part.text;
      if (part.kind === 'data' && isTextLike(part.mimeType)) return new TextDecoder().decode(part.data);
      return '';
    })
    .join('');
}

function transcriptText(message: LmMessage): string {
  const pieces = message.content.map((part) => {
    if (part.kind === 'toolCall') return `[tool call ${part.name} ${JSON.stringify(part.input)}]`;
    if (part.kind === 'toolResult') return `[tool result ${part.callId}: ${toolResultText(part.content)}]`;
    return textOf([part]);
  });
  const text = pieces.join('');
  return message.role === LM_ROLE.assistant ? stripMarkedBlocks(text) : text;
}

function toolCallOf(part: Extract<LmInputPart, { kind: 'toolCall' }>, field: string): ToolCall {
  if (typeof part.input !== 'object' || part.input === null || Array.isArray(part.input)) {
    throw new GeneratorError(`${field}: the input of tool call "${part.name}" (${part.callId}) is not an object.`, {
      code: 'bad_request',
    });
  }
  return { toolName: part.name, arguments: { ...(part.input as Record<string, unknown>) }, id: part.callId };
}

/** A tool result as the string Haystack's ToolCallResult holds: its text, other values as JSON. */
function toolResultText(content: readonly LmToolResultContent[]): string {
  return content
    .map((part) => {
      if (part.kind === 'other') return JSON.stringify(part.value) ?? '';
      if (part.kind === 'data' && !isTextLike(part.mimeType)) return `[${part.mimeType} data omitted]`;
      return textOf([part]);
    })
    .join('');
}

function imagesOf(parts: readonly LmInputPart[]): ImageContent[] {
  return parts.flatMap((part) =>
    part.kind === 'data' && isImage(part.mimeType)
      ? [{ base64Image: Buffer.from(part.data).toString('base64'), mimeType: part.mimeType }]
      : [],
  );
}

function isImage(mimeType: string): boolean {
  return mimeType.startsWith('image/');
}

/**
 * Data parts of other types (VS Code's Chat sends `cache_control` markers, for instance) carry no content a
 * generator could use and are left out.
 */
function isTextLike(mimeType: string): boolean {
  return mimeType.startsWith('text/') || mimeType === 'application/json' || mimeType.endsWith('+json');
}
