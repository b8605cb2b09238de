// One token-usage shape for every generator family. Haystack passes each provider's usage through as it came, so
// a reply's `meta.usage` has one of four shapes; the panel, compare mode and cost estimates need one.

/** Token counts of one reply (or a sum of replies), whatever API produced them. */
export interface TokenUsage {
  inputTokens: number;
  /** Every generated token, reasoning included (providers bill reasoning as output). */
  outputTokens: number;
  /** Of `outputTokens`, those spent on hidden reasoning, when the provider reports them. */
  reasoningTokens?: number;
  totalTokens: number;
}

/**
 * Normalises a reply's meta into {@link TokenUsage}. Reads, in order:
 * - Chat Completions (OpenAI, Azure, AIMLAPI, HF chat, local): `usage.{prompt_tokens, completion_tokens, total_tokens,
 *   completion_tokens_details.reasoning_tokens}`;
 * - Responses: `usage.{input_tokens, output_tokens, total_tokens, output_tokens_details.reasoning_tokens}`;
 * - TGI text generation: `usage.completion_tokens` alone, or the raw `details.generated_tokens`.
 * Counts a provider did not report are 0. Returns undefined when the meta carries no count at all.
 */
export function usageFromMeta(meta: Record<string, unknown> | undefined): TokenUsage | undefined {
  if (!meta) return undefined;
  const fromUsage = normalizeUsage(meta.usage);
  if (fromUsage) return fromUsage;
  const details = record(meta.details);
  const generated = count(details?.generated_tokens);
  return generated === undefined ? undefined : { inputTokens: 0, outputTokens: generated, totalTokens: generated };
}

/** Normalises a provider usage object (see {@link usageFromMeta}); undefined when it has no token count. */
export function normalizeUsage(value: unknown): TokenUsage | undefined {
  const usage = record(value);
  if (!usage) return undefined;
  const input = count(usage.prompt_tokens) ?? count(usage.input_tokens);
  const output = count(usage.completion_tokens) ?? count(usage.output_tokens);
  const total = count(usage.total_tokens);
  if (input === undefined && output === undefined && total === undefined) return undefined;
  const inputTokens = input ?? 0;
  const outputTokens = output ?? 0;
  const result: TokenUsage = { inputTokens, outputTokens, totalTokens: total ?? inputTokens + outputTokens };
  const details = record(usage.completion_tokens_details) ?? record(usage.output_tokens_details);
  const reasoning = count(details?.reasoning_tokens);
  if (reasoning !== undefined && reasoning > 0) result.reasoningTokens = reasoning;
  return result;
}

/** The sum of several replies' usage (a conversation's total); undefined entries are skipped. */
export function sumUsage(usages: Iterable<TokenUsage | undefined>): TokenUsage {
  const total: TokenUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  for (const usage of usages) {
    if (!usage) continue;
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    total.totalTokens += usage.totalTokens;
    if (usage.reasoningTokens !== undefined)
      total.reasoningTokens = (total.reasoningTokens ?? 0) + usage.reasoningTokens;
  }
  return total;
}

/**
 * Output tokens per second from the first token to the end; when the whole reply arrived at once (a burst, or no
 * streaming), over the whole request instead. Undefined when there is nothing to measure.
 */
export function tokensPerSecond(
  outputTokens: number | undefined,
  timeToFirstTokenMs: number | undefined,
  totalMs: number | undefined,
): number | undefined {
  if (outputTokens === undefined || outputTokens <= 0 || totalMs === undefined || totalMs <= 0) return undefined;
  const streamingMs = totalMs - (timeToFirstTokenMs ?? 0);
  const ms = streamingMs > 0 ? streamingMs : totalMs;
  return Math.round((outputTokens / ms) * 10_000) / 10;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
