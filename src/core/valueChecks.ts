// Small checks on values read from outside (dicts, settings, webview messages), shared by every reader.
import { DeserializationError } from './errors';

/** Narrows a plain object; rejects arrays and null. */
export function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DeserializationError(field, `expected an object, got ${describe(value)}.`);
  }
  return value as Record<string, unknown>;
}

/** A string quoted for an error message, cut to its first 80 characters so a huge input cannot flood the message. */
export function quote(text: string): string {
  return text.length > 80 ? `${JSON.stringify(text.slice(0, 80))}...` : JSON.stringify(text);
}

/** A short description of a value's type for error messages (never the value itself: it may be a secret). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}
