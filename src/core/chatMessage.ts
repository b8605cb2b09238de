import { DeserializationError } from './errors';

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

/** The outcome of running a tool, sent back to the model in a `tool` message. */
export interface ToolCallResult {
  result: string;
  origin: ToolCall;
  error: boolean;
}

/** An image given to a model, base64-encoded. */
export interface ImageContent {
  base64Image: string;
  mimeType?: string;
  detail?: 'auto' | 'high' | 'low';
  meta?: Record<string, unknown>;
}

/** The model's reasoning (a summary for providers that only return one). */
export interface ReasoningContent {
  reasoningText: string;
  extra?: Record<string, unknown>;
}

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; image: ImageContent }
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
    options: { meta?: Record<string, unknown>; name?: string; images?: ImageContent[] } = {},
  ): ChatMessage {
    const parts: ContentPart[] = [];
    if (text !== undefined) parts.push({ type: 'text', text });
    for (const image of options.images ?? []) parts.push({ type: 'image', image });
    if (parts.length === 0)
      throw new DeserializationError('content', 'a user message needs text or at least one image.');
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
    result: string,
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

function toolCallToDict(call: ToolCall): Record<string, unknown> {
  const dict: Record<string, unknown> = { tool_name: call.toolName, arguments: call.arguments, id: call.id ?? null };
  if (call.extra) dict.extra = call.extra;
  return dict;
}

function contentPartToDict(part: ContentPart): Record<string, unknown> {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'tool_call':
      return { tool_call: toolCallToDict(part.toolCall) };
    case 'tool_call_result':
      return {
        tool_call_result: {
          result: part.toolCallResult.result,
          origin: toolCallToDict(part.toolCallResult.origin),
          error: part.toolCallResult.error,
        },
      };
    case 'image':
      return {
        image: {
          base64_image: part.image.base64Image,
          mime_type: part.image.mimeType ?? null,
          detail: part.image.detail ?? null,
          meta: part.image.meta ?? {},
          validation: true,
        },
      };
    case 'reasoning':
      return { reasoning: { reasoning_text: part.reasoning.reasoningText, extra: part.reasoning.extra ?? {} } };
  }
}

function toolCallFromDict(value: unknown, field: string): ToolCall {
  const dict = asRecord(value, field);
  if (typeof dict.tool_name !== 'string')
    throw new DeserializationError(`${field}.tool_name`, `expected a string, got ${describe(dict.tool_name)}.`);
  const args = asRecord(dict.arguments, `${field}.arguments`);
  if (dict.id !== undefined && dict.id !== null && typeof dict.id !== 'string') {
    throw new DeserializationError(`${field}.id`, `expected a string or null, got ${describe(dict.id)}.`);
  }
  const call: ToolCall = { toolName: dict.tool_name, arguments: { ...args } };
  if (typeof dict.id === 'string') call.id = dict.id;
  if (dict.extra !== undefined && dict.extra !== null) call.extra = { ...asRecord(dict.extra, `${field}.extra`) };
  return call;
}

function contentPartFromDict(value: unknown, field: string): ContentPart {
  const dict = asRecord(value, field);
  if ('text' in dict) {
    if (typeof dict.text !== 'string')
      throw new DeserializationError(`${field}.text`, `expected a string, got ${describe(dict.text)}.`);
    return { type: 'text', text: dict.text };
  }
  if ('tool_call' in dict)
    return { type: 'tool_call', toolCall: toolCallFromDict(dict.tool_call, `${field}.tool_call`) };
  if ('tool_call_result' in dict) {
    const r = asRecord(dict.tool_call_result, `${field}.tool_call_result`);
    if (typeof r.result !== 'string')
      throw new DeserializationError(
        `${field}.tool_call_result.result`,
        `expected a string, got ${describe(r.result)}.`,
      );
    if (typeof r.error !== 'boolean')
      throw new DeserializationError(
        `${field}.tool_call_result.error`,
        `expected true or false, got ${describe(r.error)}.`,
      );
    return {
      type: 'tool_call_result',
      toolCallResult: {
        result: r.result,
        origin: toolCallFromDict(r.origin, `${field}.tool_call_result.origin`),
        error: r.error,
      },
    };
  }
  if ('image' in dict) {
    const img = asRecord(dict.image, `${field}.image`);
    if (typeof img.base64_image !== 'string' || img.base64_image === '') {
      throw new DeserializationError(
        `${field}.image.base64_image`,
        `expected a base64 string, got ${describe(img.base64_image)}.`,
      );
    }
    const image: ImageContent = { base64Image: img.base64_image };
    if (typeof img.mime_type === 'string') image.mimeType = img.mime_type;
    if (img.detail === 'auto' || img.detail === 'high' || img.detail === 'low') image.detail = img.detail;
    else if (img.detail !== undefined && img.detail !== null)
      throw new DeserializationError(`${field}.image.detail`, 'expected "auto", "high", "low" or null.');
    if (img.meta !== undefined && img.meta !== null) image.meta = { ...asRecord(img.meta, `${field}.image.meta`) };
    return { type: 'image', image };
  }
  if ('reasoning' in dict) {
    const r = asRecord(dict.reasoning, `${field}.reasoning`);
    if (typeof r.reasoning_text !== 'string')
      throw new DeserializationError(
        `${field}.reasoning.reasoning_text`,
        `expected a string, got ${describe(r.reasoning_text)}.`,
      );
    const reasoning: ReasoningContent = { reasoningText: r.reasoning_text };
    if (r.extra !== undefined && r.extra !== null)
      reasoning.extra = { ...asRecord(r.extra, `${field}.reasoning.extra`) };
    return { type: 'reasoning', reasoning };
  }
  throw new DeserializationError(
    field,
    'unsupported content part; expected one of text, image, tool_call, tool_call_result, reasoning.',
  );
}

/** Narrows a plain object; rejects arrays, null and class instances other than Object. */
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
