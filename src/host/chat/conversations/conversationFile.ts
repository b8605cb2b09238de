// Conversation files and the protocol's Conversation: the version a file was written in, the upgrade of older files
// to the current version, the checks the panel relies on, and the conversion in both directions.
import type { Conversation } from '../../../shared/protocol';
import type { ConversationFileV1 } from './conversationFileV1';

/** The version this extension writes (and the newest it reads). */
export const CONVERSATION_SCHEMA_VERSION = 1;

/** A conversation file in the current version. */
export type ConversationFile = ConversationFileV1;

/** A file written by a newer version of the extension. It is left as it is: never moved aside, never overwritten. */
export class NewerConversationFileError extends Error {
  constructor(readonly schemaVersion: number) {
    super(
      `it was saved by a newer version of Generators (conversation schema ${schemaVersion}; this version reads up ` +
        `to ${CONVERSATION_SCHEMA_VERSION}). Update the extension to open it; the file was left unchanged.`,
    );
    this.name = 'NewerConversationFileError';
  }
}

/**
 * The conversation in a parsed file. Throws NewerConversationFileError for a file from a newer version, and an
 * Error naming the field for a file that is not a conversation.
 */
export function conversationFromFile(value: unknown, id: string): Conversation {
  const { schemaVersion: _version, ...conversation } = checked(upgraded(value), id);
  return conversation;
}

export function conversationToFile(conversation: Conversation): ConversationFile {
  return { schemaVersion: CONVERSATION_SCHEMA_VERSION, ...conversation };
}

/**
 * The document in the current version. A file without `schemaVersion` predates the field: it is version 1, whose
 * shape it already has.
 */
function upgraded(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
  const document = value as Record<string, unknown>;
  const version = document.schemaVersion ?? 1;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new Error(`schemaVersion ${JSON.stringify(version)} is not a version number`);
  if (version > CONVERSATION_SCHEMA_VERSION) throw new NewerConversationFileError(version);
  return { ...document, schemaVersion: version };
}

/** Checks the fields the panel relies on; anything else in the file is kept as it is. */
function checked(document: Record<string, unknown>, id: string): ConversationFile {
  const c = document as Partial<ConversationFile>;
  if (c.id !== id) throw new Error(`id ${JSON.stringify(c.id)} does not match the file name`);
  if (typeof c.title !== 'string') throw new Error('title is not a string');
  if (typeof c.createdAt !== 'number' || typeof c.updatedAt !== 'number')
    throw new Error('createdAt/updatedAt are not numbers');
  if (typeof c.settings !== 'object' || c.settings === null) throw new Error('settings is not an object');
  if (!Array.isArray(c.messages)) throw new Error('messages is not a list');
  c.messages.forEach((m, i) => {
    if (typeof m !== 'object' || m === null) throw new Error(`messages[${i}] is not an object`);
    if (m.role !== 'user' && m.role !== 'assistant') throw new Error(`messages[${i}].role is not user or assistant`);
    if (typeof m.id !== 'string' || typeof m.text !== 'string' || typeof m.status !== 'string')
      throw new Error(`messages[${i}] lacks id, text or status`);
  });
  return c as ConversationFile;
}
