import type { TextGenerator, TextGeneratorResult, TextRunOptions } from '../../core/generator';
import {
  deserializeCallback,
  InitParameterReader,
  readInitParameters,
  selectStreamingCallback,
  serializeCallback,
  type CallbackReference,
  type ComponentDict,
} from '../../core/serialization';
import { fixedCapabilities, type GeneratorDescriptor } from '../../core/descriptor';
import { CHAT_COMPLETIONS_STRUCTURED_OUTPUT, GPT_4O_MINI_LIMITS } from '../openai/openAIChatGenerator';
import { AzureConnection, type AzureConnectionOptions } from './azureConnection';
import { AZURE_WIZARD_FIELDS, AzureOpenAIChatGenerator } from './azureOpenAIChatGenerator';
import { runPromptAsChat } from '../shared/chatBackedTextGenerator';

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

export const azureOpenAIGeneratorDescriptor: GeneratorDescriptor = {
  typeName: AzureOpenAIGenerator.typeName,
  kind: 'text',
  label: 'Azure OpenAI text',
  fromDict: (dict) => AzureOpenAIGenerator.fromDict(dict),
  secretEnvVars: ['AZURE_OPENAI_API_KEY'],
  defaultModel: 'gpt-4o-mini',
  pythonPackages: [],
  wizardFields: AZURE_WIZARD_FIELDS,
  capabilities: fixedCapabilities({
    imageInput: false,
    toolCalling: false,
    structuredOutput: CHAT_COMPLETIONS_STRUCTURED_OUTPUT,
    maxTokensKey: 'max_tokens',
    tokenLimits: GPT_4O_MINI_LIMITS,
  }),
};
