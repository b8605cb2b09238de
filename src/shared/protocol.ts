// The one message contract between the extension host and the chat webview, imported by both sides: the message
// types and the limits both sides enforce. The webview is untrusted input (it renders model output), so the host
// accepts nothing from it that webviewMessageParser.ts has not rebuilt field by field.

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

/** The webview message of one type. */
export type WebviewMessageOf<K extends WebviewMessage['type']> = Extract<WebviewMessage, { type: K }>;
