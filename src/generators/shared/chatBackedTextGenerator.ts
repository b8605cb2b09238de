import { ChatMessage } from '../../core/chatMessage';
import type { ChatGenerator, TextGeneratorResult, TextRunOptions } from '../../core/generator';
import type { StreamingCallback } from '../../core/streamingChunk';

/**
 * The text generators of the OpenAI family are a prompt (plus optional system prompt) sent as a chat:
 * Haystack's OpenAIGenerator builds the same two messages. Replies become strings, their meta a list.
 */
export async function runPromptAsChat(
  chat: ChatGenerator,
  typeName: string,
  prompt: string,
  initSystemPrompt: string | undefined,
  options: TextRunOptions,
): Promise<TextGeneratorResult> {
  const systemPrompt = options.systemPrompt ?? initSystemPrompt;
  const messages = [
    ...(systemPrompt !== undefined ? [ChatMessage.fromSystem(systemPrompt)] : []),
    ChatMessage.fromUser(prompt),
  ];
  const callback = options.streamingCallback;
  const relabelled: StreamingCallback | undefined =
    callback && ((chunk) => callback({ ...chunk, componentInfo: { type: typeName } }));
  const { replies } = await chat.run(messages, {
    streamingCallback: relabelled,
    generationKwargs: options.generationKwargs,
    signal: options.signal,
  });
  return { replies: replies.map((reply) => reply.text ?? ''), meta: replies.map((reply) => ({ ...reply.meta })) };
}
