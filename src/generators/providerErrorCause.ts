// Provider errors keep the provider's raw reply, which may quote the key back ("Incorrect API key provided: sk-...").
// A GeneratorError's message is redacted; its `cause` would still carry the raw error to every log line or
// `util.inspect` that prints causes, so an error quoting a secret is not kept as a cause.
import { inspect } from 'node:util';

/** `error` when nothing in it (message, body, nested causes) contains one of `secrets`, otherwise undefined. */
export function causeWithoutSecrets(error: unknown, secrets: readonly (string | undefined)[]): unknown {
  const known = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4);
  if (known.length === 0) return error;
  const text = inspect(error, { depth: 8, breakLength: Infinity, maxStringLength: Infinity });
  return known.some((secret) => text.includes(secret)) ? undefined : error;
}
