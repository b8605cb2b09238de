import { ChatMessage, normalizeMessages } from '../../core/chatMessage';
import { fixedCapabilities, type GeneratorDescriptor } from '../../core/descriptor';
import { ConfigurationError } from '../../core/errors';
import {
  mergeGenerationKwargs,
  type ChatGenerator,
  type ChatGeneratorResult,
  type ChatRunOptions,
} from '../../core/generator';
import type { Secret } from '../../core/secret';
import {
  InitParameterReader,
  readInitParameters,
  selectStreamingCallback,
  type CallbackReference,
  type ComponentDict,
} from '../../core/serialization';
import { deserializeTools, flattenTools, serializeTools, type ToolsType } from '../../core/tool';
import { toTemplateMessage } from './chatTemplateMessages';
import { DEFAULT_TOOL_PARSER_NAME, defaultToolParser, type ToolParsingFunction } from './defaultToolParser';
import {
  generateLocally,
  loadLocalModel,
  localGeneratorToDict,
  readLocalGeneratorInitOptions,
  resolveLocalGeneratorSettings,
  type LocalGeneratorInitOptions,
} from './huggingFaceLocalGeneration';
import { LOCAL_CHAT_TASKS, resolveToken } from './huggingFaceLocalPipeline';
import { holdLocalModelWorker, releaseLocalModelWorker } from './localModels';

/** Init options of {@link HuggingFaceLocalChatGenerator}, after Haystack's `HuggingFaceLocalChatGenerator.__init__`. */
export interface HuggingFaceLocalChatGeneratorOptions extends LocalGeneratorInitOptions {
  /** A Jinja chat template replacing the tokenizer's own. */
  chatTemplate?: string | null;
  /** Only `max_new_tokens: 512` is set by default. */
  generationKwargs?: Record<string, unknown>;
  /** Added to `generation_kwargs.stop_sequences`; generation stops at the first and it is cut from the reply. */
  stopWords?: string[] | null;
  streamingCallback?: CallbackReference;
  /** Rendered into the prompt by the chat template; replies are parsed for calls to them. */
  tools?: ToolsType | null;
  /** Parses tool calls out of the reply text; a Python name from a dict keeps the default parser in the editor. */
  toolParsingFunction?: ToolParsingFunction | string | null;
  /**
   * Handed to the chat template, which thinking-capable models (Qwen3) read (Haystack 2.22+). Left out of the
   * template and of `toDict()` when not given, as in the seed's Haystack.
   */
  enableThinking?: boolean;
}

/**
 * Chat with a Hugging Face model run locally by transformers.js in the shared local-model worker process
 * (Haystack's `HuggingFaceLocalChatGenerator`).
 */
export class HuggingFaceLocalChatGenerator implements ChatGenerator {
  static readonly typeName = 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator';
  static readonly kind = 'chat';
  readonly typeName = HuggingFaceLocalChatGenerator.typeName;
  readonly kind = 'chat';
  readonly acceptsImages = false;

  readonly huggingfacePipelineKwargs: Record<string, unknown>;
  readonly generationKwargs: Record<string, unknown>;
  readonly chatTemplate: string | undefined;
  readonly token: Secret | undefined;
  readonly streamingCallback: CallbackReference | undefined;
  readonly tools: ToolsType | undefined;
  readonly toolParsingFunction: ToolParsingFunction | string;
  readonly enableThinking: boolean | undefined;
  private readonly inlineToken: string | undefined;

  constructor(options: HuggingFaceLocalChatGeneratorOptions = {}) {
    if (options.tools && options.streamingCallback !== undefined) {
      throw new ConfigurationError(
        'tools',
        'Using tools and streaming at the same time is not supported. Please choose one.',
      );
    }
    flattenTools(options.tools);
    const settings = resolveLocalGeneratorSettings(options, 'HuggingFaceH4/zephyr-7b-beta', LOCAL_CHAT_TASKS);
    this.token = settings.token;
    this.huggingfacePipelineKwargs = settings.huggingfacePipelineKwargs;
    this.inlineToken = settings.inlineToken;
    this.generationKwargs = settings.generationKwargs;
    const stopSequences = this.generationKwargs.stop_sequences;
    if (stopSequences !== undefined && !isStringList(stopSequences)) {
      throw new ConfigurationError('generation_kwargs.stop_sequences', 'expected a list of strings.');
    }
    this.generationKwargs.stop_sequences = [...(stopSequences ?? []), ...(options.stopWords ?? [])];
    this.chatTemplate = options.chatTemplate ?? undefined;
    this.streamingCallback = options.streamingCallback;
    this.tools = options.tools ?? undefined;
    this.toolParsingFunction = options.toolParsingFunction ?? defaultToolParser;
    this.enableThinking = options.enableThinking;
  }

  /** Loads the model in the worker; infers the task from the model's config when it was not given. */
  async warmUp(): Promise<void> {
    await loadLocalModel(this, this.resolveToken());
  }

  async run(messages: ChatMessage[] | string, options: ChatRunOptions = {}): Promise<ChatGeneratorResult> {
    const tools = flattenTools(options.tools ?? this.tools);
    if (tools.length > 0 && options.streamingCallback !== undefined) {
      throw new ConfigurationError(
        'tools',
        'Using tools and streaming at the same time is not supported. Please choose one.',
      );
    }
    const templateMessages = normalizeMessages(messages).map(toTemplateMessage);
    if (this.huggingfacePipelineKwargs.task === undefined) await this.warmUp();
    const worker = holdLocalModelWorker(this);

    const {
      stop_words: runStopWords,
      stop_sequences: stopSequences,
      ...generationKwargs
    } = mergeGenerationKwargs(this.generationKwargs, options.generationKwargs);
    const stopWords = [
      ...new Set([...readStopWords(runStopWords, 'stop_words'), ...readStopWords(stopSequences, 'stop_sequences')]),
    ];
    const callback = selectStreamingCallback(this.streamingCallback, options.streamingCallback);
    const input = {
      kind: 'chat',
      messages: templateMessages,
      chatTemplate: this.chatTemplate,
      tools: tools.map((tool) => tool.toolSpec),
      enableThinking: this.enableThinking,
    } as const;
    const generation = await generateLocally(
      worker,
      this,
      { input, generationKwargs, stopWords, callback, signal: options.signal },
      this.resolveToken(),
    );

    const parse = typeof this.toolParsingFunction === 'function' ? this.toolParsingFunction : defaultToolParser;
    const replies = generation.replies.map((reply, index) => {
      const toolCalls = tools.length > 0 ? (parse(reply.text) ?? []) : [];
      const finishReason = reply.reachedMaxNewTokens ? 'length' : toolCalls.length > 0 ? 'tool_calls' : 'stop';
      const meta = { finish_reason: finishReason, index, model: generation.model, usage: reply.usage };
      // As in Haystack: a reply that is a tool call keeps no text, since the text is the raw call.
      return ChatMessage.fromAssistant(toolCalls.length > 0 ? null : reply.text, { toolCalls, meta });
    });
    return { replies };
  }

  /** Lets the shared worker go; it stops when no other local generator holds it. */
  async shutdown(): Promise<void> {
    await releaseLocalModelWorker(this);
  }

  toDict(): ComponentDict {
    return {
      type: this.typeName,
      init_parameters: {
        ...localGeneratorToDict(this),
        token: this.token ? this.token.toDict() : null,
        chat_template: this.chatTemplate ?? null,
        tools: serializeTools(this.tools),
        tool_parsing_function:
          this.toolParsingFunction === defaultToolParser
            ? DEFAULT_TOOL_PARSER_NAME
            : typeof this.toolParsingFunction === 'string'
              ? this.toolParsingFunction
              : null,
        ...(this.enableThinking === undefined ? {} : { enable_thinking: this.enableThinking }),
      },
    };
  }

  static fromDict(dict: unknown): HuggingFaceLocalChatGenerator {
    const params = readInitParameters(dict, HuggingFaceLocalChatGenerator.typeName);
    const read = new InitParameterReader(params);
    const parserName = read.string('tool_parsing_function');
    return new HuggingFaceLocalChatGenerator({
      ...readLocalGeneratorInitOptions(params, LOCAL_CHAT_TASKS),
      chatTemplate: read.string('chat_template'),
      enableThinking: read.boolean('enable_thinking'),
      tools: deserializeTools(params.tools),
      toolParsingFunction:
        parserName === undefined || parserName === DEFAULT_TOOL_PARSER_NAME ? defaultToolParser : parserName,
    });
  }

  private resolveToken(): string | undefined {
    return resolveToken(this.token, this.inlineToken);
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function readStopWords(value: unknown, key: string): string[] {
  if (value === undefined || value === null) return [];
  if (!isStringList(value)) throw new ConfigurationError(`generation_kwargs.${key}`, 'expected a list of strings.');
  return value.filter((word) => word !== '');
}

/** Why no local generator can follow a JSON schema. */
export const LOCAL_STRUCTURED_OUTPUT_REASON =
  'local models run without constrained decoding, so they cannot be held to a JSON schema.';

export const huggingFaceLocalChatGeneratorDescriptor: GeneratorDescriptor = {
  typeName: HuggingFaceLocalChatGenerator.typeName,
  kind: 'chat',
  label: 'Local Hugging Face chat (runs on this machine)',
  fromDict: (dict) => HuggingFaceLocalChatGenerator.fromDict(dict),
  secretEnvVars: [],
  defaultModel: 'HuggingFaceH4/zephyr-7b-beta',
  pythonPackages: ['transformers[torch]'],
  // The wizard offers a model small enough to run on any machine, not Haystack's 7B default.
  wizardFields: [
    { path: 'model', prompt: 'Model id or local folder', defaultValue: 'HuggingFaceTB/SmolLM2-135M-Instruct' },
  ],
  capabilities: fixedCapabilities({
    imageInput: false,
    // Tools are rendered by the chat template and parsed from the reply; not while streaming.
    toolCalling: true,
    structuredOutput: { supported: false, reason: LOCAL_STRUCTURED_OUTPUT_REASON },
    maxTokensKey: 'max_new_tokens',
    // Small chat models run locally have 2k-8k contexts; 512 new tokens is the class's default.
    tokenLimits: { contextWindow: 2_048, maxOutputTokens: 512 },
  }),
};
