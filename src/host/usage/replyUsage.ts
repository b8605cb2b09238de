// Completes a finished reply's stats with what needs the whole reply: throughput and the cost estimate.
import { estimateCost, type PriceTable } from '../../core/costEstimate';
import { tokensPerSecond } from '../../core/usage';
import type { ReplyStats } from '../../shared/protocol';

/** Adds `tokensPerSecond` (after the first token) and, when the model has a configured price, `costUsd`. */
export function completeReplyStats(stats: ReplyStats, prices: PriceTable | undefined): void {
  const rate = tokensPerSecond(stats.completionTokens, stats.timeToFirstTokenMs, stats.totalMs);
  if (rate !== undefined) stats.tokensPerSecond = rate;
  if (!prices || stats.totalTokens === undefined) return;
  const usage = {
    inputTokens: stats.promptTokens ?? 0,
    outputTokens: stats.completionTokens ?? 0,
    totalTokens: stats.totalTokens,
  };
  const cost = estimateCost(usage, stats.model, prices);
  if (cost) stats.costUsd = cost.usd;
}
