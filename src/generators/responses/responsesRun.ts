// One Responses API call, streamed or not, shared by the OpenAI and Azure Responses generators.
import type { OpenAI } from 'openai';
import type {
  ResponseCreateParamsNonStreaming,
  ResponseCreateParamsStreaming,
} from 'openai/resources/responses/responses';
import type { ChatMessage } from '../../core/chatMessage';
import { consumeStream } from '../../core/streamAssembly';
import type { ComponentInfo, StreamingCallback } from '../../core/streamingChunk';
import { unreadableReplyError, type ProviderContext } from '../openai/openAIConnection';
import { sdkCall } from '../openai/sdkCall';
import { responseToChatMessage } from './responsesOutput';
import { chatMessageFromResponsesChunks, responsesEventsToChunks } from './responsesStream';

export interface ResponsesCall {
  /** The request body from `buildResponsesRequest`; its `stream` flag must match `streamingCallback`. */
  body: Record<string, unknown>;
  streamingCallback?: StreamingCallback;
  signal?: AbortSignal;
  componentInfo: ComponentInfo;
  /** A stream that sends nothing for this long is aborted with a timeout error. */
  idleTimeoutMs: number;
  context: ProviderContext;
}

/** Sends the request and returns the reply; streams chunks to the callback when one is given. */
export async function runResponses(client: OpenAI, call: ResponsesCall): Promise<ChatMessage> {
  return sdkCall(call, async ({ signal, watch }) => {
    // generation_kwargs are passed through unchecked, so the body is only typed at this edge.
    if (!call.streamingCallback) {
      const response = await client.responses.create(call.body as unknown as ResponseCreateParamsNonStreaming, {
        signal,
      });
      if (!Array.isArray(response?.output)) throw unreadableReplyError(call.context);
      return responseToChatMessage(response);
    }
    const events = await client.responses.create(call.body as unknown as ResponseCreateParamsStreaming, { signal });
    const chunks = await consumeStream(
      responsesEventsToChunks(watch(events), call.componentInfo),
      call.streamingCallback,
      call.signal,
    );
    return chatMessageFromResponsesChunks(chunks);
  });
}
