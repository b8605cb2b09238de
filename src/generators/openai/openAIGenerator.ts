import type { TextGenerator, TextGeneratorResult, TextRunOptions } from '../../core/generator';
import { fixedCapabilities, type GeneratorDescriptor } from '../../core/descriptor';
import {
  InitParameterReader,
  readInitParameters,
  selectStreamingCallback,
  serializeCallback,
  type CallbackReference,
  type ComponentDict,
} from '../../core/serialization';
import { runPromptAsChat } from '../shared/chatBackedTextGenerator';
import {
  CHAT_COMPLETIONS_STRUCTURED_OUTPUT,
  GPT_4O_MINI_LIMITS,
  OpenAIChatGenerator,
  readOpenAIChatOptions,
} from './openAIChatGenerator';
import type { OpenAIConnectionOptions } from './openAIConnection';

export interface OpenAIGeneratorOptions extends OpenAIConnectionOptions {
  /** Default `gpt-4o-mini`. */
  model?: string;
  streamingCallback?: CallbackReference;
  systemPrompt?: string;
  generationKwargs?: Record<string, unknown>;
}

/** Text in, text out on OpenAI's Chat Completions API, after Haystack's `OpenAIGenerator`. */
export class OpenAIGenerator implements TextGenerator {
  static readonly typeName = 'haystack.components.generators.openai.OpenAIGenerator';
  static readonly kind = 'text' as const;
  readonly typeName = OpenAIGenerator.typeName;
  readonly kind = 'text' as const;
  readonly systemPrompt?: string;
  readonly streamingCallback?: CallbackReference;
  private readonly chat: OpenAIChatGenerator;

  constructor(options: OpenAIGeneratorOptions = {}) {
    const { systemPrompt, streamingCallback, ...chatOptions } = options;
    this.chat = new OpenAIChatGenerator(chatOptions);
    this.systemPrompt = systemPrompt;
    this.streamingCallback = streamingCallback;
  }

  get model(): string {
    return this.chat.model;
  }

  async warmUp(): Promise<void> {}

  run(prompt: string, options: TextRunOptions = {}): Promise<TextGeneratorResult> {
    const streamingCallback = selectStreamingCallback(this.streamingCallback, options.streamingCallback);
    return runPromptAsChat(this.chat, this.typeName, prompt, this.systemPrompt, { ...options, streamingCallback });
  }

  /** Haystack's keys: `timeout` and `max_retries` are not among them (its text generator does not write them). */
  toDict(): ComponentDict {
    const chat = this.chat.toDict().init_parameters;
    return {
      type: this.typeName,
      init_parameters: {
        model: chat.model,
        streaming_callback: serializeCallback(this.streamingCallback),
        api_base_url: chat.api_base_url,
        organization: chat.organization,
        generation_kwargs: chat.generation_kwargs,
        system_prompt: this.systemPrompt ?? null,
        api_key: chat.api_key,
        http_client_kwargs: chat.http_client_kwargs,
      },
    };
  }

  static fromDict(dict: unknown): OpenAIGenerator {
    const init = readInitParameters(dict, OpenAIGenerator.typeName);
    const {
      tools: _tools,
      toolsStrict: _strict,
      ...options
    } = readOpenAIChatOptions(
      { type: OpenAIChatGenerator.typeName, init_parameters: init },
      OpenAIChatGenerator.typeName,
    );
    return new OpenAIGenerator({ ...options, systemPrompt: new InitParameterReader(init).string('system_prompt') });
  }
}

export const openAIGeneratorDescriptor: GeneratorDescriptor = {
  typeName: OpenAIGenerator.typeName,
  kind: 'text',
  label: 'OpenAI text',
  fromDict: (dict) => OpenAIGenerator.fromDict(dict),
  secretEnvVars: ['OPENAI_API_KEY'],
  defaultModel: 'gpt-4o-mini',
  pythonPackages: [],
  wizardFields: [{ path: 'model', prompt: 'Model', defaultValue: 'gpt-4o-mini' }],
  capabilities: fixedCapabilities({
    imageInput: false,
    toolCalling: false,
    structuredOutput: CHAT_COMPLETIONS_STRUCTURED_OUTPUT,
    maxTokensKey: 'max_tokens',
    tokenLimits: GPT_4O_MINI_LIMITS,
  }),
};
