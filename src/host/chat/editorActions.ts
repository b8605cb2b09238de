// What the chat panel asks of the editor: clipboard, inserting code, opening links, attachments, saving exports.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { LIMITS, type TextAttachment } from '../../shared/protocol';

export async function copyToClipboard(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
}

/** Inserts at every cursor of the last active editor, or replaces every selection. */
export async function insertIntoEditor(code: string, mode: 'insert' | 'replace'): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) return 'Open a file in an editor first, then insert the code.';
  const ok = await editor.edit((edit) => {
    for (const selection of editor.selections) {
      if (mode === 'replace') edit.replace(selection, code);
      else edit.insert(selection.active, code);
    }
  });
  return ok ? undefined : 'The editor did not accept the edit (is the file read-only?).';
}

const OPENABLE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** Links in replies open outside the webview, and only for web and mail addresses (never `command:` or `file:`). */
export async function openLink(href: string): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return `Not a link that can be opened: ${href.slice(0, 100)}`;
  }
  if (!OPENABLE_SCHEMES.has(url.protocol)) return `Links with "${url.protocol}" are not opened from the chat.`;
  await vscode.env.openExternal(vscode.Uri.parse(url.href, true));
  return undefined;
}

/** The selection (or, for `file`, the whole document) of the active editor as an attachment. */
export async function captureAttachment(kind: 'selection' | 'file'): Promise<TextAttachment | string> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (kind === 'selection') {
    if (!editor || editor.selection.isEmpty) return 'Select some text in an editor first.';
    const { start, end } = editor.selection;
    const text = editor.document.getText(editor.selection);
    return limited({
      kind,
      label: `${basename(editor.document.fileName)}:${start.line + 1}-${end.line + 1}`,
      languageId: editor.document.languageId,
      text,
    });
  }
  if (editor)
    return limited({
      kind,
      label: basename(editor.document.fileName),
      languageId: editor.document.languageId,
      text: editor.document.getText(),
    });
  const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Attach' })) ?? [];
  if (!uri) return 'No file was attached.';
  const document = await vscode.workspace.openTextDocument(uri);
  return limited({ kind, label: basename(uri.fsPath), languageId: document.languageId, text: document.getText() });
}

function limited(attachment: TextAttachment): TextAttachment | string {
  return attachment.text.length > LIMITS.attachmentText
    ? `${attachment.label} is too large to attach (over ${LIMITS.attachmentText} characters); select a part of it.`
    : attachment;
}

/** Asks where to save an export and writes it; undefined when the user cancelled. */
export async function saveExport(
  title: string,
  format: 'markdown' | 'haystack',
  content: string,
): Promise<vscode.Uri | undefined> {
  const extension = format === 'markdown' ? 'md' : 'json';
  const safeTitle =
    title
      .replace(/[^\w\- ]+/g, '')
      .trim()
      .slice(0, 60) || 'conversation';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const defaultUri = folder ? vscode.Uri.joinPath(folder, `${safeTitle}.${extension}`) : undefined;
  const filters: Record<string, string[]> =
    format === 'markdown' ? { Markdown: ['md'] } : { 'Haystack ChatMessage JSON': ['json'] };
  const uri = await vscode.window.showSaveDialog({ defaultUri, filters, saveLabel: 'Export' });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  return uri;
}
