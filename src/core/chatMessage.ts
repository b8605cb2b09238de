import { contentPartFromDict, contentPartToDict } from './chatMessageDict';
import { DeserializationError } from './errors';
import { asRecord, describe } from './valueChecks';

export { asRecord, describe, quote } from './valueChecks';

export type ChatRole = 'user' | 'system' | 'assistant' | 'tool';
const ROLES: readonly ChatRole[] = ['user', 'system', 'assistant', 'tool'];

/** A tool call prepared by a model. `arguments` is the parsed JSON object, as in Haystack. */
export interface ToolCall {
  toolName: string;
  arguments: Record<string, unknown>;
  id?: string;
  /** Provider-specific extras (e.g. Responses API item ids). */
  extra?: Record<string, unknown>;
}

/** A part of a tool result made of content (Haystack 2.23+): text, or an image the tool produced. */
export type ToolResultPart = { type: 'text'; text: string } | { type: 'image'; image: ImageContent };

/** The outcome of running a tool, sent back to the model in a `tool` message. */
export interface ToolCallResult {
  /** The result as text, or (Haystack 2.23+) as text and image parts. */
  result: string | ToolResultPart[];
  origin: ToolCall;
  error: boolean;
}

/** An image given to a model, base64-encoded. */
export interface ImageContent {
  base64Image: string;
  mimeType?: string;
  detail?: 'auto' | 'high' | 'low';
  meta?: Record<string, unknown>;
  /** Haystack's flag telling whether the data was checked when the part was made; false is kept for round trips. */
  validation?: boolean;
}

/** A file given to a model (Haystack 2.24+ `FileContent`, e.g. a PDF), base64-encoded. */
export interface FileContent {
  base64Data: string;
  mimeType?: string;
  filename?: string;
  /** Provider-specific extras. */
  extra?: Record<string, unknown>;
  /** As on {@link ImageContent}. */
  validation?: boolean;
}

/** The model's reasoning (a summary for providers that only return one). */
export interface ReasoningContent {
  reasoningText: string;
  extra?: Record<string, unknown>;
}

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; image: ImageContent }
  | { type: 'file'; file: FileContent }
  | { type: 'tool_call'; toolCall: ToolCall }
  | { type: 'tool_call_result'; toolCallResult: ToolCallResult }
  | { type: 'reasoning'; reasoning: ReasoningContent };

/** Haystack's serialized ChatMessage: `{role, meta, name, content: [{text} | {tool_call} | ...]}`. */
export interface ChatMessageDict {
  role: ChatRole;
  meta: Record<string, unknown>;
  name: string | null;
  content: Record<string, unknown>[];
}

/** A message in a conversation, after Haystack's `ChatMessage`. Immutable once built. */
export class ChatMessage {
  private constructor(
    readonly role: ChatRole,
    readonly content: readonly ContentPart[],
    readonly meta: Record<string, unknown> = {},
    readonly name?: string,
  ) {}

  static fromUser(
    text: string | undefined,
    options: { meta?: Record<string, unknown>; name?: string; images?: ImageContent[]; files?: FileContent[] } = {},
  ): ChatMessage {
    const parts: ContentPart[] = [];
    if (text !== undefined) parts.push({ type: 'text', text });
    for (const image of options.images ?? []) parts.push({ type: 'image', image });
    for (const file of options.files ?? []) parts.push({ type: 'file', file });
    if (parts.length === 0) throw new DeserializationError('content', 'a user message needs text, an image or a file.');
    return new ChatMessage('user', parts, { ...options.meta }, options.name);
  }

  static fromSystem(text: string, options: { meta?: Record<string, unknown>; name?: string } = {}): ChatMessage {
    return new ChatMessage('system', [{ type: 'text', text }], { ...options.meta }, options.name);
  }

  static fromAssistant(
    text?: string | null,
    options: {
      meta?: Record<string, unknown>;
      name?: string;
      toolCalls?: ToolCall[];
      reasoning?: string | ReasoningContent;
    } = {},
  ): ChatMessage {
    const parts: ContentPart[] = [];
    if (options.reasoning !== undefined) {
      const reasoning =
        typeof options.reasoning === 'string' ? { reasoningText: options.reasoning } : options.reasoning;
      parts.push({ type: 'reasoning', reasoning });
    }
    if (text !== undefined && text !== null) parts.push({ type: 'text', text });
    for (const toolCall of options.toolCalls ?? []) parts.push({ type: 'tool_call', toolCall });
    return new ChatMessage('assistant', parts, { ...options.meta }, options.name);
  }

  static fromTool(
    result: string | ToolResultPart[],
    origin: ToolCall,
    options: { error?: boolean; meta?: Record<string, unknown> } = {},
  ): ChatMessage {
    return new ChatMessage(
      'tool',
      [{ type: 'tool_call_result', toolCallResult: { result, origin, error: options.error ?? false } }],
      { ...options.meta },
    );
  }

  /** The first text part, as Haystack's `ChatMessage.text`. */
  get text(): string | undefined {
    return this.texts[0];
  }
  get texts(): string[] {
    return this.content.flatMap((p) => (p.type === 'text' ? [p.text] : []));
  }
  get toolCalls(): ToolCall[] {
    return this.content.flatMap((p) => (p.type === 'tool_call' ? [p.toolCall] : []));
  }
  get toolCall(): ToolCall | undefined {
    return this.toolCalls[0];
  }
  get toolCallResults(): ToolCallResult[] {
    return this.content.flatMap((p) => (p.type === 'tool_call_result' ? [p.toolCallResult] : []));
  }
  get toolCallResult(): ToolCallResult | undefined {
    return this.toolCallResults[0];
  }
  get images(): ImageContent[] {
    return this.content.flatMap((p) => (p.type === 'image' ? [p.image] : []));
  }
  get files(): FileContent[] {
    return this.content.flatMap((p) => (p.type === 'file' ? [p.file] : []));
  }
  get reasoning(): ReasoningContent | undefined {
    for (const p of this.content) if (p.type === 'reasoning') return p.reasoning;
    return undefined;
  }

  /** A copy with `meta` merged over this message's meta. */
  withMeta(meta: Record<string, unknown>): ChatMessage {
    return new ChatMessage(this.role, this.content, { ...this.meta, ...meta }, this.name);
  }

  toDict(): ChatMessageDict {
    return {
      role: this.role,
      meta: { ...this.meta },
      name: this.name ?? null,
      content: this.content.map(contentPartToDict),
    };
  }

  static fromDict(value: unknown, field = 'message'): ChatMessage {
    const dict = asRecord(value, field);
    if (!ROLES.includes(dict.role as ChatRole)) {
      throw new DeserializationError(
        `${field}.role`,
        `expected one of ${ROLES.join(', ')}, got ${describe(dict.role)}.`,
      );
    }
    const meta = dict.meta === undefined || dict.meta === null ? {} : { ...asRecord(dict.meta, `${field}.meta`) };
    if (dict.name !== undefined && dict.name !== null && typeof dict.name !== 'string') {
      throw new DeserializationError(`${field}.name`, `expected a string or null, got ${describe(dict.name)}.`);
    }
    if (!Array.isArray(dict.content)) {
      throw new DeserializationError(
        `${field}.content`,
        `expected a list of content parts, got ${describe(dict.content)}.`,
      );
    }
    // Array.from, not .map: .map would build its result through the input's own `constructor` key, if it has one.
    const content = Array.from(dict.content, (part, i) => contentPartFromDict(part, `${field}.content[${i}]`));
    return new ChatMessage(dict.role as ChatRole, content, meta, (dict.name as string | null | undefined) ?? undefined);
  }
}

/**
 * Haystack's `_normalize_messages` (2.30+): chat generators take a list of messages or a string, which is one user
 * message.
 */
export function normalizeMessages(messages: readonly ChatMessage[] | string): ChatMessage[] {
  return typeof messages === 'string' ? [ChatMessage.fromUser(messages)] : [...messages];
}

/** A tool result as text: the string itself, or its text parts one per line (images have no text form). */
export function toolResultText(result: ToolCallResult): string {
  if (typeof result.result === 'string') return result.result;
  return result.result.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}
