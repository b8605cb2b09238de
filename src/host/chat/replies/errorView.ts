import { GeneratorError, type GeneratorErrorCode } from '../../../core/errors';
import type { ErrorView } from '../../../shared/protocol';
import { hostErrorMessage } from '../../platform/hostErrorMessage';

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
