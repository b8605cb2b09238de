// How a panel conversation becomes the input of a generator (and of the Haystack JSON export).
import { ChatMessage, type ToolCall } from '../../../core/chatMessage';
import { parseToolArguments } from '../../../core/streamAssembly';
import type { Conversation, ConversationMessage, TextAttachment } from '../../../shared/protocol';

/** The user's text followed by each attachment as a fenced block labelled with its origin. */
export function userTextWithAttachments(message: Pick<ConversationMessage, 'text' | 'attachments'>): string {
  const blocks = (message.attachments ?? []).map(attachmentBlock);
  return [message.text, ...blocks].filter((part) => part !== '').join('\n\n');
}

function attachmentBlock(attachment: TextAttachment): string {
  // A fence longer than any backtick run in the text, so attached Markdown cannot close it early.
  const longestRun = Math.max(2, ...Array.from(attachment.text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${attachment.label}:\n${fence}${attachment.languageId}\n${attachment.text}\n${fence}`;
}

/** Replies that failed or carry nothing are left out: the model should not see them as its own words. */
function isContext(message: ConversationMessage): boolean {
  if (message.role === 'user') return true;
  if (message.status === 'error' || message.status === 'streaming') return false;
  return message.text !== '' || (message.toolCalls?.length ?? 0) > 0;
}

/** Haystack ChatMessages for `messages` (the system prompt first), as a chat generator receives them. */
export function toChatMessages(
  messages: readonly ConversationMessage[],
  systemPrompt: string | undefined,
): ChatMessage[] {
  const result: ChatMessage[] = [];
  if (systemPrompt) result.push(ChatMessage.fromSystem(systemPrompt));
  for (const message of messages.filter(isContext)) {
    if (message.role === 'user') {
      const images = (message.images ?? []).map((image) => ({ base64Image: image.base64, mimeType: image.mimeType }));
      result.push(ChatMessage.fromUser(userTextWithAttachments(message), { images }));
    } else {
      const toolCalls: ToolCall[] = (message.toolCalls ?? []).map((call) => ({
        toolName: call.name,
        arguments: parseToolArguments(call.arguments) ?? {},
        id: call.id,
      }));
      const meta: Record<string, unknown> = {};
      if (message.stats?.model) meta.model = message.stats.model;
      if (message.stats?.finishReason) meta.finish_reason = message.stats.finishReason;
      if (message.stats?.totalTokens !== undefined) {
        meta.usage = {
          prompt_tokens: message.stats.promptTokens,
          completion_tokens: message.stats.completionTokens,
          total_tokens: message.stats.totalTokens,
        };
      }
      result.push(
        ChatMessage.fromAssistant(message.text === '' ? null : message.text, {
          toolCalls,
          meta,
          reasoning: message.reasoning || undefined,
        }),
      );
    }
  }
  return result;
}

/**
 * The prompt for a text generator. A first turn is the user's text as it is; later turns become a transcript so
 * that a completion model still sees the conversation.
 */
export function toTextPrompt(messages: readonly ConversationMessage[]): string {
  const turns = messages.filter(isContext);
  if (turns.length === 1) return userTextWithAttachments(turns[0]);
  const transcript = turns.map(
    (m) => `${m.role === 'user' ? 'User' : 'Assistant'}: ${m.role === 'user' ? userTextWithAttachments(m) : m.text}`,
  );
  return `${transcript.join('\n\n')}\n\nAssistant:`;
}

/** Haystack's serialized ChatMessages for a whole conversation (`ChatMessage.to_dict()` of each). */
export function toHaystackJson(conversation: Conversation): string {
  return JSON.stringify(
    toChatMessages(conversation.messages, conversation.settings.systemPrompt).map((m) => m.toDict()),
    null,
    2,
  );
}
