// The `generators.prices` setting: per-model prices for the panel's cost estimates.
import * as vscode from 'vscode';
import { readPriceTable, type PriceTable } from '../../core/costEstimate';
import { SECTION } from '../platform/settings';

/**
 * Reads the prices at call time (so edits apply to the next reply). A malformed table is reported once per
 * distinct problem and gives no estimates rather than wrong ones.
 */
export function priceReader(log: Pick<vscode.LogOutputChannel, 'warn'>): () => PriceTable {
  let reported: string | undefined;
  return () => {
    try {
      return readPriceTable(vscode.workspace.getConfiguration(SECTION).get<unknown>('prices'));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== reported) log.warn(`Cost estimates are off: ${message}`);
      reported = message;
      return {};
    }
  };
}
