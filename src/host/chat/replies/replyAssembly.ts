// Turns generator output (streamed chunks, then the final reply) into the panel's view of a reply.
import type { ChatMessage } from '../../../core/chatMessage';
import type { StreamingChunk } from '../../../core/streamingChunk';
import { normalizeUsage } from '../../../core/usage';
import { FALLBACK_RESTART } from '../../../generators/fallback/fallbackChatGenerator';
import type {
  ConversationMessage,
  FallbackAttemptView,
  HostMessage,
  ReplyStats,
  ToolCallDeltaView,
} from '../../../shared/protocol';

export type ChunkMessage = Extract<HostMessage, { type: 'chunk' }>;

/** Applies one chunk to the reply being streamed and returns what to send to the webview (nothing for empty chunks). */
export function applyChunk(
  reply: ConversationMessage,
  chunk: StreamingChunk,
  requestId: string,
): ChunkMessage | undefined {
  const message: ChunkMessage = { type: 'chunk', requestId };
  // A FallbackChatGenerator attempt failed after streaming and the next generator starts: its text is not the answer.
  if (chunk.meta?.[FALLBACK_RESTART] === true) {
    reply.text = '';
    delete reply.reasoning;
    delete reply.toolCalls;
    message.restart = true;
  }
  if (chunk.content) {
    reply.text += chunk.content;
    message.text = chunk.content;
  }
  const reasoning = chunk.reasoning?.reasoningText;
  if (reasoning) {
    reply.reasoning = (reply.reasoning ?? '') + reasoning;
    message.reasoning = reasoning;
  }
  if (chunk.toolCalls?.length) {
    const deltas: ToolCallDeltaView[] = [];
    reply.toolCalls ??= [];
    for (const delta of chunk.toolCalls) {
      let call = reply.toolCalls.find((c) => c.index === delta.index);
      if (!call) {
        call = { index: delta.index, name: '', arguments: '' };
        reply.toolCalls.push(call);
      }
      const view: ToolCallDeltaView = { index: delta.index };
      if (delta.toolName) view.name = call.name += delta.toolName;
      if (delta.id) view.id = call.id = delta.id;
      if (delta.arguments) {
        call.arguments += delta.arguments;
        view.argumentsDelta = delta.arguments;
      }
      deltas.push(view);
    }
    message.toolCalls = deltas;
  }
  const hasContent =
    message.restart || message.text !== undefined || message.reasoning !== undefined || message.toolCalls !== undefined;
  return hasContent ? message : undefined;
}

/** Replaces the streamed content by the generator's final reply, which is authoritative (and all there is without streaming). */
export function applyFinalChatReply(reply: ConversationMessage, final: ChatMessage | undefined): void {
  if (!final) return;
  reply.text = final.texts.join('');
  const reasoning = final.reasoning?.reasoningText;
  if (reasoning) reply.reasoning = reasoning;
  else delete reply.reasoning;
  const calls = final.toolCalls;
  if (calls.length > 0)
    reply.toolCalls = calls.map((call, index) => ({
      index,
      name: call.toolName,
      arguments: JSON.stringify(call.arguments),
      id: call.id,
    }));
  else delete reply.toolCalls;
}

/** Model, finish reason and usage from a reply's meta (Haystack's keys), plus FallbackChatGenerator's attempt report. */
export function statsFromMeta(
  generator: string,
  replyMeta: Record<string, unknown> | undefined,
  resultMeta: Record<string, unknown> | undefined,
): ReplyStats {
  const stats: ReplyStats = { generator };
  const meta = replyMeta ?? {};
  if (typeof meta.model === 'string') stats.model = meta.model;
  if (typeof meta.finish_reason === 'string') stats.finishReason = meta.finish_reason;
  const usage = meta.usage;
  if (typeof usage === 'object' && usage !== null) {
    const u = usage as Record<string, unknown>;
    const prompt = u.prompt_tokens ?? u.input_tokens;
    const completion = u.completion_tokens ?? u.output_tokens;
    if (typeof prompt === 'number') stats.promptTokens = prompt;
    if (typeof completion === 'number') stats.completionTokens = completion;
    if (typeof u.total_tokens === 'number') stats.totalTokens = u.total_tokens;
    else if (typeof prompt === 'number' && typeof completion === 'number') stats.totalTokens = prompt + completion;
    const reasoning = normalizeUsage(usage)?.reasoningTokens;
    if (reasoning !== undefined) stats.reasoningTokens = reasoning;
  }
  if (resultMeta && typeof resultMeta.successful_chat_generator_class === 'string') {
    stats.answeredBy = resultMeta.successful_chat_generator_class;
    stats.failedAttempts = failedAttempts(resultMeta.failed_chat_generators);
  }
  return stats;
}

/** Haystack's fallback meta lists the failed generators by class; later versions add the error. Both are read. */
function failedAttempts(value: unknown): FallbackAttemptView[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry): FallbackAttemptView => {
    if (typeof entry === 'string') return { generator: entry, error: '' };
    const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const generator = [record.generator, record.class, record.type, record.name].find((v) => typeof v === 'string') as
      string | undefined;
    return { generator: generator ?? 'unknown', error: typeof record.error === 'string' ? record.error : '' };
  });
}
