// Lines for the `Generators` log channel: which generator, model, timings, token usage and errors. Prompt text
// only when `generators.logPrompts` is on; key values never (they are not passed in here at all).
import { GeneratorError } from '../../core/errors';

/** The subset of `vscode.LogOutputChannel` the request log writes to. */
export interface LogSink {
  info(message: string): void;
  debug(message: string): void;
  error(message: string): void;
}

export interface RequestRecord {
  /** The registry entry name. */
  generator: string;
  command: string;
  model?: string;
  totalMs?: number;
  firstTokenMs?: number;
  usage?: Record<string, unknown>;
  finishReason?: string;
  error?: unknown;
  /** The prompt, logged only when `logPrompts` is on. */
  prompt?: string;
}

export function formatRequest(record: RequestRecord): string {
  const parts = [`${record.command} "${record.generator}"`];
  if (record.model) parts.push(`model=${record.model}`);
  if (record.totalMs !== undefined) parts.push(`total=${Math.round(record.totalMs)}ms`);
  if (record.firstTokenMs !== undefined) parts.push(`first_token=${Math.round(record.firstTokenMs)}ms`);
  if (record.finishReason) parts.push(`finish=${record.finishReason}`);
  const usage = record.usage;
  if (usage) {
    const tokens = ['prompt_tokens', 'completion_tokens', 'total_tokens']
      .filter((k) => typeof usage[k] === 'number')
      .map((k) => `${k}=${usage[k]}`);
    if (tokens.length > 0) parts.push(tokens.join(' '));
  }
  if (record.error !== undefined) parts.push(`error=${describeError(record.error)}`);
  return parts.join(' ');
}

/** Writes one request line (error level when it failed) and, if asked, the prompt at debug level. */
export function logRequest(log: LogSink, record: RequestRecord, logPrompts: boolean): void {
  const line = formatRequest(record);
  if (record.error === undefined) log.info(line);
  else log.error(line);
  if (logPrompts && record.prompt !== undefined)
    log.debug(`prompt for ${record.command} "${record.generator}":\n${record.prompt}`);
}

/** An error's code and message; GeneratorError messages are written never to contain secrets. */
export function describeError(error: unknown): string {
  if (GeneratorError.isInstance(error))
    return `[${error.code}${error.status ? ` ${error.status}` : ''}] ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
