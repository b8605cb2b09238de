// How a cost is written, in the core (every CostEstimate carries its label) and in the webview (conversation
// totals). A leaf with no imports, so that src/shared can re-export it to the webview without pulling in the core.

/** Dollars with enough digits that small per-reply costs do not all show as $0.00. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toPrecision(2)}`;
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/** The only way a cost is shown: approximate and labelled an estimate. */
export function costLabel(usd: number): string {
  return `≈ ${formatUsd(usd)} (estimate)`;
}
