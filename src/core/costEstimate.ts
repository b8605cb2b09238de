// Cost estimates from per-model prices the user configures (`generators.prices`). Providers do not report a price,
// and list prices change, so an estimate is all we can give; every result says so.
import { describe, quote } from './chatMessage';
import { ConfigurationError } from './errors';
import { costLabel } from './costLabel';
import type { TokenUsage } from './usage';

/** The price of a model in US dollars per one million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** Model name -> price, as the `generators.prices` setting holds it. */
export type PriceTable = Record<string, ModelPrice>;

/** A cost estimate; `label` is the text to show, and always says "estimate". */
export interface CostEstimate {
  usd: number;
  /** The price-table key that matched the model. */
  priceKey: string;
  isEstimate: true;
  label: string;
}

/** Reads the `generators.prices` setting; names the bad model and field, so the user can fix the entry. */
export function readPriceTable(value: unknown, field = 'generators.prices'): PriceTable {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigurationError(field, `expected an object of model -> {"input", "output"}, got ${describe(value)}.`);
  const table: PriceTable = {};
  for (const [model, entry] of Object.entries(value as Record<string, unknown>)) {
    const price = entry as Partial<Record<keyof ModelPrice, unknown>> | null;
    for (const key of ['input', 'output'] as const) {
      const n = typeof price === 'object' && price !== null ? price[key] : undefined;
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
        throw new ConfigurationError(
          `${field}.${quote(model)}.${key}`,
          `expected a price in US dollars per 1M ${key} tokens (a number >= 0), got ${describe(n)}.`,
        );
      }
    }
    table[model] = { input: (price as ModelPrice).input, output: (price as ModelPrice).output };
  }
  return table;
}

/**
 * The price for `model`: an exact key, else the longest key the model name starts with, so that a dated snapshot
 * (`gpt-4o-mini-2024-07-18`, the name the API answers with) finds the price given for `gpt-4o-mini`.
 */
export function priceFor(
  model: string | undefined,
  prices: PriceTable,
): { key: string; price: ModelPrice } | undefined {
  if (!model) return undefined;
  if (Object.prototype.hasOwnProperty.call(prices, model)) return { key: model, price: prices[model] };
  const key = Object.keys(prices)
    .filter((k) => k !== '' && model.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return key === undefined ? undefined : { key, price: prices[key] };
}

/** Estimates the cost of `usage` on `model`; undefined when no price is configured for it. */
export function estimateCost(
  usage: TokenUsage,
  model: string | undefined,
  prices: PriceTable,
): CostEstimate | undefined {
  const match = priceFor(model, prices);
  if (!match) return undefined;
  const usd = (usage.inputTokens * match.price.input + usage.outputTokens * match.price.output) / 1_000_000;
  return { usd, priceKey: match.key, isEstimate: true, label: costLabel(usd) };
}
