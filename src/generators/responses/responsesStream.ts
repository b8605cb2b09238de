// The one place that turns Responses API stream events into StreamingChunks, and chunks back into the reply.
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { ChatMessage, type ReasoningContent, type ToolCall } from '../../core/chatMessage';
import { GeneratorError, type GeneratorErrorCode } from '../../core/errors';
import { parseToolArguments } from '../../core/streamAssembly';
import type { ComponentInfo, StreamingChunk } from '../../core/streamingChunk';
import { reasoningFromItem, responseFinishReason, responseMeta } from './responsesOutput';

/**
 * Converts events one by one. Content blocks are output items (`index` = `output_index`): `start` is set on the
 * first chunk of each; the last chunk (from `response.completed` / `response.incomplete`) carries the finish reason,
 * usage and, under `meta.response`, the reply meta. Events with nothing for the reply give no chunk.
 */
export class ResponsesStreamConverter {
  private readonly startedText = new Set<number>();
  private readonly summaryIndex = new Map<number, number>();
  private finished = false;

  constructor(private readonly componentInfo?: ComponentInfo) {}

  /** Whether the response's final event has been seen. */
  get isFinished(): boolean {
    return this.finished;
  }

  convert(event: ResponseStreamEvent): StreamingChunk | undefined {
    switch (event.type) {
      case 'response.output_item.added':
        if (event.item.type === 'reasoning') {
          return this.chunk({
            index: event.output_index,
            start: true,
            reasoning: { reasoningText: '', extra: { id: event.item.id, type: 'reasoning' } },
          });
        }
        if (event.item.type === 'function_call') {
          const delta = {
            index: event.output_index,
            id: event.item.id,
            toolName: event.item.name,
            extra: { call_id: event.item.call_id },
          };
          return this.chunk({ index: event.output_index, start: true, toolCalls: [delta] });
        }
        return undefined;
      case 'response.reasoning_summary_text.delta':
        return this.chunk({
          index: event.output_index,
          reasoning: { reasoningText: this.summarySeparator(event.output_index, event.summary_index) + event.delta },
        });
      case 'response.output_item.done':
        // The finished reasoning item is the one to replay (its encrypted content may be partial before).
        if (event.item.type !== 'reasoning') return undefined;
        return this.chunk({
          index: event.output_index,
          reasoning: {
            reasoningText: '',
            extra: reasoningFromItem(event.item as unknown as Record<string, unknown>).extra,
          },
        });
      case 'response.function_call_arguments.delta':
        return this.chunk({
          index: event.output_index,
          toolCalls: [{ index: event.output_index, arguments: event.delta }],
        });
      case 'response.output_text.delta': {
        const start = !this.startedText.has(event.output_index);
        this.startedText.add(event.output_index);
        return this.chunk({ index: event.output_index, start, content: event.delta });
      }
      case 'response.completed':
      case 'response.incomplete':
        this.finished = true;
        return this.finalChunk(event.response);
      case 'response.failed':
        throw streamFailure(
          event.response.error?.code ?? 'server_error',
          event.response.error?.message ?? 'the response failed.',
        );
      case 'error':
        throw streamFailure(event.code ?? 'server_error', event.message);
      default:
        return undefined;
    }
  }

  // Summaries are joined by newlines in the non-streamed reply; the first delta of each later summary carries it.
  private summarySeparator(outputIndex: number, summaryIndex: number): string {
    const previous = this.summaryIndex.get(outputIndex);
    this.summaryIndex.set(outputIndex, summaryIndex);
    return previous !== undefined && previous !== summaryIndex ? '\n' : '';
  }

  private finalChunk(response: Response): StreamingChunk {
    const chunk = this.chunk({ finishReason: responseFinishReason(response) ?? undefined });
    chunk.meta = {
      ...chunk.meta,
      model: response.model,
      usage: response.usage ?? null,
      response: responseMeta(response),
    };
    return chunk;
  }

  private chunk(fields: Partial<StreamingChunk>): StreamingChunk {
    const chunk: StreamingChunk = { content: '', meta: { received_at: new Date().toISOString() }, ...fields };
    if (this.componentInfo) chunk.componentInfo = this.componentInfo;
    return chunk;
  }
}

/**
 * The chunks of a streamed response, in order. Throws when the stream reports a failure, or ends before the
 * response finished (a dropped connection looks like a clean end to the SDK).
 */
export async function* responsesEventsToChunks(
  events: AsyncIterable<ResponseStreamEvent>,
  componentInfo?: ComponentInfo,
): AsyncGenerator<StreamingChunk> {
  const converter = new ResponsesStreamConverter(componentInfo);
  for await (const event of events) {
    const chunk = converter.convert(event);
    if (chunk) yield chunk;
  }
  if (!converter.isFinished) {
    throw new GeneratorError('The response stream ended before the response was complete. Try again.', {
      code: 'network',
      isRetryable: true,
    });
  }
}

/** The streamed reply, equal to the non-streamed one for the same response. */
export function chatMessageFromResponsesChunks(chunks: readonly StreamingChunk[]): ChatMessage {
  const text = chunks.map((c) => c.content).join('');
  const calls = new Map<number, { id?: string; name: string; arguments: string; extra: Record<string, unknown> }>();
  let reasoning: ReasoningContent | undefined;
  for (const chunk of chunks) {
    for (const delta of chunk.toolCalls ?? []) {
      const call = calls.get(delta.index) ?? { name: '', arguments: '', extra: {} };
      if (delta.id) call.id = delta.id;
      if (delta.toolName) call.name = delta.toolName;
      if (delta.arguments) call.arguments += delta.arguments;
      if (delta.extra) call.extra = { ...call.extra, ...delta.extra };
      calls.set(delta.index, call);
    }
    if (chunk.reasoning) {
      reasoning = {
        reasoningText: (reasoning?.reasoningText ?? '') + chunk.reasoning.reasoningText,
        // The last complete item wins, so the extra equals the non-streamed reply's.
        extra: chunk.reasoning.extra ?? reasoning?.extra,
      };
    }
  }
  const toolCalls: ToolCall[] = [];
  const malformed: string[] = [];
  for (const index of [...calls.keys()].sort((a, b) => a - b)) {
    const call = calls.get(index)!;
    const args = parseToolArguments(call.arguments);
    if (args === undefined) malformed.push(call.name);
    else toolCalls.push({ id: call.id, toolName: call.name, arguments: args, extra: call.extra });
  }
  const final = [...chunks].reverse().find((c) => c.meta.response);
  const meta: Record<string, unknown> = { ...((final?.meta.response as Record<string, unknown> | undefined) ?? {}) };
  if (malformed.length > 0) meta.malformed_tool_calls = malformed;
  return ChatMessage.fromAssistant(text === '' ? null : text, { toolCalls, reasoning, meta });
}

function streamFailure(code: string, message: string): GeneratorError {
  const kind: GeneratorErrorCode =
    code === 'rate_limit_exceeded' ? 'rate_limit' : code.startsWith('invalid') ? 'bad_request' : 'server';
  return new GeneratorError(`The response failed while streaming (${code}): ${message}`, {
    code: kind,
    isRetryable: kind !== 'bad_request',
  });
}
