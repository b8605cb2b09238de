// Haystack's FallbackChatGenerator: tries chat generators in order and returns the first reply that succeeds.
import { normalizeMessages, type ChatMessage } from '../../core/chatMessage';
import type {
  ComponentResolver,
  GeneratorCapabilities,
  GeneratorDescriptor,
  NestedCapabilities,
} from '../../core/descriptor';
import {
  ConfigurationError,
  DeserializationError,
  GeneratorError,
  cancelledError,
  throwIfAborted,
  type GeneratorErrorCode,
} from '../../core/errors';
import type { ChatGenerator, ChatGeneratorResult, ChatRunOptions } from '../../core/generator';
import { type ComponentDict, readInitParameters } from '../../core/serialization';
import type { StructuredOutputSupport } from '../../core/structuredOutput';
import type { StreamingCallback, StreamingChunk } from '../../core/streamingChunk';

/**
 * The meta key of the chunk sent to the streaming callback when a generator failed after it had streamed part of
 * a reply and the next generator is about to be tried: `chunk.meta[FALLBACK_RESTART] === true` means "discard the
 * text streamed so far; the reply starts again". The chunk has no content.
 */
export const FALLBACK_RESTART = 'fallback_restart';

/** One failed attempt, as reported in `meta.failed_chat_generators` and by {@link FallbackChainError}. */
export interface FailedChatGenerator {
  /** Position in `chat_generators`. */
  index: number;
  /** The generator's class name, e.g. `OpenAIChatGenerator`. */
  class: string;
  /** What went wrong, as the generator said it. */
  error: string;
  /** The failure's kind (`unknown` for errors that are not GeneratorErrors). */
  code: GeneratorErrorCode;
}

/** Thrown when every generator of the chain failed; the message names each generator and its failure. */
export class FallbackChainError extends GeneratorError {
  readonly failures: readonly FailedChatGenerator[];

  constructor(failures: FailedChatGenerator[], errors: unknown[]) {
    const last = errors.at(-1);
    const lastError = GeneratorError.isInstance(last) ? last : undefined;
    const list = failures.map((f) => `[${f.index}] ${f.class}: ${f.error}`).join('; ');
    super(`All ${failures.length} chat generators failed. ${list}`, {
      // The last generator's failure decides what the user should do next (e.g. set its key, wait for its quota).
      code: lastError?.code ?? 'unknown',
      status: lastError?.status,
      retryAfter: lastError?.retryAfter,
      isRetryable: errors.some((e) => GeneratorError.isInstance(e) && e.isRetryable),
      cause: new AggregateError(errors, 'every chat generator failed'),
    });
    this.name = 'FallbackChainError';
    this.failures = failures;
  }
}

export interface FallbackChatGeneratorOptions {
  /** The generators to try, in order; at least one. */
  chatGenerators: ChatGenerator[];
}

/**
 * Runs its chat generators one after another until one succeeds, after Haystack's `FallbackChatGenerator`.
 * Any failure (timeout, 429, 401, 400, 5xx, a dropped stream, anything thrown) moves on to the next generator;
 * cancelling the run's AbortSignal stops the chain. Timeouts are the children's own (`timeout` of each).
 */
export class FallbackChatGenerator implements ChatGenerator {
  static readonly typeName = 'haystack.components.generators.chat.fallback.FallbackChatGenerator';
  static readonly kind = 'chat';
  readonly typeName = FallbackChatGenerator.typeName;
  readonly kind = FallbackChatGenerator.kind;
  readonly chatGenerators: readonly ChatGenerator[];

  constructor(options: FallbackChatGeneratorOptions) {
    const generators: unknown = options?.chatGenerators;
    if (!Array.isArray(generators) || generators.length === 0) {
      throw new ConfigurationError(
        'init_parameters.chat_generators',
        'must be a non-empty list of chat generators to try in order.',
      );
    }
    generators.forEach((generator: Partial<ChatGenerator> | undefined, index) => {
      if (generator?.kind !== 'chat' || typeof generator.run !== 'function') {
        const what = generator?.typeName
          ? `${kindPhrase(generator.kind)} (${generator.typeName})`
          : 'not a chat generator';
        throw new ConfigurationError(
          `init_parameters.chat_generators[${index}]`,
          `is ${what}; only chat generators can be chained.`,
        );
      }
    });
    this.chatGenerators = [...(generators as ChatGenerator[])];
  }

  /** Images may be sent only when every generator of the chain accepts them. */
  get acceptsImages(): boolean {
    return this.chatGenerators.every((generator) => generator.acceptsImages === true);
  }

  /** Warms every generator of the chain, in order. */
  async warmUp(): Promise<void> {
    for (const generator of this.chatGenerators) await generator.warmUp();
  }

  async shutdown(): Promise<void> {
    for (const generator of this.chatGenerators) await generator.shutdown?.();
  }

  /**
   * Returns the first generator's reply that succeeds, with Haystack's meta (`successful_chat_generator_index`,
   * `successful_chat_generator_class`, `total_attempts`, `failed_chat_generators`) over the winner's own meta.
   * Streamed chunks reach `streamingCallback` as they come; see {@link FALLBACK_RESTART} for what follows a
   * generator that failed mid-stream.
   */
  async run(messages: ChatMessage[] | string, options: ChatRunOptions = {}): Promise<ChatGeneratorResult> {
    const { signal, streamingCallback } = options;
    const conversation = normalizeMessages(messages);
    const failures: FailedChatGenerator[] = [];
    const errors: unknown[] = [];
    for (const [index, generator] of this.chatGenerators.entries()) {
      throwIfAborted(signal);
      const attempt = streamingCallback ? new AttemptCallback(streamingCallback) : undefined;
      let result: ChatGeneratorResult;
      try {
        result = await generator.run(conversation, { ...options, streamingCallback: attempt?.callback });
      } catch (error) {
        attempt?.close();
        if (signal?.aborted) throw cancelledError(signal.reason);
        // The caller's callback failing is not the generator's fault; trying the next one would hide it.
        if (attempt?.callbackFailure) throw attempt.callbackFailure.error;
        const failure: FailedChatGenerator = { index, class: classNameOf(generator), ...describeFailure(error) };
        failures.push(failure);
        errors.push(error);
        const anotherToTry = index + 1 < this.chatGenerators.length;
        if (anotherToTry && attempt?.delivered && streamingCallback)
          await streamingCallback(this.restartChunk(failure));
        continue;
      }
      attempt?.close();
      return {
        replies: result.replies,
        meta: {
          ...result.meta,
          successful_chat_generator_index: index,
          successful_chat_generator_class: classNameOf(generator),
          total_attempts: index + 1,
          failed_chat_generators: failures,
        },
      };
    }
    throw new FallbackChainError(failures, errors);
  }

  /** Haystack's dict: the children's own dicts under `chat_generators`. */
  toDict(): ComponentDict {
    return {
      type: this.typeName,
      init_parameters: { chat_generators: this.chatGenerators.map((generator) => generator.toDict()) },
    };
  }

  /** Haystack's `from_dict`; `resolve` builds each nested generator (the registry's `componentFromDict`). */
  static fromDict(dict: unknown, resolve: ComponentResolver): FallbackChatGenerator {
    const params = readInitParameters(dict, FallbackChatGenerator.typeName);
    const list = params.chat_generators;
    if (!Array.isArray(list) || list.length === 0) {
      throw new DeserializationError(
        'init_parameters.chat_generators',
        'expected a non-empty list of chat generator components ({"type", "init_parameters"}).',
      );
    }
    // Array.from, not list.map: a crafted array with its own `constructor` key must not break reading it.
    const chatGenerators = Array.from(list, (child: unknown, index) => {
      const field = `init_parameters.chat_generators[${index}]`;
      let generator;
      try {
        generator = resolve(child);
      } catch (error) {
        if (GeneratorError.isInstance(error) && (error.code === 'deserialization' || error.code === 'configuration')) {
          throw new DeserializationError(field, error.message);
        }
        throw error;
      }
      if (generator.kind !== 'chat')
        throw new DeserializationError(
          field,
          `${generator.typeName} is ${kindPhrase(generator.kind)}; only chat generators can be chained.`,
        );
      return generator;
    });
    return new FallbackChatGenerator({ chatGenerators });
  }

  private restartChunk(failure: FailedChatGenerator): StreamingChunk {
    return {
      content: '',
      meta: {
        [FALLBACK_RESTART]: true,
        failed_chat_generator_index: failure.index,
        failed_chat_generator_class: failure.class,
      },
      componentInfo: { type: this.typeName },
    };
  }
}

/**
 * The streaming callback one attempt sees: forwards its chunks to the caller's callback until the attempt is over,
 * then drops anything the failed generator still sends, so its chunks never mix with the next attempt's.
 */
class AttemptCallback {
  delivered = false;
  callbackFailure?: { error: unknown };
  private open = true;

  constructor(private readonly target: StreamingCallback) {}

  readonly callback: StreamingCallback = async (chunk) => {
    if (!this.open) return;
    this.delivered = true;
    try {
      await this.target(chunk);
    } catch (error) {
      this.callbackFailure = { error };
      throw error;
    }
  };

  close(): void {
    this.open = false;
  }
}

/** "an image generator", "a text generator". */
function kindPhrase(kind: string | undefined): string {
  if (kind === undefined) return 'not a chat generator';
  return `${kind === 'image' ? 'an' : 'a'} ${kind} generator`;
}

/** The class name from the Haystack type string (class names do not survive minification). */
function classNameOf(generator: ChatGenerator): string {
  return generator.typeName.split('.').at(-1) ?? generator.typeName;
}

function describeFailure(error: unknown): { error: string; code: GeneratorErrorCode } {
  if (GeneratorError.isInstance(error)) return { error: error.message, code: error.code };
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`, code: 'unknown' };
  return { error: String(error), code: 'unknown' };
}

/**
 * A chain can do what every member can: images and tools only if all take them, structured output only if all ask
 * for JSON the same way (one generation_kwargs dict goes to all), the smallest token limits.
 */
function chainCapabilities(initParameters: Record<string, unknown>, nested: NestedCapabilities): GeneratorCapabilities {
  const list = initParameters.chat_generators;
  const members = (Array.isArray(list) ? list : []).map((child: unknown) => {
    const dict = child as Partial<ComponentDict> | null;
    return typeof dict?.type === 'string'
      ? nested({ type: dict.type, init_parameters: dict.init_parameters ?? {} })
      : undefined;
  });
  const known = members.filter((member): member is GeneratorCapabilities => member !== undefined);
  const all = members.length > 0 && known.length === members.length;
  const keys = new Set(known.map((member) => member.maxTokensKey));
  return {
    imageInput: all && known.every((member) => member.imageInput),
    toolCalling: all && known.every((member) => member.toolCalling),
    structuredOutput: chainStructuredOutput(members.map((member) => member?.structuredOutput)),
    maxTokensKey: keys.size === 1 ? [...keys][0] : 'max_tokens',
    // Without members, the conservative limits every model meets.
    tokenLimits:
      known.length === 0
        ? { contextWindow: 4_096, maxOutputTokens: 512 }
        : {
            contextWindow: Math.min(...known.map((member) => member.tokenLimits.contextWindow)),
            maxOutputTokens: Math.min(...known.map((member) => member.tokenLimits.maxOutputTokens)),
          },
  };
}

function chainStructuredOutput(supports: (StructuredOutputSupport | undefined)[]): StructuredOutputSupport {
  if (supports.length === 0) return { supported: false, reason: 'it has no chat_generators.' };
  const first = supports[0];
  if (!first?.supported)
    return {
      supported: false,
      reason: `its first generator cannot: ${first?.reason ?? 'it is not a component dict.'}`,
    };
  if (!supports.every((s) => s?.supported && s.wire === first.wire)) {
    return {
      supported: false,
      reason: 'its generators ask for JSON in different ways, and one generation_kwargs dict goes to all of them.',
    };
  }
  return first;
}

export const fallbackChatGeneratorDescriptor: GeneratorDescriptor = {
  typeName: FallbackChatGenerator.typeName,
  kind: 'chat',
  label: 'Fallback chat (tries several in order)',
  fromDict: (dict, resolve) => FallbackChatGenerator.fromDict(dict, resolve),
  secretEnvVars: [],
  defaultModel: undefined,
  pythonPackages: [],
  // The host's wizard asks for the members (existing chat generators) itself.
  wizardFields: [],
  capabilities: chainCapabilities,
};
