// Haystack interchange: import components or pipelines (YAML/JSON) as generators, export a generator as a
// component dict, or as a runnable Python file that replays a chat conversation.
import * as vscode from 'vscode';
import { generatorClassFor } from '../../generators/registry';
import { requireConversation } from '../chat/chatViewService';
import type { CommandContext } from '../platform/commandContext';
import { addGeneratorEntries } from '../registry/addGeneratorEntries';
import { conversationScriptInput, generatorScriptInput } from './conversationExport';
import { exportHaystackText, importHaystackText, type ExportFormat } from './haystackComponents';
import { haystackPythonScript } from './haystackPythonExport';
import { askForHaystackText, askExportFormat, pickExportSource, pickGeneratorToExport } from './sourcePicks';

/** Options of a scripted `generators.exportAsHaystackCode` run; interactive runs ask instead. */
export interface ExportAsHaystackCodeOptions {
  /** Export this configured generator alone. */
  name?: string;
  /** Export this conversation; `fromConversation: true` exports the one the chat panel shows. */
  conversationId?: string;
  fromConversation?: boolean;
}

export function haystackCommands(ctx: CommandContext) {
  return {
    async importHaystackComponent(args: { text?: string } = {}): Promise<string[]> {
      const text = args.text ?? (await askForHaystackText());
      if (text === undefined) return [];
      const taken = ctx.registry.list().map((g) => g.name);
      const result = await importHaystackText(text, (type) => generatorClassFor(type) !== undefined, taken);
      const skipped = result.skipped.join('; ');
      if (result.entries.length === 0)
        throw new Error(`No supported generator found to import.${skipped ? ` Skipped: ${skipped}.` : ''}`);
      await addGeneratorEntries(ctx, result.entries, false);
      const names = result.entries.map((e) => `"${e.name}"`).join(', ');
      ctx.log.info(`Imported generators ${names}${skipped ? `; skipped ${skipped}` : ''}.`);
      if (args.text === undefined) {
        const note = skipped ? ` Skipped ${result.skipped.length}: ${skipped}.` : '';
        void vscode.window.showInformationMessage(`Imported ${names}.${note}`);
      }
      return result.entries.map((e) => e.name);
    },

    async exportHaystackComponent(args: { name?: string; format?: ExportFormat } = {}): Promise<string | undefined> {
      const name = args.name ?? (await pickGeneratorToExport(ctx));
      if (!name) return undefined;
      const format = args.format ?? (await askExportFormat());
      if (!format) return undefined;
      // toDict of the built generator: secrets come out as env-var references, defaults filled in as Haystack does.
      const text = await exportHaystackText(ctx.registry.get(name).toDict(), format);
      const document = await vscode.workspace.openTextDocument({ language: format, content: text });
      if (args.name === undefined) await vscode.window.showTextDocument(document);
      return text;
    },

    /** Opens (and returns) a Python file that rebuilds a generator and replays a conversation with it. */
    async exportAsHaystackCode(args: ExportAsHaystackCodeOptions = {}): Promise<string | undefined> {
      const scripted = args.name !== undefined || args.conversationId !== undefined || args.fromConversation === true;
      const source = scripted ? args : await pickExportSource(ctx);
      if (!source) return undefined;
      let text: string;
      if (source.name !== undefined) {
        text = haystackPythonScript(generatorScriptInput(source.name, ctx.registry.get(source.name)));
      } else {
        const conversation = await requireConversation(ctx.chat, source.conversationId);
        const name = conversation.generator;
        if (!name) throw new Error('The conversation has no generator yet: pick one in the chat panel, then export.');
        text = haystackPythonScript(conversationScriptInput(conversation, name, ctx.registry.get(name)));
      }
      const document = await vscode.workspace.openTextDocument({ language: 'python', content: text });
      if (!scripted) await vscode.window.showTextDocument(document);
      return text;
    },
  };
}
