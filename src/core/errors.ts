/** What kind of failure a {@link GeneratorError} is; UIs use it to suggest the next step. */
export type GeneratorErrorCode =
  | 'configuration'
  | 'missing_secret'
  | 'authentication'
  | 'rate_limit'
  | 'bad_request'
  | 'server'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'content_filter'
  | 'worker_crashed'
  | 'deserialization'
  | 'unknown';

const marker = Symbol.for('vscode-generators.GeneratorError');

export interface GeneratorErrorOptions {
  code: GeneratorErrorCode;
  /** HTTP status of the provider's reply, when there was one. */
  status?: number;
  /** Whether sending the same request again may succeed (429, 5xx, network). */
  isRetryable?: boolean;
  /** Seconds the provider asked us to wait (Retry-After), when it said. */
  retryAfter?: number;
  /**
   * The environment variables (secret names) that hold the credential this error is about, preferred first: set on
   * `missing_secret` and `authentication` errors so that a UI can offer to store the key under the right name.
   */
  envVars?: readonly string[];
  cause?: unknown;
}

/**
 * Every error the generator core throws on purpose. The message names what was wrong and how to fix it in terms that
 * make sense from a plain script (environment variables, init parameters); hints naming editor commands are added by
 * the host from the structured fields. `isInstance` works across bundles (dist/core.js and dist/extension.js each
 * carry their own copy of this class).
 */
export class GeneratorError extends Error {
  readonly [marker] = true;
  readonly code: GeneratorErrorCode;
  readonly status?: number;
  readonly isRetryable: boolean;
  readonly retryAfter?: number;
  readonly envVars?: readonly string[];

  constructor(message: string, options: GeneratorErrorOptions) {
    super(message, { cause: options.cause });
    this.name = 'GeneratorError';
    this.code = options.code;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
    if (options.envVars && options.envVars.length > 0) this.envVars = [...options.envVars];
    this.isRetryable = options.isRetryable ?? false;
  }

  static isInstance(value: unknown): value is GeneratorError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

/** An init parameter or dict field is wrong; `field` is its snake_case path, e.g. `init_parameters.api_key`. */
export class ConfigurationError extends GeneratorError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, { code: 'configuration' });
    this.name = 'ConfigurationError';
    this.field = field;
  }
}

/** A serialized dict (component, message, tool) does not have the expected shape; `field` names the bad path. */
export class DeserializationError extends GeneratorError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, { code: 'deserialization' });
    this.name = 'DeserializationError';
    this.field = field;
  }
}

/**
 * A credential is not set. Every generator reports it this way before sending anything: `what` says whose key
 * ("No OpenAI API key"), `envVars` where it is read from, `alternative` another way to give one.
 */
export function missingSecretError(what: string, envVars: readonly string[], alternative?: string): GeneratorError {
  const names = envVars.length > 0 ? `set ${envVars.join(' or ')} in the environment` : 'give a key';
  return new GeneratorError(`${what}: ${names}${alternative ? ` or ${alternative}` : ''}.`, {
    code: 'missing_secret',
    envVars,
  });
}

/** Thrown when a request is cancelled through its AbortSignal. */
export function cancelledError(cause?: unknown): GeneratorError {
  return new GeneratorError('The request was cancelled.', { code: 'cancelled', cause });
}

/** Throws the cancellation error if `signal` is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError(signal.reason);
}
