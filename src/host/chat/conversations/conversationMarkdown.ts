import type { Conversation, ConversationMessage } from '../../../shared/protocol';
import { userTextWithAttachments } from './conversationMessages';

/** A conversation as a Markdown document: one heading per turn, replies as the model wrote them. */
export function toMarkdown(conversation: Conversation): string {
  const lines = [`# ${conversation.title}`, ''];
  if (conversation.generator) lines.push(`Generator: ${conversation.generator}`, '');
  if (conversation.settings.systemPrompt) lines.push('## System', '', conversation.settings.systemPrompt, '');
  for (const message of conversation.messages) lines.push(...messageLines(message));
  return `${lines.join('\n').trimEnd()}\n`;
}

function messageLines(message: ConversationMessage): string[] {
  if (message.role === 'user') {
    const images = (message.images ?? []).map((image) => `_[image: ${image.name ?? image.mimeType}]_`);
    return ['## User', '', userTextWithAttachments(message), ...images, ''];
  }
  const lines = ['## Assistant', ''];
  if (message.reasoning) lines.push(...message.reasoning.split('\n').map((line) => `> ${line}`), '');
  if (message.text) lines.push(message.text, '');
  for (const call of message.toolCalls ?? []) lines.push(`Tool call \`${call.name}\`: \`${call.arguments}\``, '');
  if (message.status === 'stopped') lines.push('_(stopped)_', '');
  if (message.status === 'error' && message.error) lines.push(`_Error: ${message.error.message}_`, '');
  return lines;
}
