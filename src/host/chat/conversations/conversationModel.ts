// Small edits of a conversation the chat controller makes: a new one, a user message added, a title, a summary.
import { randomUUID } from 'node:crypto';
import type {
  Conversation,
  ConversationMessage,
  ConversationSummary,
  ImageAttachment,
  TextAttachment,
} from '../../../shared/protocol';

/** What a user message carries besides its text. */
export interface UserInput {
  text: string;
  attachments?: TextAttachment[];
  images?: ImageAttachment[];
}

export function emptyConversation(generator: string | undefined): Conversation {
  const now = Date.now();
  const conversation: Conversation = {
    id: randomUUID(),
    title: 'New chat',
    settings: {},
    messages: [],
    createdAt: now,
    updatedAt: now,
  };
  if (generator) conversation.generator = generator;
  return conversation;
}

/** The first line of the first message (or its first attachment's label), cut to fit the history list. */
export function titleFrom(text: string, attachments: TextAttachment[] | undefined): string {
  const line = text.trim().split('\n')[0] || attachments?.[0]?.label || 'New chat';
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

export function summaryOf(conversation: Conversation): ConversationSummary {
  return {
    id: conversation.id,
    title: conversation.title,
    updatedAt: conversation.updatedAt,
    messageCount: conversation.messages.length,
  };
}

/** A reply saved while streaming whose request is gone (the window reloaded) can only be shown as interrupted. */
export function markInterrupted(conversation: Conversation): void {
  for (const message of conversation.messages) if (message.status === 'streaming') message.status = 'interrupted';
  for (const lane of conversation.comparison?.lanes ?? [])
    if (lane.reply.status === 'streaming') lane.reply.status = 'interrupted';
}

/** Adds the user's message (with its attachments) to the conversation; the first one names the conversation. */
export function addUserMessage(conversation: Conversation, input: UserInput): ConversationMessage {
  const userMessage: ConversationMessage = {
    id: randomUUID(),
    role: 'user',
    text: input.text,
    status: 'complete',
    createdAt: Date.now(),
  };
  if (input.attachments?.length) userMessage.attachments = input.attachments;
  if (input.images?.length) userMessage.images = input.images;
  if (!conversation.messages.some((m) => m.role === 'user'))
    conversation.title = titleFrom(input.text, input.attachments);
  conversation.messages.push(userMessage);
  return userMessage;
}
