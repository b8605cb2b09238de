// The extension's settings under `generators.*`: read for the registry, written by the generator commands.
import * as vscode from 'vscode';
import type { GeneratorEntry } from '../registry/generatorSettings';
import type { RegistrySettings } from '../registry/generatorRegistry';

export const SECTION = 'generators';
const ENTRIES = 'generators';

export function readRegistrySettings(): RegistrySettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    generators: config.get<unknown>(ENTRIES),
    defaults: {
      chat: config.get<string>('defaultChatGenerator') || undefined,
      text: config.get<string>('defaultTextGenerator') || undefined,
      image: config.get<string>('defaultImageGenerator') || undefined,
    },
  };
}

/** Whether the user asked to log prompt text (off by default). */
export function logPromptsEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('logPrompts') === true;
}

/** The raw entries as the user wrote them (invalid ones included, so saving never drops them). */
export function readRawEntries(): unknown[] {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>(ENTRIES);
  return Array.isArray(value) ? [...value] : [];
}

/** Writes the list where the user keeps it: the workspace if it is set there, user settings otherwise. */
export async function writeEntries(entries: unknown[]): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  await config.update(ENTRIES, entries, settingsTarget(ENTRIES));
}

export async function addEntries(entries: GeneratorEntry[]): Promise<void> {
  await writeEntries([...readRawEntries(), ...entries]);
}

export async function setDefault(kind: 'chat' | 'text' | 'image', name: string | undefined): Promise<void> {
  const key = `default${kind[0].toUpperCase()}${kind.slice(1)}Generator`;
  await vscode.workspace.getConfiguration(SECTION).update(key, name ?? '', settingsTarget(key));
}

function settingsTarget(key: string): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect(key);
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}
