// `provideTokenCount`: a local model's own tokenizer, in the worker, when that model is loaded; the documented
// estimate otherwise.
import type { Generator } from '../../core/generator';
import { HuggingFaceLocalChatGenerator } from '../../generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { HuggingFaceLocalGenerator } from '../../generators/huggingFaceLocal/huggingFaceLocalGenerator';
import { toPipelineSpec } from '../../generators/huggingFaceLocal/huggingFaceLocalPipeline';
import { localModelWorker } from '../../generators/huggingFaceLocal/localModels';
import type { LmMessage } from './lmParts';
import { estimateMessageTokens, estimateTextTokens } from './tokenEstimate';

/**
 * Counts `input` for `generator` (undefined: a generator that cannot be built, which gets the estimate); never starts
 * the worker or loads a model to do so.
 */
export async function countTokens(
  generator: Generator | undefined,
  input: string | LmMessage,
  signal?: AbortSignal,
): Promise<number> {
  if (typeof input === 'string')
    return (await countWithLocalTokenizer(generator, input, signal)) ?? estimateTextTokens(input);
  const texts = input.content.flatMap((part) => (part.kind === 'text' ? [part.text] : []));
  const exact = await countWithLocalTokenizer(generator, texts.join(''), signal);
  if (exact === undefined) return estimateMessageTokens(input);
  // The text by the tokenizer; the other parts (tool calls, images) and the chat template's markers estimated.
  return exact + estimateMessageTokens({ ...input, content: input.content.filter((part) => part.kind !== 'text') });
}

async function countWithLocalTokenizer(
  generator: Generator | undefined,
  text: string,
  signal: AbortSignal | undefined,
): Promise<number | undefined> {
  // The local generators' tokenizer is the one their worker pipeline loaded; remote APIs' are the providers' own.
  if (!(generator instanceof HuggingFaceLocalChatGenerator || generator instanceof HuggingFaceLocalGenerator))
    return undefined;
  try {
    return await localModelWorker().countTokens(toPipelineSpec(generator.huggingfacePipelineKwargs), text, signal);
  } catch {
    // A worker that fails to count (it crashed, the model's load failed) leaves the estimate, which is always there.
    return undefined;
  }
}
