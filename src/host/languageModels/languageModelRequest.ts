// One request of VS Code's language model API, run by a configured generator: the messages, options and tools
// converted, the generator run with the request's AbortSignal, its reply reported part by part.
import { ChatMessage } from '../../core/chatMessage';
import { GeneratorError } from '../../core/errors';
import type { Generator } from '../../core/generator';
import type { ComponentDict } from '../../core/serialization';
import { HuggingFaceLocalChatGenerator } from '../../generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { capabilitiesOf } from './generatorCapabilities';
import type { LmMessage, LmResponsePart, LmTool } from './lmParts';
import { ReplyParts } from './replyParts';
import { applyToolMode, generationKwargsFrom, TOOL_MODE_REQUIRED, toolsFrom } from './requestOptions';
import { hasImages, toChatMessages, toPromptForm } from './toHaystackMessages';

/** A request as the provider received it, in plain form. */
export interface LanguageModelRequest {
  /** The generator's configured name, for error messages. */
  name: string;
  generator: Generator;
  /** Its settings entry, which its capabilities are read from. */
  component: ComponentDict;
  messages: readonly LmMessage[];
  modelOptions?: Readonly<Record<string, unknown>>;
  tools?: readonly LmTool[];
  /** VS Code's tool mode: 1 Auto, 2 Required. */
  toolMode: number;
  signal: AbortSignal;
  /** Receives the reply's parts in order; the request resolves after the last one. */
  emit(part: LmResponsePart): void;
}

/** Runs the request; failures are GeneratorErrors (a cancelled request: code `cancelled`). */
export async function runLanguageModelRequest(request: LanguageModelRequest): Promise<void> {
  const { name, generator, messages, signal } = request;
  const capabilities = capabilitiesOf(request.component);
  if (!capabilities.imageInput && hasImages(messages)) {
    throw new GeneratorError(
      `"${name}" does not accept images. Remove the image or pick a generator whose model reads images.`,
      { code: 'bad_request' },
    );
  }
  const generationKwargs = generationKwargsFrom(request.modelOptions);
  const parts = new ReplyParts(request.emit);
  if (generator.kind === 'chat') {
    // The caller's tools replace the generator's configured ones: a call must name a tool the caller can run.
    const tools = toolsFrom(request.tools);
    applyToolMode(generationKwargs, request.toolMode, tools, { name, ...capabilities });
    // A local model cannot stream while it is offered tools (its reply is parsed for calls): it answers whole.
    const streams = !(generator instanceof HuggingFaceLocalChatGenerator && tools.length > 0);
    const result = await generator.run(toChatMessages(messages), {
      streamingCallback: streams ? (chunk) => parts.onChunk(chunk) : undefined,
      generationKwargs,
      tools,
      signal,
    });
    parts.finish(result.replies[0], result.meta);
  } else if (generator.kind === 'text') {
    if (request.toolMode === TOOL_MODE_REQUIRED && (request.tools?.length ?? 0) > 0) {
      throw new GeneratorError(`"${name}" is a text generator and cannot call tools. Pick a chat generator.`, {
        code: 'bad_request',
      });
    }
    const { prompt, systemPrompt } = toPromptForm(messages);
    const result = await generator.run(prompt, {
      systemPrompt,
      streamingCallback: (chunk) => parts.onChunk(chunk),
      generationKwargs,
      signal,
    });
    const text = result.replies[0];
    parts.finish(text === undefined ? undefined : ChatMessage.fromAssistant(text), undefined);
  } else {
    throw new GeneratorError(`"${name}" generates images; VS Code's chat needs a chat or text generator.`, {
      code: 'configuration',
    });
  }
}
