// Rebuilds each message from the webview field by field, or says what was wrong. One parser per message type in a
// map keyed by the type, so a type added to the protocol without a parser fails the build.
import {
  COMPARE_GENERATORS,
  IMAGE_MIME_TYPES,
  LIMITS,
  type ConversationSettings,
  type ImageAttachment,
  type TextAttachment,
  type WebviewMessage,
  type WebviewMessageOf,
} from './protocol';

export type ParseResult = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

/** Thrown inside the validator only; turned into `{ok: false}`. */
class Invalid extends Error {}

/** Ids are made by the host or the webview's `crypto.randomUUID`; they name files on disk, so the shape is strict. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Rebuilds a message from the webview into a fresh object with only the known fields, or says what was wrong.
 * Unknown keys anywhere are rejected, so nothing like `__proto__` or `constructor` reaches host code.
 */
export function parseWebviewMessage(value: unknown): ParseResult {
  try {
    return { ok: true, message: parseMessage(value) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: error.message };
    throw error;
  }
}

type Fields = Record<string, unknown>;

const PARSERS: { [K in WebviewMessage['type']]: (m: Fields) => WebviewMessageOf<K> } = {
  ready: (m) => (only(m, ['type'], 'ready'), { type: 'ready' }),
  newChat: (m) => (only(m, ['type'], 'newChat'), { type: 'newChat' }),
  send(m) {
    only(m, ['type', 'requestId', 'conversationId', 'generator', 'text', 'attachments', 'images'], 'send');
    return {
      type: 'send',
      requestId: id(m.requestId, 'requestId'),
      conversationId: id(m.conversationId, 'conversationId'),
      generator: string(m.generator, 'generator', LIMITS.name, 1),
      text: string(m.text, 'text', LIMITS.text),
      attachments: list(m.attachments, 'attachments', LIMITS.attachments, textAttachment),
      images: list(m.images, 'images', LIMITS.images, imageAttachment),
    };
  },
  compare(m) {
    only(m, ['type', 'requestId', 'conversationId', 'generators', 'text', 'attachments', 'images'], 'compare');
    const generators = list(m.generators, 'generators', COMPARE_GENERATORS.max, (value, field) =>
      string(value, field, LIMITS.name, 1),
    );
    if (generators.length < COMPARE_GENERATORS.min)
      throw new Invalid(`generators: compare needs at least ${COMPARE_GENERATORS.min}`);
    return {
      type: 'compare',
      requestId: id(m.requestId, 'requestId'),
      conversationId: id(m.conversationId, 'conversationId'),
      generators,
      text: string(m.text, 'text', LIMITS.text),
      attachments: list(m.attachments, 'attachments', LIMITS.attachments, textAttachment),
      images: list(m.images, 'images', LIMITS.images, imageAttachment),
    };
  },
  pickCompared(m) {
    only(m, ['type', 'conversationId', 'requestId', 'laneId'], 'pickCompared');
    return {
      type: 'pickCompared',
      conversationId: id(m.conversationId, 'conversationId'),
      requestId: id(m.requestId, 'requestId'),
      laneId: id(m.laneId, 'laneId'),
    };
  },
  stop(m) {
    only(m, ['type', 'requestId'], 'stop');
    return { type: 'stop', requestId: id(m.requestId, 'requestId') };
  },
  retry(m) {
    only(m, ['type', 'requestId', 'conversationId'], 'retry');
    return {
      type: 'retry',
      requestId: id(m.requestId, 'requestId'),
      conversationId: id(m.conversationId, 'conversationId'),
    };
  },
  editLast(m) {
    only(m, ['type', 'requestId', 'conversationId', 'text'], 'editLast');
    return {
      type: 'editLast',
      requestId: id(m.requestId, 'requestId'),
      conversationId: id(m.conversationId, 'conversationId'),
      text: string(m.text, 'text', LIMITS.text),
    };
  },
  openConversation(m) {
    only(m, ['type', 'conversationId'], 'openConversation');
    return { type: 'openConversation', conversationId: id(m.conversationId, 'conversationId') };
  },
  deleteConversation(m) {
    only(m, ['type', 'conversationId'], 'deleteConversation');
    return { type: 'deleteConversation', conversationId: id(m.conversationId, 'conversationId') };
  },
  setGenerator(m) {
    only(m, ['type', 'conversationId', 'generator'], 'setGenerator');
    return {
      type: 'setGenerator',
      conversationId: id(m.conversationId, 'conversationId'),
      generator: string(m.generator, 'generator', LIMITS.name, 1),
    };
  },
  updateSettings(m) {
    only(m, ['type', 'conversationId', 'settings'], 'updateSettings');
    return {
      type: 'updateSettings',
      conversationId: id(m.conversationId, 'conversationId'),
      settings: settings(m.settings),
    };
  },
  requestAttachment(m) {
    only(m, ['type', 'kind'], 'requestAttachment');
    return { type: 'requestAttachment', kind: oneOf(m.kind, 'kind', ['selection', 'file'] as const) };
  },
  copy(m) {
    only(m, ['type', 'text'], 'copy');
    return { type: 'copy', text: string(m.text, 'text', LIMITS.attachmentText) };
  },
  insertCode(m) {
    only(m, ['type', 'code', 'mode'], 'insertCode');
    return {
      type: 'insertCode',
      code: string(m.code, 'code', LIMITS.attachmentText),
      mode: oneOf(m.mode, 'mode', ['insert', 'replace'] as const),
    };
  },
  openLink(m) {
    only(m, ['type', 'href'], 'openLink');
    return { type: 'openLink', href: string(m.href, 'href', LIMITS.href, 1) };
  },
  export(m) {
    only(m, ['type', 'conversationId', 'format'], 'export');
    return {
      type: 'export',
      conversationId: id(m.conversationId, 'conversationId'),
      format: oneOf(m.format, 'format', ['markdown', 'haystack'] as const),
    };
  },
};

function parseMessage(value: unknown): WebviewMessage {
  const m = record(value, 'message');
  const type = m.type;
  // Own keys only: `constructor`, `toString` or `__proto__` are not message types.
  if (typeof type !== 'string' || !Object.hasOwn(PARSERS, type))
    throw new Invalid(
      `unknown message type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type}`,
    );
  return PARSERS[type as WebviewMessage['type']](m);
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Invalid(`${field}: expected an object`);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new Invalid(`${field}: expected a plain object`);
  return value as Record<string, unknown>;
}

function only(value: Record<string, unknown>, keys: readonly string[], field: string): void {
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== 'string' || !keys.includes(key))
      throw new Invalid(`${field}: unexpected field ${JSON.stringify(String(key).slice(0, 40))}`);
  }
}

function string(value: unknown, field: string, max: number, min = 0): string {
  if (typeof value !== 'string') throw new Invalid(`${field}: expected a string`);
  if (value.length > max) throw new Invalid(`${field}: longer than ${max} characters`);
  if (value.length < min) throw new Invalid(`${field}: must not be empty`);
  return value;
}

function optionalString(value: unknown, field: string, max: number): string | undefined {
  return value === undefined ? undefined : string(value, field, max);
}

function id(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value))
    throw new Invalid(`${field}: expected an id of 1-64 letters, digits, '_' or '-'`);
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new Invalid(`${field}: expected one of ${allowed.join(', ')}`);
  return value as T;
}

function list<T>(value: unknown, field: string, max: number, item: (value: unknown, field: string) => T): T[] {
  if (!Array.isArray(value)) throw new Invalid(`${field}: expected a list`);
  if (value.length > max) throw new Invalid(`${field}: more than ${max} items`);
  return Array.from(value, (entry, i) => item(entry, `${field}[${i}]`));
}

function number(value: unknown, field: string, min: number, max: number, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new Invalid(`${field}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

function textAttachment(value: unknown, field: string): TextAttachment {
  const a = record(value, field);
  only(a, ['kind', 'label', 'languageId', 'text'], field);
  return {
    kind: oneOf(a.kind, `${field}.kind`, ['selection', 'file'] as const),
    label: string(a.label, `${field}.label`, LIMITS.href),
    languageId: string(a.languageId, `${field}.languageId`, LIMITS.name),
    text: string(a.text, `${field}.text`, LIMITS.attachmentText),
  };
}

function imageAttachment(value: unknown, field: string): ImageAttachment {
  const a = record(value, field);
  only(a, ['mimeType', 'base64', 'name'], field);
  const base64 = string(a.base64, `${field}.base64`, LIMITS.imageBase64, 1);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Invalid(`${field}.base64: not base64`);
  const image: ImageAttachment = { mimeType: oneOf(a.mimeType, `${field}.mimeType`, IMAGE_MIME_TYPES), base64 };
  const name = optionalString(a.name, `${field}.name`, LIMITS.href);
  if (name !== undefined) image.name = name;
  return image;
}

function settings(value: unknown): ConversationSettings {
  const s = record(value, 'settings');
  only(s, ['temperature', 'maxTokens', 'systemPrompt'], 'settings');
  const result: ConversationSettings = {};
  const temperature = number(s.temperature, 'settings.temperature', 0, 2, false);
  const maxTokens = number(s.maxTokens, 'settings.maxTokens', 1, 1_000_000, true);
  const systemPrompt = optionalString(s.systemPrompt, 'settings.systemPrompt', LIMITS.systemPrompt);
  if (temperature !== undefined) result.temperature = temperature;
  if (maxTokens !== undefined) result.maxTokens = maxTokens;
  if (systemPrompt !== undefined) result.systemPrompt = systemPrompt;
  return result;
}
