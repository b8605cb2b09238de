// Where a response schema comes from: typed or pasted JSON, or a .json file in the workspace.
import * as vscode from 'vscode';
import type { ResponseSchemaView } from '../../shared/protocol';
import type { SetResponseSchemaOptions } from './commands';
import { parseResponseSchema } from './conversationSchema';

/** Asks for a schema file or typed JSON; undefined when the user dismissed a question. */
export async function askForSchema(): Promise<SetResponseSchemaOptions | undefined> {
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

/** Reads and checks the schema; its name comes from the wrapper, its title or the file name. */
export async function readSchema(source: SetResponseSchemaOptions): Promise<ResponseSchemaView> {
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
