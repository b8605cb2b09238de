// Runs a chat or text generator on a system + user prompt and streams its text: the one code path the editor
// commands share. Records what the request log needs (timings, model, usage), never the prompt.
import { ChatMessage } from '../../core/chatMessage';
import { GeneratorError } from '../../core/errors';
import type { Generator } from '../../core/generator';
import type { StreamingChunk } from '../../core/streamingChunk';
import type { PromptPair } from './selectionPrompts';

/** What a finished text request reports, for the log and the UI. */
export interface TextRequestOutcome {
  text: string;
  model?: string;
  finishReason?: string;
  usage?: Record<string, unknown>;
  /** Milliseconds from start to the first streamed text, when anything streamed. */
  firstTokenMs?: number;
  totalMs: number;
}

export interface TextRequestOptions {
  /** Receives each piece of text as it streams; a returned promise is awaited before the next one. */
  onText?: (text: string) => void | Promise<void>;
  signal?: AbortSignal;
  generationKwargs?: Record<string, unknown>;
}

export async function runTextRequest(
  generator: Generator,
  prompt: PromptPair,
  options: TextRequestOptions = {},
): Promise<TextRequestOutcome> {
  const started = performance.now();
  let firstTokenMs: number | undefined;
  const streamingCallback = async (chunk: StreamingChunk) => {
    if (!chunk.content) return;
    firstTokenMs ??= performance.now() - started;
    await options.onText?.(chunk.content);
  };
  const common = { streamingCallback, signal: options.signal, generationKwargs: options.generationKwargs };
  if (generator.kind === 'chat') {
    const messages = [ChatMessage.fromSystem(prompt.system), ChatMessage.fromUser(prompt.user)];
    const { replies } = await generator.run(messages, common);
    const reply = replies[0];
    const meta = reply?.meta ?? {};
    return finish(reply?.text ?? '', meta, started, firstTokenMs);
  }
  if (generator.kind === 'text') {
    const result = await generator.run(prompt.user, { ...common, systemPrompt: prompt.system });
    return finish(result.replies[0] ?? '', result.meta[0] ?? {}, started, firstTokenMs);
  }
  throw new GeneratorError(
    `"${generator.typeName.split('.').at(-1)}" generates images, not text: pick a chat or text generator.`,
    { code: 'configuration' },
  );
}

function finish(
  text: string,
  meta: Record<string, unknown>,
  started: number,
  firstTokenMs: number | undefined,
): TextRequestOutcome {
  const outcome: TextRequestOutcome = { text, totalMs: performance.now() - started, firstTokenMs };
  if (typeof meta.model === 'string') outcome.model = meta.model;
  if (typeof meta.finish_reason === 'string') outcome.finishReason = meta.finish_reason;
  if (typeof meta.usage === 'object' && meta.usage !== null) outcome.usage = meta.usage as Record<string, unknown>;
  return outcome;
}
