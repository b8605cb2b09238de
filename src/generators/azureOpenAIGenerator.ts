import type { TextGenerator, TextGeneratorResult, TextRunOptions } from '../core/generator';
import {
  deserializeCallback,
  InitParameterReader,
  readInitParameters,
  selectStreamingCallback,
  serializeCallback,
  type CallbackReference,
  type ComponentDict,
} from '../core/serialization';
import type { AzureConnectionOptions } from './azureConnection';
import { AzureConnection } from './azureConnection';
import { AzureOpenAIChatGenerator } from './azureOpenAIChatGenerator';
import { runPromptAsChat } from './chatBackedTextGenerator';

export interface AzureOpenAIGeneratorOptions extends AzureConnectionOptions {
  streamingCallback?: CallbackReference;
  systemPrompt?: string;
  generationKwargs?: Record<string, unknown>;
}

/** Text in, text out on an Azure OpenAI deployment, after Haystack's `AzureOpenAIGenerator`. */
export class AzureOpenAIGenerator implements TextGenerator {
  static readonly typeName = 'haystack.components.generators.azure.AzureOpenAIGenerator';
  static readonly kind = 'text' as const;
  readonly typeName = AzureOpenAIGenerator.typeName;
  readonly kind = 'text' as const;
  readonly systemPrompt?: string;
  readonly streamingCallback?: CallbackReference;
  private readonly chat: AzureOpenAIChatGenerator;

  constructor(options: AzureOpenAIGeneratorOptions = {}) {
    const { systemPrompt, streamingCallback, ...chatOptions } = options;
    this.chat = new AzureOpenAIChatGenerator(chatOptions);
    this.systemPrompt = systemPrompt;
    this.streamingCallback = streamingCallback;
  }

  get connection(): AzureConnection {
    return this.chat.connection;
  }

  async warmUp(): Promise<void> {}

  run(prompt: string, options: TextRunOptions = {}): Promise<TextGeneratorResult> {
    const streamingCallback = selectStreamingCallback(this.streamingCallback, options.streamingCallback);
    return runPromptAsChat(this.chat, this.typeName, prompt, this.systemPrompt, { ...options, streamingCallback });
  }

  toDict(): ComponentDict {
    return {
      type: this.typeName,
      init_parameters: {
        ...this.connection.toInitParameters(),
        streaming_callback: serializeCallback(this.streamingCallback),
        system_prompt: this.systemPrompt ?? null,
        generation_kwargs: { ...this.chat.generationKwargs },
      },
    };
  }

  static fromDict(dict: unknown): AzureOpenAIGenerator {
    const read = new InitParameterReader(readInitParameters(dict, AzureOpenAIGenerator.typeName));
    return new AzureOpenAIGenerator({
      ...AzureConnection.readOptions(read),
      streamingCallback: deserializeCallback(read.raw('streaming_callback')),
      systemPrompt: read.string('system_prompt'),
      generationKwargs: read.record('generation_kwargs'),
    });
  }
}
