// Per-conversation usage totals and cost labels, shared by the host and the webview (no Node or DOM APIs).
import type { ConversationMessage } from './protocol';

/** A conversation's token counts summed over its replies, and its estimated cost when every priced reply had one. */
export interface ConversationTotals {
  replies: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
  /** Summed over the replies that have an estimate; undefined when none has. */
  costUsd?: number;
  /** Replies with usage but no price (their cost is not in `costUsd`). */
  unpricedReplies: number;
}

/** Sums the usage of every assistant reply that reported some. */
export function conversationTotals(messages: readonly ConversationMessage[]): ConversationTotals {
  const totals: ConversationTotals = {
    replies: 0,
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    totalTokens: 0,
    unpricedReplies: 0,
  };
  for (const message of messages) {
    const stats = message.stats;
    if (message.role !== 'assistant' || !stats) continue;
    // TGI text generation reports only generated tokens: no total, still usage.
    if (stats.totalTokens === undefined && stats.promptTokens === undefined && stats.completionTokens === undefined)
      continue;
    totals.replies += 1;
    totals.inputTokens += stats.promptTokens ?? 0;
    totals.outputTokens += stats.completionTokens ?? 0;
    totals.reasoningTokens += stats.reasoningTokens ?? 0;
    totals.totalTokens += stats.totalTokens ?? (stats.promptTokens ?? 0) + (stats.completionTokens ?? 0);
    if (stats.costUsd === undefined) totals.unpricedReplies += 1;
    else totals.costUsd = (totals.costUsd ?? 0) + stats.costUsd;
  }
  return totals;
}

// The cost label is the core's (every CostEstimate carries it); core/costLabel.ts imports nothing.
export { costLabel, formatUsd } from '../core/costLabel';
