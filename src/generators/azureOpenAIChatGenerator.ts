import type { OpenAI } from 'openai';
import {
  InitParameterReader,
  readInitParameters,
  deserializeCallback,
  serializeCallback,
  type ComponentDict,
} from '../core/serialization';
import { deserializeTools, serializeTools } from '../core/tool';
import { AzureConnection, type AzureConnectionOptions } from './azureConnection';
import type { ProviderContext } from './openaiClient';
import { OpenAIChatGenerator, type OpenAIChatGeneratorOptions } from './openAIChatGenerator';

export interface AzureOpenAIChatGeneratorOptions
  extends
    AzureConnectionOptions,
    Pick<OpenAIChatGeneratorOptions, 'streamingCallback' | 'generationKwargs' | 'tools' | 'toolsStrict'> {}

/** Chat completion on an Azure OpenAI deployment, after Haystack's `AzureOpenAIChatGenerator`: OpenAI's code, Azure's connection. */
export class AzureOpenAIChatGenerator extends OpenAIChatGenerator {
  static override readonly typeName: string = 'haystack.components.generators.chat.azure.AzureOpenAIChatGenerator';
  readonly connection: AzureConnection;

  constructor(options: AzureOpenAIChatGeneratorOptions = {}) {
    const connection = new AzureConnection(options);
    super({
      model: connection.azureDeployment,
      streamingCallback: options.streamingCallback,
      generationKwargs: options.generationKwargs,
      timeout: connection.timeout,
      maxRetries: connection.maxRetries,
      tools: options.tools,
      toolsStrict: options.toolsStrict,
      organization: connection.organization,
    });
    this.connection = connection;
  }

  override toDict(): ComponentDict {
    return {
      type: this.typeName,
      init_parameters: {
        ...this.connection.toInitParameters(),
        streaming_callback: serializeCallback(this.streamingCallback),
        generation_kwargs: { ...this.generationKwargs },
        tools: serializeTools(this.tools),
        tools_strict: this.toolsStrict,
      },
    };
  }

  static override fromDict(dict: unknown): AzureOpenAIChatGenerator {
    const read = new InitParameterReader(readInitParameters(dict, AzureOpenAIChatGenerator.typeName));
    return new AzureOpenAIChatGenerator({
      ...AzureConnection.readOptions(read),
      streamingCallback: deserializeCallback(read.raw('streaming_callback')),
      generationKwargs: read.record('generation_kwargs'),
      tools: deserializeTools(read.raw('tools')),
      toolsStrict: read.boolean('tools_strict'),
    });
  }

  protected override client(): Promise<OpenAI> {
    return this.connection.client();
  }

  protected override providerContext(): ProviderContext {
    return this.connection.providerContext();
  }
}
