// The one message contract between the extension host and the chat webview, imported by both sides.
// Types only, plus `parseWebviewMessage`: the webview is untrusted input (it renders model output), so the host
// accepts nothing from it that this validator has not rebuilt field by field.

/** A generator the panel can pick; never carries secrets or init parameters. */
export interface GeneratorOption {
  name: string;
  kind: 'chat' | 'text' | 'image';
  model?: string;
  acceptsImages: boolean;
  /** Why the settings entry cannot be built; the picker shows it disabled. */
  error?: string;
}

/** Per-conversation overrides of the generator's `generation_kwargs`. */
export interface ConversationSettings {
  temperature?: number;
  maxTokens?: number;
  systemPrompt?: string;
}

/** Editor text attached to a user message as context. */
export interface TextAttachment {
  kind: 'selection' | 'file';
  /** File name (and line range for selections), shown on the chip. */
  label: string;
  languageId: string;
  text: string;
}

/** A pasted or dropped image, base64 without the `data:` prefix. */
export interface ImageAttachment {
  mimeType: ImageMimeType;
  base64: string;
  name?: string;
}

export type ImageMimeType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
export const IMAGE_MIME_TYPES: readonly ImageMimeType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** A tool call as the panel shows it; `arguments` is the (possibly partial) JSON text. */
export interface ToolCallView {
  index: number;
  name: string;
  arguments: string;
  id?: string;
}

/** One failed attempt of a FallbackChatGenerator run. */
export interface FallbackAttemptView {
  generator: string;
  error: string;
}

/** What the panel shows under a reply. */
export interface ReplyStats {
  /** The configured generator the user picked. */
  generator: string;
  model?: string;
  finishReason?: string;
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  /** Milliseconds from sending to the first streamed chunk. */
  timeToFirstTokenMs?: number;
  totalMs?: number;
  /** For FallbackChatGenerator: the class that answered and the attempts that failed before it. */
  answeredBy?: string;
  failedAttempts?: FallbackAttemptView[];
  /** Of `completionTokens`, those the model spent reasoning (Responses, o-series), when reported. */
  reasoningTokens?: number;
  /** Output tokens per second after the first token. */
  tokensPerSecond?: number;
  /** Estimated cost in US dollars from the user's `generators.prices`; only ever shown labelled as an estimate. */
  costUsd?: number;
}

/** The JSON schema a conversation's replies must follow (structured output). */
export interface ResponseSchemaView {
  /** The name sent to the APIs that take one (`^[a-zA-Z0-9_-]{1,64}$`). */
  name: string;
  schema: Record<string, unknown>;
  /** Where it came from: a workspace file path, or `typed`. */
  source: string;
}

/** One generator's reply in a comparison; its chunks and its `done`/`error` carry `laneId` as their request id. */
export interface CompareLaneView {
  laneId: string;
  generator: string;
  reply: ConversationMessage;
}

/** Compare mode: the replies of two to four generators to the conversation's last message, until one is picked. */
export interface PendingComparison {
  requestId: string;
  lanes: CompareLaneView[];
}

/** A structured-output reply checked against the conversation's schema in the host. */
export interface StructuredOutputView {
  schemaName: string;
  valid: boolean;
  /** The parsed reply, pretty-printed, when it was JSON. */
  formatted?: string;
  /** What failed, one line each (`/price must be >= 0`). */
  errors: string[];
}

/** A failure shown inline under the reply, with the next step to take. */
export interface ErrorView {
  message: string;
  /** A GeneratorErrorCode, or `unknown`. */
  code: string;
  nextStep: string;
  retryable: boolean;
}

/** `streaming` only while a request runs; one found on disk without a live request is shown as `interrupted`. */
export type MessageStatus = 'complete' | 'streaming' | 'stopped' | 'error' | 'interrupted';

export interface ConversationMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  reasoning?: string;
  toolCalls?: ToolCallView[];
  attachments?: TextAttachment[];
  images?: ImageAttachment[];
  status: MessageStatus;
  stats?: ReplyStats;
  error?: ErrorView;
  /** Set on a finished reply when the conversation has a response schema. */
  structuredOutput?: StructuredOutputView;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface Conversation {
  id: string;
  title: string;
  /** The configured generator's name (a settings entry), not its type. */
  generator?: string;
  settings: ConversationSettings;
  /** Structured output: replies are requested in this schema and validated against it. */
  responseSchema?: ResponseSchemaView;
  /** A comparison whose replies are not in `messages` until the user picks one. */
  comparison?: PendingComparison;
  messages: ConversationMessage[];
  createdAt: number;
  updatedAt: number;
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  messageCount: number;
}

/** A streamed piece of tool call: the name and id arrive first, the JSON arguments in fragments. */
export interface ToolCallDeltaView {
  index: number;
  name?: string;
  argumentsDelta?: string;
  id?: string;
}

/** Host -> webview. Every request started by `send`/`retry`/`editLast` ends with exactly one `done` or `error`. */
export type HostMessage =
  | {
      type: 'state';
      generators: GeneratorOption[];
      conversation: Conversation;
      history: ConversationSummary[];
      /** The request still streaming into the conversation's last message, after a reload or reveal. */
      streamingRequestId?: string;
    }
  | { type: 'generators'; generators: GeneratorOption[] }
  | { type: 'history'; history: ConversationSummary[] }
  | { type: 'conversation'; conversation: Conversation; streamingRequestId?: string }
  /** `userMessage` is the message just sent; absent for Retry and Edit, which first send the whole `conversation`. */
  | {
      type: 'replyStarted';
      requestId: string;
      conversationId: string;
      userMessage?: ConversationMessage;
      reply: ConversationMessage;
    }
  | {
      type: 'chunk';
      requestId: string;
      text?: string;
      reasoning?: string;
      toolCalls?: ToolCallDeltaView[];
      /** A FallbackChatGenerator attempt failed mid-stream and the next one starts: clear the partial reply. */
      restart?: boolean;
    }
  | { type: 'done'; requestId: string; message: ConversationMessage }
  /**
   * `message` is the failed reply as stored in the conversation. When the request was refused before anything was
   * added to the conversation, `message` is absent and `userText` hands the typed text back to the input box.
   */
  | { type: 'error'; requestId: string; message?: ConversationMessage; userText?: string; reason?: string }
  /** A comparison started: every lane then streams and ends like a request of its own, under its lane id. */
  | {
      type: 'compareStarted';
      requestId: string;
      conversationId: string;
      userMessage: ConversationMessage;
      lanes: CompareLaneView[];
    }
  | { type: 'attachment'; attachment: TextAttachment }
  | { type: 'focusInput' }
  | { type: 'notice'; level: 'info' | 'error'; text: string };

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready' }
  | {
      type: 'send';
      requestId: string;
      conversationId: string;
      generator: string;
      text: string;
      attachments: TextAttachment[];
      images: ImageAttachment[];
    }
  | { type: 'stop'; requestId: string }
  | { type: 'retry'; requestId: string; conversationId: string }
  | { type: 'editLast'; requestId: string; conversationId: string; text: string }
  | { type: 'newChat' }
  | { type: 'openConversation'; conversationId: string }
  | { type: 'deleteConversation'; conversationId: string }
  | { type: 'setGenerator'; conversationId: string; generator: string }
  | { type: 'updateSettings'; conversationId: string; settings: ConversationSettings }
  | { type: 'requestAttachment'; kind: 'selection' | 'file' }
  | { type: 'copy'; text: string }
  | { type: 'insertCode'; code: string; mode: 'insert' | 'replace' }
  | { type: 'openLink'; href: string }
  | { type: 'export'; conversationId: string; format: 'markdown' | 'haystack' }
  /** Sends one message to two to four generators at once (compare mode). */
  | {
      type: 'compare';
      requestId: string;
      conversationId: string;
      generators: string[];
      text: string;
      attachments: TextAttachment[];
      images: ImageAttachment[];
    }
  /** Continues the conversation with one reply of a finished comparison. */
  | { type: 'pickCompared'; conversationId: string; requestId: string; laneId: string };

/** Size limits on webview input: a compromised webview must not make the host hold or send unbounded data. */
export const LIMITS = {
  text: 200_000,
  attachmentText: 1_000_000,
  attachments: 20,
  images: 8,
  /** Base64 characters per image (about 15 MB decoded). */
  imageBase64: 20_000_000,
  systemPrompt: 20_000,
  name: 200,
  href: 2_000,
} as const;

/** How many generators one comparison asks (compare mode); the picker, the validator and the host share it. */
export const COMPARE_GENERATORS = { min: 2, max: 4 } as const;

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

function parseMessage(value: unknown): WebviewMessage {
  const m = record(value, 'message');
  const type = m.type;
  switch (type) {
    case 'ready':
    case 'newChat':
      only(m, ['type'], type);
      return { type };
    case 'send':
      only(m, ['type', 'requestId', 'conversationId', 'generator', 'text', 'attachments', 'images'], type);
      return {
        type,
        requestId: id(m.requestId, 'requestId'),
        conversationId: id(m.conversationId, 'conversationId'),
        generator: string(m.generator, 'generator', LIMITS.name, 1),
        text: string(m.text, 'text', LIMITS.text),
        attachments: list(m.attachments, 'attachments', LIMITS.attachments, textAttachment),
        images: list(m.images, 'images', LIMITS.images, imageAttachment),
      };
    case 'compare': {
      only(m, ['type', 'requestId', 'conversationId', 'generators', 'text', 'attachments', 'images'], type);
      const generators = list(m.generators, 'generators', COMPARE_GENERATORS.max, (value, field) =>
        string(value, field, LIMITS.name, 1),
      );
      if (generators.length < COMPARE_GENERATORS.min)
        throw new Invalid(`generators: compare needs at least ${COMPARE_GENERATORS.min}`);
      return {
        type,
        requestId: id(m.requestId, 'requestId'),
        conversationId: id(m.conversationId, 'conversationId'),
        generators,
        text: string(m.text, 'text', LIMITS.text),
        attachments: list(m.attachments, 'attachments', LIMITS.attachments, textAttachment),
        images: list(m.images, 'images', LIMITS.images, imageAttachment),
      };
    }
    case 'pickCompared':
      only(m, ['type', 'conversationId', 'requestId', 'laneId'], type);
      return {
        type,
        conversationId: id(m.conversationId, 'conversationId'),
        requestId: id(m.requestId, 'requestId'),
        laneId: id(m.laneId, 'laneId'),
      };
    case 'stop':
      only(m, ['type', 'requestId'], type);
      return { type, requestId: id(m.requestId, 'requestId') };
    case 'retry':
      only(m, ['type', 'requestId', 'conversationId'], type);
      return { type, requestId: id(m.requestId, 'requestId'), conversationId: id(m.conversationId, 'conversationId') };
    case 'editLast':
      only(m, ['type', 'requestId', 'conversationId', 'text'], type);
      return {
        type,
        requestId: id(m.requestId, 'requestId'),
        conversationId: id(m.conversationId, 'conversationId'),
        text: string(m.text, 'text', LIMITS.text),
      };
    case 'openConversation':
    case 'deleteConversation':
      only(m, ['type', 'conversationId'], type);
      return { type, conversationId: id(m.conversationId, 'conversationId') };
    case 'setGenerator':
      only(m, ['type', 'conversationId', 'generator'], type);
      return {
        type,
        conversationId: id(m.conversationId, 'conversationId'),
        generator: string(m.generator, 'generator', LIMITS.name, 1),
      };
    case 'updateSettings':
      only(m, ['type', 'conversationId', 'settings'], type);
      return { type, conversationId: id(m.conversationId, 'conversationId'), settings: settings(m.settings) };
    case 'requestAttachment':
      only(m, ['type', 'kind'], type);
      return { type, kind: oneOf(m.kind, 'kind', ['selection', 'file'] as const) };
    case 'copy':
      only(m, ['type', 'text'], type);
      return { type, text: string(m.text, 'text', LIMITS.attachmentText) };
    case 'insertCode':
      only(m, ['type', 'code', 'mode'], type);
      return {
        type,
        code: string(m.code, 'code', LIMITS.attachmentText),
        mode: oneOf(m.mode, 'mode', ['insert', 'replace'] as const),
      };
    case 'openLink':
      only(m, ['type', 'href'], type);
      return { type, href: string(m.href, 'href', LIMITS.href, 1) };
    case 'export':
      only(m, ['type', 'conversationId', 'format'], type);
      return {
        type,
        conversationId: id(m.conversationId, 'conversationId'),
        format: oneOf(m.format, 'format', ['markdown', 'haystack'] as const),
      };
    default:
      throw new Invalid(
        `unknown message type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type}`,
      );
  }
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
