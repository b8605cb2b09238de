import type { ReasoningContent, ToolCallResult } from './chatMessage';

/** Why a model stopped, as Haystack's `FinishReason`. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'tool_call_results';

/** A piece of a tool call as it streams: the name and id arrive first, the JSON arguments in fragments. */
export interface ToolCallDelta {
  /** Which tool call of the reply this fragment belongs to. */
  index: number;
  toolName?: string;
  /** A fragment of the JSON-encoded arguments. */
  arguments?: string;
  id?: string;
  extra?: Record<string, unknown>;
}

/** Which component produced a chunk (Haystack's `ComponentInfo`). */
export interface ComponentInfo {
  type: string;
  name?: string;
}

/** One streamed piece of a reply, after Haystack's `StreamingChunk`. */
export interface StreamingChunk {
  content: string;
  meta: Record<string, unknown>;
  componentInfo?: ComponentInfo;
  /** Index of the content block (text, tool call, reasoning) this chunk belongs to. */
  index?: number;
  toolCalls?: ToolCallDelta[];
  toolCallResult?: ToolCallResult;
  /** True on the first chunk of a content block. */
  start?: boolean;
  finishReason?: FinishReason;
  reasoning?: ReasoningContent;
}

/** Receives each chunk as it arrives; a returned promise is awaited before the next chunk is delivered. */
export type StreamingCallback = (chunk: StreamingChunk) => void | Promise<void>;
