// One Chat Completions call, streamed or not, shared by the OpenAI, Azure OpenAI and AIMLAPI generators.
import type { OpenAI } from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ChatMessage } from '../../core/chatMessage';
import { ConfigurationError, GeneratorError, throwIfAborted } from '../../core/errors';
import { chatMessageFromChunks } from '../../core/streamAssembly';
import type { ComponentInfo, StreamingCallback, StreamingChunk } from '../../core/streamingChunk';
import type { Tool } from '../../core/tool';
import { toOpenAIMessage } from './chatCompletionsMessages';
import { ChatCompletionChunkConverter, completionToMessages } from './chatCompletionsWire';
import { unreadableReplyError, type ProviderContext } from './openAIConnection';
import { sdkCall } from './sdkCall';
import { toOpenAITools, type StrictSchema } from './strictToolSchema';

export interface ChatCompletionsRequest {
  model: string;
  messages: ChatMessage[];
  /** Already merged (init-time, then run-time); sent as given. */
  generationKwargs: Record<string, unknown>;
  tools: Tool[];
  toolsStrict: boolean;
  /** How `tools_strict` rewrites a tool's schema; Haystack's recursive strict schema by default. */
  strictSchema?: StrictSchema;
  streamingCallback?: StreamingCallback;
  signal?: AbortSignal;
  /** Per-request headers (AIMLAPI's `extra_headers`). */
  headers?: Record<string, string>;
  componentInfo: ComponentInfo;
  /** A stream that sends nothing for this long is aborted with a timeout error. */
  idleTimeoutMs: number;
  context: ProviderContext;
}

/** The JSON body sent to `/chat/completions`, as Haystack's `_prepare_api_call` builds it. */
export function buildChatCompletionsBody(
  request: Omit<ChatCompletionsRequest, 'signal' | 'context' | 'componentInfo' | 'idleTimeoutMs'>,
): Record<string, unknown> {
  const { n = 1, ...kwargs } = request.generationKwargs;
  const streaming = request.streamingCallback !== undefined;
  if (streaming && typeof n === 'number' && n > 1) {
    throw new ConfigurationError('generation_kwargs.n', 'Cannot stream multiple responses, please set n=1.');
  }
  const body: Record<string, unknown> = {
    model: request.model,
    messages: request.messages.map((m, i) => toOpenAIMessage(m, i)),
    stream: streaming,
    n,
    ...(request.tools.length > 0
      ? { tools: toOpenAITools(request.tools, request.toolsStrict, request.strictSchema) }
      : {}),
    ...kwargs,
  };
  // Usage arrives in a final chunk only when asked for; the user's own stream_options win.
  if (streaming && body.stream_options === undefined) body.stream_options = { include_usage: true };
  return body;
}

/** Sends the request and returns one reply per choice; streams chunks to the callback when one is given. */
export async function runChatCompletions(client: OpenAI, request: ChatCompletionsRequest): Promise<ChatMessage[]> {
  throwIfAborted(request.signal);
  const body = buildChatCompletionsBody(request);
  const streamingCallback = request.streamingCallback;
  return sdkCall(request, async ({ signal, each }) => {
    if (!streamingCallback) {
      const completion = (await client.chat.completions.create(body as never, { signal, headers: request.headers })) as
        ChatCompletion | undefined;
      if (!isChatCompletion(completion)) throw unreadableReplyError(request.context);
      return completionToMessages(completion);
    }
    const stream = (await client.chat.completions.create(body as never, {
      signal,
      headers: request.headers,
    })) as unknown as AsyncIterable<ChatCompletionChunk>;
    const converter = new ChatCompletionChunkConverter(request.componentInfo);
    const chunks: StreamingChunk[] = [];
    await each(stream, (event) => {
      // Once the caller cancels, nothing more is delivered, even chunks the SDK had already buffered.
      throwIfAborted(request.signal);
      const chunk = converter.convert(event);
      chunks.push(chunk);
      return streamingCallback(chunk);
    });
    if (chunks.length === 0)
      throw new GeneratorError(`${request.context.provider} closed the stream without sending anything. Try again.`, {
        code: 'server',
        isRetryable: true,
      });
    return [chatMessageFromChunks(chunks)];
  });
}

/** The fields `completionToMessages` reads: a list of choices, each with a message. */
function isChatCompletion(value: ChatCompletion | undefined): value is ChatCompletion {
  return (
    Array.isArray(value?.choices) &&
    value.choices.every((choice) => typeof choice?.message === 'object' && choice.message !== null)
  );
}
