// Text generation replies (TGI's /generate and /generate_stream, or a provider's completions) -> replies, meta and
// StreamingChunks, after Haystack's HuggingFaceAPIGenerator.
import type { ComponentInfo, StreamingChunk } from '../../core/streamingChunk';
import { hfFinishReason } from './huggingFaceApiChatFormat';

/** TGI's `details`, in a full reply or on the last streamed event. */
export interface HFTextDetails {
  finish_reason?: string;
  generated_tokens?: number;
  tokens?: unknown[];
  [key: string]: unknown;
}

/** TGI's GenerateResponse (the library returns Inference Providers' completions in the same shape). */
export interface HFTextGenerationReply {
  generated_text: string;
  details?: HFTextDetails | null;
}

/** One streamed event: TGI's StreamResponse, or an OpenAI-style completion chunk from an Inference Provider. */
export interface HFTextStreamEvent {
  token?: { id: number; text: string; logprob?: number | null; special: boolean };
  details?: HFTextDetails | null;
  choices?: { text?: string; finish_reason?: string | null }[];
  model?: string;
  usage?: { completion_tokens?: number } | null;
}

/** Reply and meta of a non-streamed generation: `model`, TGI's `finish_reason` and the generated token count. */
export function textReplyFromResponse(
  response: HFTextGenerationReply | HFTextGenerationReply[],
  model: string,
): { reply: string; meta: Record<string, unknown> } {
  // TGI's compatibility route answers with a list of one.
  const reply = Array.isArray(response) ? response[0] : response;
  const details = reply?.details ?? undefined;
  return {
    reply: reply?.generated_text ?? '',
    meta: {
      model,
      finish_reason: details?.finish_reason ?? null,
      usage: { completion_tokens: details ? (details.tokens?.length ?? details.generated_tokens ?? 0) : 0 },
    },
  };
}

/**
 * Turns streamed events into StreamingChunks and remembers what the final meta needs. Special tokens (TGI's `</s>`)
 * are not delivered, as in Haystack, but the `details` they carry still count.
 */
export class TextStreamAssembler {
  private finishReason: string | null = null;
  private completionTokens = 0;
  private firstChunkAt: string | null = null;
  private delivered = 0;

  constructor(private readonly componentInfo: ComponentInfo) {}

  async *chunks(events: AsyncIterable<HFTextStreamEvent>): AsyncGenerator<StreamingChunk> {
    for await (const event of events) {
      const chunk = this.convert(event);
      if (chunk) yield chunk;
    }
  }

  /** Haystack's streamed meta: `finish_reason`, `model`, `usage.completion_tokens`, `completion_start_time`. */
  meta(model: string): Record<string, unknown> {
    return {
      finish_reason: this.finishReason,
      model,
      usage: { completion_tokens: this.completionTokens },
      completion_start_time: this.firstChunkAt,
    };
  }

  private convert(event: HFTextStreamEvent): StreamingChunk | undefined {
    let content: string;
    let meta: Record<string, unknown>;
    let rawFinish: string | null | undefined;
    if (event.token) {
      rawFinish = event.details?.finish_reason;
      if (event.details) this.completionTokens = event.details.generated_tokens ?? this.completionTokens;
      if (rawFinish) this.finishReason = rawFinish;
      if (event.token.special) return undefined;
      content = event.token.text;
      meta = { ...event.token, ...(event.details ?? {}) };
    } else {
      const choice = event.choices?.[0];
      rawFinish = choice?.finish_reason;
      if (rawFinish) this.finishReason = rawFinish;
      if (event.usage?.completion_tokens !== undefined) this.completionTokens = event.usage.completion_tokens;
      content = choice?.text ?? '';
      meta = { model: event.model ?? null, finish_reason: rawFinish ?? null };
    }
    this.firstChunkAt ??= new Date().toISOString();
    const chunk: StreamingChunk = {
      content,
      meta,
      componentInfo: this.componentInfo,
      index: 0,
      start: this.delivered === 0,
    };
    const finishReason = hfFinishReason(rawFinish);
    if (finishReason) chunk.finishReason = finishReason;
    this.delivered += 1;
    return chunk;
  }
}
