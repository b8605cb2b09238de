// The shared run of an editor command: pick the generator, show cancellable progress, stream, log.
import type { Generator } from '../../core/generator';
import { isCancellation } from '../platform/errorNotifications';
import { logRequest } from '../platform/requestLog';
import { pickGeneratorName } from '../registry/pickGenerator';
import type { PromptPair } from './selectionPrompts';
import { logPromptsEnabled } from '../platform/settings';
import { runTextRequest, type TextRequestOutcome } from './textRequest';
import { withCancellableProgress } from '../platform/cancellableProgress';
import type { CommandContext } from '../platform/commandContext';

export interface TextCommandRun {
  /** Command id without the `generators.` prefix, for the log. */
  command: string;
  title: string;
  prompt: PromptPair;
  /** A generator name given as a command argument. */
  generator?: string;
  onText?: (text: string) => void | Promise<void>;
  /** Opens where the text goes, once a generator is chosen (so a dismissed pick leaves nothing behind). */
  openTarget?: () => Promise<(text: string) => void | Promise<void>>;
}

/** The outcome; `stopped` when the user cancelled (the text is what streamed until then). */
export type TextCommandResult =
  (TextRequestOutcome & { stopped: false; generator: string }) | { stopped: true; text: string; generator: string };

/** Runs a text request for a command; undefined when the user dismissed the generator pick. */
export async function runTextCommand(ctx: CommandContext, run: TextCommandRun): Promise<TextCommandResult | undefined> {
  const kinds: Generator['kind'][] = ['chat', 'text'];
  const name = await pickGeneratorName(ctx.registry, { kinds, name: run.generator });
  if (!name) return undefined;
  const generator = ctx.registry.get(name);
  const onText = run.onText ?? (await run.openTarget?.());
  let streamed = '';
  const promptText = `${run.prompt.system}\n\n${run.prompt.user}`;
  try {
    const outcome = await withCancellableProgress(`${run.title} with ${name}`, ctx.requests, (signal, progress) =>
      runTextRequest(generator, run.prompt, {
        signal,
        onText: async (text) => {
          streamed += text;
          progress.report({ message: `${streamed.length} characters` });
          await onText?.(text);
        },
      }),
    );
    logRequest(ctx.log, { command: run.command, generator: name, ...outcome, prompt: promptText }, logPromptsEnabled());
    return { ...outcome, stopped: false, generator: name };
  } catch (error) {
    logRequest(ctx.log, { command: run.command, generator: name, error, prompt: promptText }, logPromptsEnabled());
    if (isCancellation(error)) return { stopped: true, text: streamed, generator: name };
    throw error;
  }
}
