// Shows a failed request to the user with the next step to take. Messages come from GeneratorError, which
// is written never to contain a key; other errors are shown by message only.
import * as vscode from 'vscode';
import { GeneratorError } from '../../core/errors';
import { hostErrorMessage } from './hostErrorMessage';

const SET_KEY = 'Set API Key';
const OPEN_SETTINGS = 'Open Settings';
const SHOW_LOG = 'Show Log';

/** True for a user's own cancellation, which is not an error worth a notification. */
export function isCancellation(error: unknown): boolean {
  return GeneratorError.isInstance(error) && error.code === 'cancelled';
}

export async function showRequestError(error: unknown, log: vscode.LogOutputChannel): Promise<void> {
  if (isCancellation(error)) return;
  const message = hostErrorMessage(error);
  const actions: string[] = [];
  if (GeneratorError.isInstance(error)) {
    if (error.code === 'missing_secret' || error.code === 'authentication') actions.push(SET_KEY);
    if (error.code === 'configuration' || error.code === 'deserialization') actions.push(OPEN_SETTINGS);
  }
  actions.push(SHOW_LOG);
  const choice = await vscode.window.showErrorMessage(message, ...actions);
  if (choice === SET_KEY) await vscode.commands.executeCommand('generators.setApiKey');
  else if (choice === OPEN_SETTINGS)
    await vscode.commands.executeCommand('workbench.action.openSettingsJson', {
      revealSetting: { key: 'generators.generators' },
    });
  else if (choice === SHOW_LOG) log.show(true);
}
