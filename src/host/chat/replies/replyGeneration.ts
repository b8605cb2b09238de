// One reply from one generator for a conversation: the request a chat or text generator gets, streamed chunks
// applied to the reply, the final reply and its stats. Shared by the chat controller and compare mode.
import { GeneratorError } from '../../../core/errors';
import type { Generator } from '../../../core/generator';
import type { StreamingChunk } from '../../../core/streamingChunk';
import type { Conversation, ConversationMessage } from '../../../shared/protocol';
import { schemaRequestKwargs } from '../../structuredOutput/conversationSchema';
import { toChatMessages, toTextPrompt } from '../conversations/conversationMessages';
import { generationKwargsFor } from './generationSettings';
import { applyFinalChatReply, statsFromMeta } from './replyAssembly';

export interface ReplyGeneration {
  /** The configured generator's name, for messages and stats. */
  name: string;
  generator: Generator;
  /** Its settings and response schema apply to the request. */
  conversation: Pick<Conversation, 'settings' | 'responseSchema'>;
  /** The messages before the reply. */
  history: readonly ConversationMessage[];
  /** Filled in with the final text and stats. */
  reply: ConversationMessage;
  onChunk: (chunk: StreamingChunk) => void;
  signal: AbortSignal;
  /** True once the request has ended (stopped): a result arriving later is dropped. */
  isFinished: () => boolean;
}

/** Runs the generator on the history; throws a GeneratorError for generators or inputs the panel cannot use. */
export async function generateReply({
  name,
  generator,
  conversation,
  history,
  reply,
  onChunk,
  signal,
  isFinished,
}: ReplyGeneration): Promise<void> {
  const streamingCallback = onChunk;
  const settings = conversation.settings;
  const generationKwargs = generationKwargsFor(generator.typeName, settings);
  if (conversation.responseSchema)
    Object.assign(generationKwargs, schemaRequestKwargs(name, generator, conversation.responseSchema));
  if (generator.kind === 'chat') {
    if (!generator.acceptsImages && history.some((m) => m.images?.length)) {
      throw new GeneratorError(
        `"${name}" does not accept images. Remove the image or pick a generator whose model reads images.`,
        { code: 'bad_request' },
      );
    }
    const result = await generator.run(toChatMessages(history, settings.systemPrompt), {
      streamingCallback,
      generationKwargs,
      signal,
    });
    if (isFinished()) return;
    applyFinalChatReply(reply, result.replies[0]);
    reply.stats = statsFromMeta(name, result.replies[0]?.meta, result.meta);
  } else if (generator.kind === 'text') {
    if (history.some((m) => m.images?.length)) {
      throw new GeneratorError(
        `"${name}" is a text generator and does not accept images. Remove the image or pick a chat generator that reads images.`,
        { code: 'bad_request' },
      );
    }
    const result = await generator.run(toTextPrompt(history), {
      systemPrompt: settings.systemPrompt,
      streamingCallback,
      generationKwargs,
      signal,
    });
    if (isFinished()) return;
    if (result.replies[0] !== undefined) reply.text = result.replies[0];
    reply.stats = statsFromMeta(name, result.meta[0], undefined);
  } else {
    throw new GeneratorError(`"${name}" is an image generator; the chat panel needs a chat or text generator.`, {
      code: 'configuration',
    });
  }
}
