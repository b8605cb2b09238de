import type { ChatMessage } from './chatMessage';
import type { ComponentDict } from './serialization';
import type { StreamingCallback } from './streamingChunk';
import type { ToolsType } from './tool';

/** Options of a chat generator's `run`, mirroring Haystack's keyword arguments. */
export interface ChatRunOptions {
  streamingCallback?: StreamingCallback;
  /** Merged over the init-time `generation_kwargs`, key by key; sent to the provider as given (snake_case). */
  generationKwargs?: Record<string, unknown>;
  /** Replaces the init-time tools for this run. */
  tools?: ToolsType;
  toolsStrict?: boolean;
  signal?: AbortSignal;
}

export interface ChatGeneratorResult {
  replies: ChatMessage[];
  /** Extra result data some generators return (FallbackChatGenerator's attempt report). */
  meta?: Record<string, unknown>;
}

/** Options of a text generator's `run`. */
export interface TextRunOptions {
  systemPrompt?: string;
  streamingCallback?: StreamingCallback;
  generationKwargs?: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface TextGeneratorResult {
  replies: string[];
  meta: Record<string, unknown>[];
}

export interface ImageRunOptions {
  size?: string;
  quality?: string;
  responseFormat?: 'url' | 'b64_json';
  signal?: AbortSignal;
}

export interface ImageGeneratorResult {
  /** URLs or base64 strings, as `response_format` asked. */
  images: string[];
  revisedPrompt: string;
}

/** What every generator has: Haystack's component lifecycle. */
export interface Component {
  /** Haystack's type string, e.g. `haystack.components.generators.chat.openai.OpenAIChatGenerator`. */
  readonly typeName: string;
  /** Prepares expensive resources (tools, local models). Idempotent. */
  warmUp(): Promise<void>;
  toDict(): ComponentDict;
  /** Releases processes or connections the generator holds; the generator may be used again afterwards. */
  shutdown?(): Promise<void>;
}

export interface ChatGenerator extends Component {
  readonly kind: 'chat';
  /** Whether user messages may carry images for this generator's model family. */
  readonly acceptsImages?: boolean;
  /** A string is one user message, as in Haystack 2.30+. */
  run(messages: ChatMessage[] | string, options?: ChatRunOptions): Promise<ChatGeneratorResult>;
}

export interface TextGenerator extends Component {
  readonly kind: 'text';
  run(prompt: string, options?: TextRunOptions): Promise<TextGeneratorResult>;
}

export interface ImageGenerator extends Component {
  readonly kind: 'image';
  run(prompt: string, options?: ImageRunOptions): Promise<ImageGeneratorResult>;
}

export type Generator = ChatGenerator | TextGenerator | ImageGenerator;

/** A generator class as the registry knows it. */
export interface GeneratorClass {
  readonly typeName: string;
  readonly kind: Generator['kind'];
  fromDict(dict: unknown): Generator;
}

/** Haystack's `generation_kwargs` merge: run-time keys override init-time keys, one level deep. */
export function mergeGenerationKwargs(
  initKwargs: Record<string, unknown> | undefined,
  runKwargs: Record<string, unknown> | undefined,
): Record<string, unknown> {
  return { ...(initKwargs ?? {}), ...(runKwargs ?? {}) };
}
