// What "Export as Haystack Code" writes for a panel conversation or a configured generator. No `vscode` import.
import type { Generator } from '../../core/generator';
import { withTextFormat } from '../../generators/responses/responsesRequest';
import type { Conversation } from '../../shared/protocol';
import { schemaRequestKwargs } from '../structuredOutput/conversationSchema';
import { generationKwargsFor } from '../chat/replies/generationSettings';
import { toChatMessages, toTextPrompt } from '../chat/conversations/conversationMessages';
import type { HaystackScriptInput } from './haystackPythonExport';

/** A configured generator alone: the file runs it on a sample input. */
export function generatorScriptInput(generatorName: string, generator: Generator): HaystackScriptInput {
  return { component: generator.toDict(), kind: generator.kind, generatorName };
}

/**
 * A conversation: the file replays its messages up to the last user message (the reply after it is what running
 * the file generates again), with the conversation's settings and response schema as run-time generation_kwargs.
 */
export function conversationScriptInput(
  conversation: Conversation,
  generatorName: string,
  generator: Generator,
): HaystackScriptInput {
  const input: HaystackScriptInput = {
    ...generatorScriptInput(generatorName, generator),
    conversationTitle: conversation.title,
  };
  const lastUser = conversation.messages.map((m) => m.role).lastIndexOf('user');
  const replayed = conversation.messages.slice(0, lastUser + 1);
  if (generator.kind === 'chat') input.messages = toChatMessages(replayed, conversation.settings.systemPrompt);
  else if (replayed.length > 0)
    input.prompt = generator.kind === 'text' ? toTextPrompt(replayed) : replayed[lastUser].text;
  const kwargs = generationKwargsFor(generator.typeName, conversation.settings);
  if (conversation.responseSchema)
    Object.assign(kwargs, schemaRequestKwargs(generatorName, generator, conversation.responseSchema));
  // `text_format` is our JSON form of Haystack's Pydantic-only kwarg; Python gets the `text.format` it stands for.
  input.generationKwargs = withTextFormat(kwargs);
  return input;
}
