import { describe, quote } from './chatMessage';
import { ConfigurationError, DeserializationError, GeneratorError } from './errors';

/** Haystack's serialized form of an env-var secret. Token secrets have none: they refuse to serialize. */
export interface SecretDict {
  type: 'env_var';
  env_vars: string[];
  strict: boolean;
}

/**
 * Looks a secret name up. The extension installs one that asks VS Code SecretStorage before `process.env`;
 * the default reads only the environment. Must be synchronous because generators resolve keys at call time
 * inside code paths that Haystack keeps synchronous; the extension keeps a cache of SecretStorage values.
 */
export type SecretResolver = (name: string) => string | undefined;

const environmentResolver: SecretResolver = (name) => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

let activeResolver: SecretResolver = environmentResolver;

/** Installs the resolver used by every env-var secret; returns a function that restores the previous one. */
export function setSecretResolver(resolver: SecretResolver): () => void {
  const previous = activeResolver;
  activeResolver = resolver;
  return () => {
    activeResolver = previous;
  };
}

/** A credential: either a token held in memory or the names of environment variables to read at call time. */
export abstract class Secret {
  static fromToken(token: string): Secret {
    if (typeof token !== 'string' || token.length === 0) {
      throw new ConfigurationError('token', 'a token secret needs a non-empty string.');
    }
    return new TokenSecret(token);
  }

  static fromEnvVar(names: string | string[], options: { strict?: boolean } = {}): Secret {
    const list = Array.isArray(names) ? names : [names];
    if (list.length === 0 || list.some((name) => typeof name !== 'string' || name.length === 0)) {
      throw new ConfigurationError('env_vars', 'an env-var secret needs at least one non-empty variable name.');
    }
    return new EnvVarSecret([...list], options.strict ?? true);
  }

  static fromDict(dict: unknown, field = 'secret'): Secret {
    if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) {
      throw new DeserializationError(field, 'expected {"type": "env_var", "env_vars": [...], "strict": ...}.');
    }
    const record = dict as Record<string, unknown>;
    if (record.type === 'token') {
      throw new DeserializationError(`${field}.type`, 'token secrets cannot be deserialized; use an env_var secret.');
    }
    if (record.type !== 'env_var') {
      const got = typeof record.type === 'string' ? quote(record.type) : describe(record.type);
      throw new DeserializationError(`${field}.type`, `unknown secret type ${got}; expected "env_var".`);
    }
    const names = record.env_vars;
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string' || n === '')) {
      throw new DeserializationError(`${field}.env_vars`, 'expected a non-empty list of variable names.');
    }
    if (record.strict !== undefined && typeof record.strict !== 'boolean') {
      throw new DeserializationError(`${field}.strict`, 'expected true or false.');
    }
    return new EnvVarSecret([...(names as string[])], (record.strict as boolean | undefined) ?? true);
  }

  /** The value, or undefined for a non-strict env-var secret whose variables are all unset. */
  abstract resolveValue(): string | undefined;
  abstract toDict(): SecretDict;
  /** The names a user would set to provide this secret (empty for a token secret). */
  abstract get envVars(): readonly string[];
}

class TokenSecret extends Secret {
  readonly #token: string;
  constructor(token: string) {
    super();
    this.#token = token;
  }
  resolveValue(): string {
    return this.#token;
  }
  toDict(): SecretDict {
    throw new GeneratorError(
      'Cannot serialize token-based secret. Use an alternative secret type like environment variables: Secret.fromEnvVar("OPENAI_API_KEY").',
      { code: 'configuration' },
    );
  }
  get envVars(): readonly string[] {
    return [];
  }
  // Keeps the token out of console.log, JSON.stringify and util.inspect output.
  toJSON(): string {
    return '<token secret>';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret<token>';
  }
}

class EnvVarSecret extends Secret {
  constructor(
    readonly names: string[],
    readonly strict: boolean,
  ) {
    super();
  }
  resolveValue(): string | undefined {
    for (const name of this.names) {
      const value = activeResolver(name);
      if (value !== undefined) return value;
    }
    if (this.strict) {
      throw new GeneratorError(
        `None of the following authentication environment variables are set: ${this.names.join(', ')}. ` +
          `Set ${this.names[0]} in the environment.`,
        { code: 'missing_secret', envVars: this.names },
      );
    }
    return undefined;
  }
  toDict(): SecretDict {
    return { type: 'env_var', env_vars: [...this.names], strict: this.strict };
  }
  get envVars(): readonly string[] {
    return this.names;
  }
}

/** Serializes an optional secret the way Haystack's `serialize_secrets_inplace` does (None stays null). */
export function secretToDict(secret: Secret | undefined | null): SecretDict | null {
  return secret ? secret.toDict() : null;
}

/** Reads an optional serialized secret; a missing or null value gives `fallback`. */
export function secretFromDict(value: unknown, field: string, fallback?: Secret): Secret | undefined {
  if (value === undefined) return fallback;
  if (value === null) return undefined;
  if (value instanceof Secret) return value;
  return Secret.fromDict(value, field);
}
