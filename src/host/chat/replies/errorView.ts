import { GeneratorError, type GeneratorErrorCode } from '../../../core/errors';
import type { ErrorView } from '../../../shared/protocol';

const NEXT_STEPS: Record<GeneratorErrorCode, string> = {
  configuration: "Fix this generator's entry in the 'generators.generators' setting, then Retry.",
  deserialization: "Fix this generator's entry in the 'generators.generators' setting, then Retry.",
  missing_secret: "Set the key with 'Generators: Set API Key', then Retry.",
  authentication: "The provider rejected the key. Update it with 'Generators: Set API Key', then Retry.",
  rate_limit: 'The provider is rate limiting you. Wait a moment, then Retry.',
  bad_request: 'The provider rejected the request. Check the model name and the conversation settings, then Retry.',
  server: 'The provider had a server error. Retry, or pick another generator.',
  network: 'Could not reach the provider. Check the endpoint URL and your connection, then Retry.',
  timeout: "The provider did not answer in time. Retry, or raise the generator's timeout.",
  cancelled: 'Stopped. Retry to generate the reply again.',
  content_filter: "The provider's content filter blocked the reply. Rephrase the message and send it again.",
  worker_crashed: 'The local model process stopped. Retry starts a new one.',
  unknown: 'Retry, or check the Generators output channel for details.',
};

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

/** What the panel shows for a failed request: the error's message (generators keep secrets out of it) and what to do. */
export function toErrorView(error: unknown): ErrorView {
  if (GeneratorError.isInstance(error)) {
    let nextStep = NEXT_STEPS[error.code] ?? NEXT_STEPS.unknown;
    if (error.code === 'rate_limit' && error.retryAfter !== undefined)
      nextStep = `The provider asked to wait ${error.retryAfter} s. Retry after that.`;
    const retryable = error.code !== 'content_filter';
    return { message: hostErrorMessage(error), code: error.code, nextStep, retryable };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    message: message || 'The generator failed.',
    code: 'unknown',
    nextStep: NEXT_STEPS.unknown,
    retryable: true,
  };
}
