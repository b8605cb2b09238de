// Errors as the editor's user reads them. The core's messages name env vars and init parameters (what a script's
// user needs); at the host edge a missing or rejected key also names the command that stores one.
import { GeneratorError } from '../../core/errors';

/**
 * The message a user of the editor reads: the core's (which names env vars and init parameters, as a script's
 * user needs), plus the editor command that fixes a missing or rejected key.
 */
export function hostErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!GeneratorError.isInstance(error) || !error.envVars?.length) return message;
  const name = error.envVars[0];
  if (error.code === 'missing_secret') return `${message} Run 'Generators: Set API Key' to store ${name}.`;
  if (error.code === 'authentication') return `${message} Run 'Generators: Set API Key' to store a valid ${name}.`;
  return message;
}

/** Gives a GeneratorError the host's message (see {@link hostErrorMessage}) before it leaves the host. */
export function withHostHint<T>(error: T): T {
  if (GeneratorError.isInstance(error)) {
    const message = hostErrorMessage(error);
    if (message !== error.message) Object.defineProperty(error, 'message', { value: message, configurable: true });
  }
  return error;
}
