import { asRecord, describe, quote } from './chatMessage';
import { DeserializationError } from './errors';
import type { StreamingCallback, StreamingChunk } from './streamingChunk';

/** Haystack's serialized component: `{"type": "<module>.<Class>", "init_parameters": {...}}`. */
export interface ComponentDict {
  type: string;
  init_parameters: Record<string, unknown>;
}

/** Validates a component dict's shape and type string; returns its init parameters. */
export function readInitParameters(value: unknown, expectedType: string): Record<string, unknown> {
  const dict = asRecord(value, 'component');
  if (dict.type !== expectedType) {
    throw new DeserializationError(
      'type',
      `expected "${expectedType}", got ${typeof dict.type === 'string' ? quote(dict.type) : describe(dict.type)}.`,
    );
  }
  if (dict.init_parameters === undefined || dict.init_parameters === null) return {};
  return asRecord(dict.init_parameters, 'init_parameters');
}

/** Readers for one init parameter; each throws a DeserializationError naming `init_parameters.<key>`. */
export class InitParameterReader {
  constructor(private readonly params: Record<string, unknown>) {}

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.params, key) && this.params[key] !== undefined;
  }
  raw(key: string): unknown {
    return this.has(key) ? this.params[key] : undefined;
  }
  string(key: string): string | undefined {
    return this.typed(key, 'a string', (v) => typeof v === 'string') as string | undefined;
  }
  number(key: string): number | undefined {
    return this.typed(key, 'a number', (v) => typeof v === 'number' && Number.isFinite(v)) as number | undefined;
  }
  boolean(key: string): boolean | undefined {
    return this.typed(key, 'true or false', (v) => typeof v === 'boolean') as boolean | undefined;
  }
  record(key: string): Record<string, unknown> | undefined {
    const value = this.typed(key, 'an object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v)) as
      Record<string, unknown> | undefined;
    return value === undefined ? undefined : { ...value };
  }
  stringList(key: string): string[] | undefined {
    return this.typed(key, 'a list of strings', (v) => Array.isArray(v) && v.every((s) => typeof s === 'string')) as
      string[] | undefined;
  }
  private typed(key: string, expected: string, ok: (v: unknown) => boolean): unknown {
    const value = this.params[key];
    if (value === undefined || value === null) return undefined;
    if (!ok(value))
      throw new DeserializationError(`init_parameters.${key}`, `expected ${expected}, got ${describe(value)}.`);
    return value;
  }
}

/** Haystack's `print_streaming_chunk`: writes each chunk's text to stdout. */
export const printStreamingChunk: StreamingCallback = (chunk: StreamingChunk) => {
  if (chunk.content) process.stdout.write(chunk.content);
};

// Callables with a well-known Haystack name map to a JS equivalent, so they round-trip and still run.
const knownCallbacks = new Map<string, StreamingCallback>([
  ['haystack.components.generators.utils.print_streaming_chunk', printStreamingChunk],
]);

/** A streaming callback as a component holds it: a JS function, or the Python qualified name from a dict. */
export type CallbackReference = StreamingCallback | string;

/** Haystack's `serialize_callable`: a qualified name, or null for a function that has no Python name. */
export function serializeCallback(callback: CallbackReference | undefined): string | null {
  if (callback === undefined) return null;
  if (typeof callback === 'string') return callback;
  for (const [name, fn] of knownCallbacks) if (fn === callback) return name;
  return null;
}

/** Reads `streaming_callback` from init parameters: a known name becomes its JS function, others stay a name. */
export function deserializeCallback(
  value: unknown,
  field = 'init_parameters.streaming_callback',
): CallbackReference | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new DeserializationError(field, `expected a qualified function name, got ${describe(value)}.`);
  return knownCallbacks.get(value) ?? value;
}

/** The callable to use for a run: the run-time one wins, and a name with no JS function streams nowhere. */
export function selectStreamingCallback(
  initCallback: CallbackReference | undefined,
  runtimeCallback: StreamingCallback | undefined,
): StreamingCallback | undefined {
  if (runtimeCallback) return runtimeCallback;
  return typeof initCallback === 'function' ? initCallback : undefined;
}
