// Export as Haystack code, and the chat conversation's response schema (structured output).
import * as vscode from 'vscode';
import { structuredOutputSupport } from '../../generators/capabilities';
import type { Conversation, ResponseSchemaView } from '../../shared/protocol';
import { parseResponseSchema } from '../conversationSchema';
import { conversationScriptInput, generatorScriptInput } from '../conversationExport';
import { haystackPythonScript } from '../haystackPythonExport';
import type { CommandContext } from './commandContext';

/** Options of a scripted `generators.exportAsHaystackCode` run; interactive runs ask instead. */
export interface ExportAsHaystackCodeOptions {
  /** Export this configured generator alone. */
  name?: string;
  /** Export this conversation; `fromConversation: true` exports the one the chat panel shows. */
  conversationId?: string;
  fromConversation?: boolean;
}

/** Options of a scripted `generators.setResponseSchema` run: the schema as JSON text or a workspace file. */
export interface SetResponseSchemaOptions {
  conversationId?: string;
  schema?: string;
  /** A file path (absolute, or relative to the first workspace folder). */
  file?: string;
}

export function haystackCodeCommands(ctx: CommandContext) {
  const chat = () => {
    if (!ctx.chat) throw new Error('The chat panel is not available in this window.');
    return ctx.chat;
  };
  const conversationOf = async (conversationId?: string): Promise<Conversation> => {
    const conversation = await chat().conversation(conversationId);
    if (!conversation)
      throw new Error('That conversation no longer exists. Open a conversation in the Generators chat panel first.');
    return conversation;
  };

  return {
    /** Opens (and returns) a Python file that rebuilds a generator and replays a conversation with it. */
    async exportAsHaystackCode(args: ExportAsHaystackCodeOptions = {}): Promise<string | undefined> {
      const scripted = args.name !== undefined || args.conversationId !== undefined || args.fromConversation === true;
      const source = scripted ? args : await pickExportSource(ctx);
      if (!source) return undefined;
      let text: string;
      if (source.name !== undefined) {
        text = haystackPythonScript(generatorScriptInput(source.name, ctx.registry.get(source.name)));
      } else {
        const conversation = await conversationOf(source.conversationId);
        const name = conversation.generator;
        if (!name) throw new Error('The conversation has no generator yet: pick one in the chat panel, then export.');
        text = haystackPythonScript(conversationScriptInput(conversation, name, ctx.registry.get(name)));
      }
      const document = await vscode.workspace.openTextDocument({ language: 'python', content: text });
      if (!scripted) await vscode.window.showTextDocument(document);
      return text;
    },

    /** Sets the JSON schema of a conversation; warns at once when its generator cannot follow one. */
    async setResponseSchema(args: SetResponseSchemaOptions = {}): Promise<ResponseSchemaView | undefined> {
      const conversation = await conversationOf(args.conversationId);
      const schemaSource = args.schema !== undefined || args.file !== undefined ? args : await askForSchema();
      if (!schemaSource) return undefined;
      const responseSchema = await readSchema(schemaSource);
      await chat().setResponseSchema(conversation.id, responseSchema);
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
      const conversation = await conversationOf(args.conversationId);
      await chat().setResponseSchema(conversation.id, undefined);
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

async function pickExportSource(ctx: CommandContext): Promise<ExportAsHaystackCodeOptions | undefined> {
  type Item = vscode.QuickPickItem & { source?: ExportAsHaystackCodeOptions };
  const items: Item[] = [];
  const conversation = await ctx.chat?.conversation();
  if (conversation?.generator && conversation.messages.length > 0) {
    items.push({
      label: '$(comment-discussion) Current conversation',
      description: `${conversation.title} · ${conversation.generator}`,
      source: { conversationId: conversation.id },
    });
    items.push({ label: 'Generators', kind: vscode.QuickPickItemKind.Separator });
  }
  for (const generator of ctx.registry.list().filter((g) => !g.error))
    items.push({ label: generator.name, description: generator.model, source: { name: generator.name } });
  if (items.length === 0) throw new Error("No generator to export: add one with 'Generators: Add Generator'.");
  return (await vscode.window.showQuickPick(items, { title: 'Export as Haystack code' }))?.source;
}

async function askForSchema(): Promise<SetResponseSchemaOptions | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Pick a .json file in the workspace…', from: 'file' as const },
      { label: 'Type or paste a JSON schema…', from: 'typed' as const },
    ],
    { title: 'Response schema for this conversation' },
  );
  if (!picked) return undefined;
  if (picked.from === 'typed') {
    const schema = await vscode.window.showInputBox({
      title: 'JSON schema (or {"name", "schema"})',
      placeHolder: '{"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}',
      ignoreFocusOut: true,
      validateInput: (value) => {
        try {
          JSON.parse(value);
          return undefined;
        } catch (error) {
          return `Not JSON yet: ${error instanceof Error ? error.message : String(error)}`;
        }
      },
    });
    return schema === undefined ? undefined : { schema };
  }
  const files = await vscode.workspace.findFiles('**/*.json', '**/node_modules/**', 500);
  if (files.length === 0)
    throw new Error('No .json file in the workspace: type the schema instead, or add a schema file.');
  const file = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'JSON schema file', matchOnDescription: true },
  );
  return file ? { file: file.uri.fsPath } : undefined;
}

async function readSchema(source: SetResponseSchemaOptions): Promise<ResponseSchemaView> {
  if (source.schema !== undefined) return parseResponseSchema(source.schema, 'The typed schema', 'response');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri =
    /^([a-zA-Z]:)?[\\/]/.test(source.file!) || !folder
      ? vscode.Uri.file(source.file!)
      : vscode.Uri.joinPath(folder, source.file!);
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  const relative = vscode.workspace.asRelativePath(uri);
  const baseName = relative
    .split(/[\\/]/)
    .at(-1)!
    .replace(/(\.schema)?\.json$/i, '');
  return parseResponseSchema(text, relative, baseName);
}
