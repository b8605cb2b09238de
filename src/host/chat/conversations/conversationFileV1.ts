// Version 1 of a conversation file: the shape the extension has written since its first release (files from before
// `schemaVersion` existed are this version without the field). Declared apart from the protocol's wire types on
// purpose: the webview's view of a conversation can change without changing what is on disk, and a change to what
// is on disk needs a new version here and a migration in conversationFile.ts.

export interface ConversationFileV1 {
  schemaVersion: 1;
  id: string;
  title: string;
  /** The configured generator's name (a settings entry), not its type. */
  generator?: string;
  settings: { temperature?: number; maxTokens?: number; systemPrompt?: string };
  responseSchema?: StoredResponseSchema;
  /** A comparison whose replies are not in `messages` until the user picks one. */
  comparison?: { requestId: string; lanes: { laneId: string; generator: string; reply: StoredMessage }[] };
  messages: StoredMessage[];
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

export interface StoredResponseSchema {
  name: string;
  schema: Record<string, unknown>;
  source: string;
}

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  reasoning?: string;
  toolCalls?: { index: number; name: string; arguments: string; id?: string }[];
  attachments?: { kind: 'selection' | 'file'; label: string; languageId: string; text: string }[];
  images?: { mimeType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'; base64: string; name?: string }[];
  /** `streaming` when saved mid-reply; read back as `interrupted` once the request is gone. */
  status: 'complete' | 'streaming' | 'stopped' | 'error' | 'interrupted';
  stats?: StoredReplyStats;
  error?: { message: string; code: string; nextStep: string; retryable: boolean };
  structuredOutput?: { schemaName: string; valid: boolean; formatted?: string; errors: string[] };
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface StoredReplyStats {
  generator: string;
  model?: string;
  finishReason?: string;
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  timeToFirstTokenMs?: number;
  totalMs?: number;
  answeredBy?: string;
  failedAttempts?: { generator: string; error: string }[];
  reasoningTokens?: number;
  tokensPerSecond?: number;
  costUsd?: number;
}
