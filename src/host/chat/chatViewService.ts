// What the chat panel offers to the rest of the host: editor commands ask in it, export and schema commands read
// and configure its conversations.
import type { Conversation, ResponseSchemaView } from '../../shared/protocol';

/** Selection context sent to the chat panel by editor commands. */
export interface EditorContext {
  text: string;
  languageId: string;
  fileName: string;
}

/** What the chat view offers to commands. */
export interface ChatViewService {
  /** Opens the panel and sends `question` with the selection attached, streaming the answer there. */
  ask(question: string, context?: EditorContext): Promise<void>;
  reveal(): Promise<void>;
  /** A conversation by id, or the one the panel shows. */
  conversation(conversationId?: string): Promise<Conversation | undefined>;
  /** Sets or clears the JSON schema the conversation's replies are requested in and checked against. */
  setResponseSchema(conversationId: string, responseSchema: ResponseSchemaView | undefined): Promise<void>;
}

/** The panel itself, or an error saying it is not there (a command ran in a window without it). */
export function requireChat(chat: ChatViewService | undefined): ChatViewService {
  if (!chat) throw new Error('The chat panel is not available in this window.');
  return chat;
}

/** A conversation by id (or the one the panel shows), or an error saying what to do. */
export async function requireConversation(
  chat: ChatViewService | undefined,
  conversationId?: string,
): Promise<Conversation> {
  const conversation = await requireChat(chat).conversation(conversationId);
  if (!conversation)
    throw new Error('That conversation no longer exists. Open a conversation in the Generators chat panel first.');
  return conversation;
}
