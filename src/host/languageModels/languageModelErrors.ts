// Failures as the language model API reports them: LanguageModelError with the chat panel's message and next step.
import * as vscode from 'vscode';
import { GeneratorError } from '../../core/errors';
import { toErrorView } from '../chat/replies/errorView';

/** A cancelled request is VS Code's CancellationError; everything else a LanguageModelError saying what to do. */
export function toLanguageModelError(error: unknown): Error {
  if (GeneratorError.isInstance(error) && error.code === 'cancelled') return new vscode.CancellationError();
  const view = toErrorView(error);
  // A message that already names the command to run (a missing key's) is not told it twice.
  const command = /'Generators: [^']+'/.exec(view.nextStep)?.[0];
  const message = command && view.message.includes(command) ? view.message : `${view.message} ${view.nextStep}`;
  switch (view.code) {
    case 'missing_secret':
    case 'authentication':
      return vscode.LanguageModelError.NoPermissions(message);
    case 'content_filter':
      return vscode.LanguageModelError.Blocked(message);
    default:
      return new vscode.LanguageModelError(message);
  }
}

/** The refusal when the key-approval check says no. */
export function keyNotApprovedError(generatorName: string): Error {
  return vscode.LanguageModelError.NoPermissions(
    `"${generatorName}" was not sent: its API key is not approved for the endpoint this generator names. Approve the endpoint, or pick another generator.`,
  );
}
