// 'Set Response Schema' and 'Clear Response Schema': the JSON schema a chat conversation's replies are requested in
// (structured output) and checked against.
import * as vscode from 'vscode';
import { structuredOutputSupport } from '../../generators/capabilities';
import type { ResponseSchemaView } from '../../shared/protocol';
import { requireChat, requireConversation } from '../chat/chatViewService';
import type { CommandContext } from '../platform/commandContext';
import { askForSchema, readSchema } from './schemaSource';

/** Options of a scripted `generators.setResponseSchema` run: the schema as JSON text or a workspace file. */
export interface SetResponseSchemaOptions {
  conversationId?: string;
  schema?: string;
  /** A file path (absolute, or relative to the first workspace folder). */
  file?: string;
}

export function structuredOutputCommands(ctx: CommandContext) {
  return {
    /** Sets the JSON schema of a conversation; warns at once when its generator cannot follow one. */
    async setResponseSchema(args: SetResponseSchemaOptions = {}): Promise<ResponseSchemaView | undefined> {
      const conversation = await requireConversation(ctx.chat, args.conversationId);
      const schemaSource = args.schema !== undefined || args.file !== undefined ? args : await askForSchema();
      if (!schemaSource) return undefined;
      const responseSchema = await readSchema(schemaSource);
      await requireChat(ctx.chat).setResponseSchema(conversation.id, responseSchema);
      ctx.log.info(
        `Conversation "${conversation.title}" now asks for JSON following "${responseSchema.name}" (${responseSchema.source}).`,
      );
      const problem = conversation.generator ? unsupportedReason(ctx, conversation.generator) : undefined;
      if (problem)
        void vscode.window.showWarningMessage(
          `"${conversation.generator}" cannot follow a JSON schema: ${problem} Pick another generator before sending.`,
        );
      else if (args.schema === undefined && args.file === undefined)
        void vscode.window.showInformationMessage(
          `Replies in this conversation will be requested as JSON following "${responseSchema.name}" and validated.`,
        );
      return responseSchema;
    },

    async clearResponseSchema(args: { conversationId?: string } = {}): Promise<void> {
      const conversation = await requireConversation(ctx.chat, args.conversationId);
      await requireChat(ctx.chat).setResponseSchema(conversation.id, undefined);
    },
  };
}

/** Why the named generator cannot follow a schema, or undefined when it can (or cannot be built: sending says why). */
function unsupportedReason(ctx: CommandContext, name: string): string | undefined {
  try {
    const support = structuredOutputSupport(ctx.registry.get(name).toDict());
    return support.supported ? undefined : support.reason;
  } catch {
    return undefined;
  }
}
