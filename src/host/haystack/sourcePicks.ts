// The questions the Haystack commands ask when run from the palette: what to import, what to export and how.
import * as vscode from 'vscode';
import type { CommandContext } from '../platform/commandContext';
import type { ExportAsHaystackCodeOptions } from './commands';
import type { ExportFormat } from './haystackComponents';

/** The YAML or JSON text to import: from a file, the clipboard or the active editor; undefined when dismissed. */
export async function askForHaystackText(): Promise<string | undefined> {
  const items = [
    { label: 'Open a YAML or JSON file…', source: 'file' as const },
    { label: 'Paste from the clipboard', source: 'clipboard' as const },
    { label: 'Use the active editor', source: 'editor' as const },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Import a Haystack component or pipeline' });
  if (!picked) return undefined;
  if (picked.source === 'clipboard') return vscode.env.clipboard.readText();
  if (picked.source === 'editor') {
    const editor = vscode.window.activeTextEditor;
    if (!editor) throw new Error('No active editor: open the YAML or JSON file first.');
    return editor.document.getText(editor.selection.isEmpty ? undefined : editor.selection);
  }
  const [uri] =
    (await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { 'Haystack YAML or JSON': ['yaml', 'yml', 'json'] },
    })) ?? [];
  if (!uri) return undefined;
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** A configured generator that builds, for 'Export Generator as Haystack Component'. */
export async function pickGeneratorToExport(ctx: CommandContext): Promise<string | undefined> {
  const items = ctx.registry
    .list()
    .filter((g) => !g.error)
    .map((g) => ({ label: g.name, description: g.model }));
  return (await vscode.window.showQuickPick(items, { title: 'Export a generator' }))?.label;
}

export async function askExportFormat(): Promise<ExportFormat | undefined> {
  const items = [
    { label: 'YAML', format: 'yaml' as const },
    { label: 'JSON', format: 'json' as const },
  ];
  return (await vscode.window.showQuickPick(items, { title: 'Export format' }))?.format;
}

/** What 'Export as Haystack Code' exports: the conversation the chat panel shows, or a configured generator. */
export async function pickExportSource(ctx: CommandContext): Promise<ExportAsHaystackCodeOptions | undefined> {
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
