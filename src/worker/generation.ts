// One generation in the worker: renders the prompt, runs the pipeline with a streamer that tracks the new tokens
// and a stopping criterion that ends generation on a stop word or a cancel request, then counts usage.
import type { GenerateRequest, GenerateResult, GeneratedReply } from './localModelProtocol';
import { loadTransformers, type LoadedPipeline, type LocalTokenizer } from './pipelineCache';
import { cutAtStopWord, firstStopWordIndex, streamableText } from './stopWords';
import { WorkerRequestError } from './workerRequestError';

/** How a running generation talks back: streamed text, and whether the host cancelled it. */
export interface GenerationHooks {
  isCancelled(): boolean;
  onText(text: string): void;
}

/** A finished generation, or how far a cancelled one got before the stopping criterion ended it. */
export type GenerationOutcome =
  { kind: 'done'; result: GenerateResult } | { kind: 'cancelled'; completionTokens: number };

// A stop word of n characters spans at most 4n byte-level tokens; decoding a window this long finds it.
const TOKENS_PER_CHARACTER_BOUND = 4;

/** Runs one request on a loaded pipeline; streamed text goes to `hooks.onText` as it becomes safe to show. */
export async function generate(
  loaded: LoadedPipeline,
  request: GenerateRequest,
  hooks: GenerationHooks,
): Promise<GenerationOutcome> {
  const tf = await loadTransformers();
  const { pipeline, task } = loaded;
  const tokenizer = pipeline.tokenizer;
  const prompt = renderPrompt(tokenizer, request);
  const { return_full_text: returnFullText, ...kwargs } = request.generationKwargs;
  const stopWords = request.stopWords;
  const longestStopWord = Math.max(0, ...stopWords.map((w) => w.length));

  // Rows of generated token ids, filled by the streamer; transformers.js first hands it the prompt (or, for
  // encoder-decoder models, the decoder start ids), which is not generated text.
  const generated: bigint[][] = [];
  let promptSeen = false;
  let streamedLength = 0;
  let stoppedByWord = false;

  class TokenTracker extends tf.BaseStreamer {
    override put(value: bigint[][]): void {
      if (!promptSeen) {
        promptSeen = true;
        return;
      }
      value.forEach((row, i) => (generated[i] ??= []).push(...row));
      if (request.stream) emitStreamable();
    }
    override end(): void {
      if (request.stream && !hooks.isCancelled()) emitStreamable(true);
    }
  }

  const emitStreamable = (final = false) => {
    const text = tokenizer.decode(generated[0] ?? [], { skip_special_tokens: true });
    const visible =
      final && firstStopWordIndex(text, stopWords) === -1
        ? text.replace(/\uFFFD+$/, '')
        : streamableText(text, stopWords);
    if (visible.length > streamedLength) {
      hooks.onText(visible.slice(streamedLength));
      streamedLength = visible.length;
    }
  };

  class StopOnWordOrCancel extends tf.StoppingCriteria {
    // Typed `number[][]` by transformers.js; the rows are only counted here.
    override _call(inputIds: number[][]): boolean[] {
      if (hooks.isCancelled()) return inputIds.map(() => true);
      if (stopWords.length === 0) return inputIds.map(() => false);
      return inputIds.map((_, row) => {
        const tail = (generated[row] ?? []).slice(-(longestStopWord * TOKENS_PER_CHARACTER_BOUND + 1));
        const found = firstStopWordIndex(tokenizer.decode(tail, { skip_special_tokens: true }), stopWords) !== -1;
        if (found) stoppedByWord = true;
        return found;
      });
    }
  }

  const criteria = new tf.StoppingCriteriaList();
  criteria.push(new StopOnWordOrCancel());
  const callKwargs: Record<string, unknown> = { ...kwargs, streamer: new TokenTracker(), stopping_criteria: criteria };
  // Decoder pipelines (image-text-to-text runs on one) return the prompt too unless told not to.
  const decoder = task !== 'text2text-generation';
  if (decoder) callKwargs.return_full_text = false;
  if (request.stream) callKwargs.num_return_sequences = 1;

  const output = await pipeline(prompt, callKwargs);
  if (hooks.isCancelled()) return { kind: 'cancelled', completionTokens: generated[0]?.length ?? 0 };

  const texts = readGeneratedTexts(output);
  const replies: GeneratedReply[] = texts.map((raw) => {
    const cut = cutAtStopWord(raw, stopWords);
    const text = returnFullText === true && decoder ? prompt + cut.text : cut.text;
    return {
      text,
      completionTokens: countTokens(tokenizer, cut.text),
      stoppedByStopWord: cut.stopped || stoppedByWord,
    };
  });
  return { kind: 'done', result: { replies, promptTokens: countTokens(tokenizer, prompt), prompt, task } };
}

function renderPrompt(tokenizer: LocalTokenizer, request: GenerateRequest): string {
  const { input } = request;
  if (input.kind === 'text') return input.prompt;
  const options: Record<string, unknown> = { tokenize: false, add_generation_prompt: true };
  if (input.chatTemplate !== undefined) options.chat_template = input.chatTemplate;
  if (input.tools && input.tools.length > 0) options.tools = input.tools;
  if (input.enableThinking !== undefined) options.enable_thinking = input.enableThinking;
  try {
    const prompt = tokenizer.apply_chat_template(input.messages, options);
    if (typeof prompt !== 'string') throw new Error('the chat template did not produce text');
    return prompt;
  } catch (error) {
    throw new WorkerRequestError(
      `Could not render the chat template for "${request.pipeline.model}": ${error instanceof Error ? error.message : String(error)}. ` +
        'Set chat_template to a Jinja template if the model has none.',
      'configuration',
    );
  }
}

/** `[{generated_text}]`, or one list per input for batched calls. */
function readGeneratedTexts(output: unknown): string[] {
  const rows = Array.isArray(output) ? output.flat() : [output];
  return rows.map((row) => {
    const text = (row as { generated_text?: unknown } | undefined)?.generated_text;
    return typeof text === 'string' ? text : '';
  });
}

/** Usage as Haystack counts it: the text re-encoded without special tokens. */
function countTokens(tokenizer: LocalTokenizer, text: string): number {
  return text === '' ? 0 : tokenizer.encode(text, { add_special_tokens: false }).length;
}
