// Generated malformed inputs for the fuzz suite, from a seeded PRNG so that a failure names its seed and reproduces:
// wrong types, missing and extra fields, huge strings, prototype-pollution keys, deep nesting, and mutations of
// valid documents at random paths.

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Keys the validators look at, plus the pollution keys; a random object is built from these. */
const KEYS = [
  ...POLLUTION_KEYS,
  'type',
  'init_parameters',
  'role',
  'content',
  'meta',
  'name',
  'text',
  'tool_call',
  'tool_call_result',
  'image',
  'reasoning',
  'model',
  'api_key',
  'env_vars',
  'strict',
  'generation_kwargs',
  'tools',
  'chat_generators',
  'api_params',
  'requestId',
  'conversationId',
  'settings',
  'attachments',
  'images',
];

/** An object with `key` as an own data property, even for `__proto__` (a literal would set the prototype instead). */
export function withOwn(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

export class InputGenerator {
  readonly random: () => number;

  constructor(readonly seed: number) {
    this.random = prng(seed);
  }

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  /** A leaf of a wrong or awkward type. */
  scalar(): unknown {
    switch (this.int(14)) {
      case 0:
        return null;
      case 1:
        return undefined;
      case 2:
        return this.pick([0, -1, 1.5, Number.NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER + 2]);
      case 3:
        return this.pick([true, false]);
      case 4:
        return '';
      case 5:
        return 'x'.repeat(this.pick([1, 300, 70_000, 1_000_001]));
      case 6:
        return this.pick(POLLUTION_KEYS);
      case 7:
        return '\u0000\u202e\ud800🙂<script>';
      case 8:
        return this.pick(['user', 'assistant', 'system', 'tool', 'env_var', 'token', 'ready', 'send']);
      case 9:
        return 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
      case 10:
        return [];
      case 11:
        return {};
      case 12:
        return Object.create(null);
      default:
        return 10n;
    }
  }

  /** A random value up to `depth` levels deep. */
  value(depth = 3): unknown {
    if (depth <= 0 || this.random() < 0.45) return this.scalar();
    if (this.random() < 0.4) return Array.from({ length: this.int(4) }, () => this.value(depth - 1));
    const object: Record<string, unknown> = {};
    for (let i = this.int(5); i > 0; i--) withOwn(object, this.pick(KEYS), this.value(depth - 1));
    return object;
  }

  /** A value nested `levels` deep in lists or objects (stack depth attacks). */
  deep(levels: number): unknown {
    let value: unknown = 'bottom';
    for (let i = 0; i < levels; i++) value = this.random() < 0.5 ? [value] : { content: value, type: value };
    return value;
  }

  /** `valid`, changed at one random path: a field removed, retyped, or joined by a pollution key. */
  mutate(valid: unknown): unknown {
    const copy = structuredClone(valid) as unknown;
    const containers: Record<string, unknown>[] = [];
    const collect = (node: unknown) => {
      if (typeof node !== 'object' || node === null) return;
      containers.push(node as Record<string, unknown>);
      for (const child of Object.values(node)) collect(child);
    };
    collect(copy);
    if (containers.length === 0) return this.value();
    const target = this.pick(containers);
    const keys = Object.keys(target);
    const key = keys.length > 0 && this.random() < 0.8 ? this.pick(keys) : this.pick(KEYS);
    switch (this.int(5)) {
      case 0:
        delete target[key];
        break;
      case 1:
        withOwn(target, this.pick(POLLUTION_KEYS), this.random() < 0.5 ? { polluted: true } : this.value(2));
        break;
      case 2:
        withOwn(target, key, this.deep(2_000 + this.int(3_000)));
        break;
      default:
        withOwn(target, key, this.value(2));
    }
    return copy;
  }
}

/** Own property names of the built-in prototypes, to prove no input changed them. */
export function prototypeSnapshot(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((proto) => Reflect.ownKeys(proto).map(String).sort().join(','))
    .join('|');
}
