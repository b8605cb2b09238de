// What every Chat Completions generator (OpenAI, AIMLAPI, Azure OpenAI) does the same way: hold the model, kwargs,
// tools and streaming callback, and run one Chat Completions call on its connection.
import type { OpenAI } from 'openai';
import { normalizeMessages, type ChatMessage } from '../../core/chatMessage';
import {
  mergeGenerationKwargs,
  type ChatGenerator,
  type ChatGeneratorResult,
  type ChatRunOptions,
} from '../../core/generator';
import { selectStreamingCallback, type CallbackReference, type ComponentDict } from '../../core/serialization';
import { flattenTools, type ToolsType } from '../../core/tool';
import type { ProviderContext } from '../shared/providerErrors';
import { runChatCompletions } from './chatCompletionsRun';
import { makeSchemaStrict, type StrictSchema } from './strictToolSchema';

/** What a Chat Completions generator needs from its provider's connection. */
export interface ChatCompletionsConnection {
  /** The client for the current credentials; throws a missing_secret error before any request when there are none. */
  client(): Promise<OpenAI>;
  context(): ProviderContext;
  /** Also the idle limit of a stream. */
  readonly timeoutSeconds: number;
}

/** The init parameters every Chat Completions generator takes besides its connection's. */
export interface ChatCompletionsOptions {
  streamingCallback?: CallbackReference;
  generationKwargs?: Record<string, unknown>;
  tools?: ToolsType;
  toolsStrict?: boolean;
}

/** A chat generator on the Chat Completions API of some provider; subclasses bring the connection and the dict. */
export abstract class ChatCompletionsGenerator implements ChatGenerator {
  readonly kind = 'chat' as const;
  readonly acceptsImages: boolean = true;
  readonly streamingCallback?: CallbackReference;
  readonly generationKwargs: Record<string, unknown>;
  readonly tools?: ToolsType;
  readonly toolsStrict: boolean;
  protected abstract readonly connection: ChatCompletionsConnection;

  constructor(
    readonly model: string,
    options: ChatCompletionsOptions,
  ) {
    this.streamingCallback = options.streamingCallback;
    this.generationKwargs = { ...options.generationKwargs };
    this.tools = options.tools;
    this.toolsStrict = options.toolsStrict ?? false;
    // A duplicate tool name is a configuration mistake: report it now rather than on the first run.
    flattenTools(this.tools);
  }

  get typeName(): string {
    return (this.constructor as unknown as { typeName: string }).typeName;
  }

  /** Tools need no preparation in the editor; kept for Haystack's lifecycle. */
  async warmUp(): Promise<void> {}

  async run(messages: ChatMessage[] | string, options: ChatRunOptions = {}): Promise<ChatGeneratorResult> {
    const conversation = normalizeMessages(messages);
    if (conversation.length === 0) return { replies: [] };
    const client = await this.connection.client();
    const replies = await runChatCompletions(client, {
      model: this.model,
      messages: conversation,
      generationKwargs: mergeGenerationKwargs(this.generationKwargs, options.generationKwargs),
      tools: flattenTools(options.tools ?? this.tools),
      toolsStrict: options.toolsStrict ?? this.toolsStrict,
      strictSchema: this.strictSchema,
      streamingCallback: selectStreamingCallback(this.streamingCallback, options.streamingCallback),
      signal: options.signal,
      headers: this.requestHeaders(),
      componentInfo: { type: this.typeName },
      idleTimeoutMs: this.connection.timeoutSeconds * 1000,
      context: this.connection.context(),
    });
    return { replies };
  }

  abstract toDict(): ComponentDict;

  /** How `tools_strict` rewrites a tool's schema: Haystack 2.29+'s recursive strict schema. */
  protected get strictSchema(): StrictSchema {
    return makeSchemaStrict;
  }

  /** Headers sent with every request besides the connection's own (AIMLAPI's attribution headers). */
  protected requestHeaders(): Record<string, string> | undefined {
    return undefined;
  }
}
