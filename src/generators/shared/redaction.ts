// One redaction for every provider path. Providers echo rejected keys back, whole ("Incorrect API key provided:
// sk-...") or cut ("sk-abc***xyz", "hf_Ab...yz"); none of it may reach a message, a log line or a cause.
import { inspect } from 'node:util';

const REDACTED = '[redacted]';
/** Shorter secrets are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 4;
/** A fragment of a known secret this long, next to a mask, is taken for a partial echo of it. */
const MIN_FRAGMENT_LENGTH = 3;
// Anything shaped like an API key, known or not: a vendor prefix, a separator and key characters (masks included).
const KEY_LIKE = /\b(?:sk|hf|pk|rk|key)[-_][A-Za-z0-9*_.…-]{4,}/gi;
// A word that may be a cut echo: key characters joined by mask characters (`*`, `.`, `…`).
const MASKED_WORD = /[A-Za-z0-9_-]*(?:[*…]+|\.{3,})[A-Za-z0-9_*….-]*/g;

function knownSecrets(secrets: readonly (string | undefined)[]): string[] {
  return secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH);
}

/** Whether a masked word is made of pieces of `secret`: its first piece starts it or its last piece ends it. */
function echoesSecret(word: string, secret: string): boolean {
  const pieces = word.split(/[*…]+|\.{3,}/).filter((piece) => piece.length > 0);
  if (pieces.length === 0) return false;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  return (
    (first.length >= MIN_FRAGMENT_LENGTH && secret.startsWith(first)) ||
    (last.length >= MIN_FRAGMENT_LENGTH && secret.endsWith(last))
  );
}

/**
 * Removes every known secret value, any masked echo of one (its start or end around `*`, `...` or `…`) and anything
 * shaped like an API key from `text`.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const known = knownSecrets(secrets);
  let out = text;
  for (const secret of known) out = out.split(secret).join(REDACTED);
  if (known.length > 0)
    out = out.replace(MASKED_WORD, (word) => (known.some((secret) => echoesSecret(word, secret)) ? REDACTED : word));
  return out.replace(KEY_LIKE, REDACTED);
}

/**
 * `error` when nothing in it (message, body, nested causes) contains one of `secrets`, whole or echoed in part;
 * otherwise undefined. A GeneratorError's message is redacted, but its `cause` would carry the raw provider error
 * to every log line or `util.inspect` that prints causes.
 */
export function causeWithoutSecrets(error: unknown, secrets: readonly (string | undefined)[]): unknown {
  const known = knownSecrets(secrets);
  if (known.length === 0) return error;
  const text = inspect(error, { depth: 8, breakLength: Infinity, maxStringLength: Infinity });
  const whole = known.some((secret) => text.includes(secret));
  const echoed = (text.match(MASKED_WORD) ?? []).some((word) => known.some((secret) => echoesSecret(word, secret)));
  return whole || echoed ? undefined : error;
}
