// Haystack's AzureOpenAIResponsesChatGenerator: the Responses generator on Azure's v1 API
// (`{endpoint}/openai/v1/responses`, the deployment as the model), on the same Azure connection as Azure chat.
import { fixedCapabilities, type GeneratorDescriptor } from '../../core/descriptor';
import { GeneratorError } from '../../core/errors';
import { Secret, secretFromDict } from '../../core/secret';
import {
  InitParameterReader,
  readInitParameters,
  serializeCallback,
  type ComponentDict,
} from '../../core/serialization';
import {
  GPT_5_MINI_LIMITS,
  OpenAIResponsesChatGenerator,
  RESPONSES_STRUCTURED_OUTPUT,
  readResponsesOptions,
  type ResponsesOptions,
} from '../responses/openAIResponsesChatGenerator';
import { withTextFormat } from '../responses/responsesRequest';
import { serializeResponsesTools } from '../responses/responsesTools';
import { AzureConnection, type AzureConnectionOptions, type TokenProvider } from './azureConnection';
import { AZURE_WIZARD_FIELDS } from './azureOpenAIChatGenerator';

/** Init parameters of {@link AzureOpenAIResponsesChatGenerator}, Haystack's in camelCase. */
export interface AzureOpenAIResponsesChatGeneratorOptions
  extends
    Pick<AzureConnectionOptions, 'azureDeployment' | 'organization' | 'timeout' | 'maxRetries' | 'httpClientKwargs'>,
    ResponsesOptions {
  /** e.g. `https://example-resource.openai.azure.com/`; falls back to the AZURE_OPENAI_ENDPOINT env var. */
  azureEndpoint?: string;
  /**
   * An API key or Entra ID token as a Secret, or a function returning a token (sync or async, called before each
   * run). Defaults to the `AZURE_OPENAI_API_KEY` env var (not strict). A string is the Python name of a token
   * provider from a Haystack dict.
   */
  apiKey?: Secret | TokenProvider | string;
}

const TYPE_NAME = 'haystack.components.generators.chat.azure_responses.AzureOpenAIResponsesChatGenerator';

/** Completes chats with the Responses API of an Azure OpenAI resource. */
export class AzureOpenAIResponsesChatGenerator extends OpenAIResponsesChatGenerator {
  static override readonly typeName: string = TYPE_NAME;
  readonly connection: AzureConnection;

  constructor(options: AzureOpenAIResponsesChatGeneratorOptions = {}) {
    const { apiKey, ...rest } = options;
    const secret = apiKey === undefined || apiKey instanceof Secret ? apiKey : undefined;
    // Haystack's api_key here is a key or a token provider; there is no separate AD token.
    const connection = new AzureConnection(
      {
        ...rest,
        apiKey: secret ?? (apiKey === undefined ? undefined : null),
        azureAdToken: null,
        azureAdTokenProvider: secret || apiKey === undefined ? undefined : (apiKey as TokenProvider | string),
      },
      'gpt-5-mini',
    );
    const { streamingCallback, generationKwargs, tools, toolsStrict } = options;
    super(
      { streamingCallback, generationKwargs, tools, toolsStrict, model: connection.azureDeployment },
      {
        client: () => connection.v1Client(),
        context: () => connection.context(),
        get timeoutSeconds() {
          return connection.timeoutSeconds;
        },
      },
    );
    this.connection = connection;
  }

  get azureEndpoint(): string {
    return this.connection.azureEndpoint;
  }

  get azureDeployment(): string {
    return this.connection.azureDeployment;
  }

  override toDict(): ComponentDict {
    const connection = this.connection;
    return {
      type: TYPE_NAME,
      init_parameters: {
        azure_endpoint: connection.azureEndpoint,
        api_key: this.serializedApiKey(),
        azure_deployment: connection.azureDeployment,
        streaming_callback: serializeCallback(this.streamingCallback),
        organization: connection.organization ?? null,
        generation_kwargs: withTextFormat(this.generationKwargs),
        timeout: connection.timeout ?? null,
        max_retries: connection.maxRetries ?? null,
        tools: serializeResponsesTools(this.tools),
        tools_strict: this.toolsStrict,
        http_client_kwargs: connection.httpClientKwargs ?? null,
      },
    };
  }

  static override fromDict(dict: unknown): AzureOpenAIResponsesChatGenerator {
    const params = new InitParameterReader(readInitParameters(dict, TYPE_NAME));
    const rawKey = params.raw('api_key');
    // A string is the qualified name of a Python token provider (Haystack's serialize_callable).
    const apiKey =
      typeof rawKey === 'string'
        ? rawKey
        : secretFromDict(
            rawKey,
            'init_parameters.api_key',
            Secret.fromEnvVar('AZURE_OPENAI_API_KEY', { strict: false }),
          );
    return new AzureOpenAIResponsesChatGenerator({
      ...readResponsesOptions(params),
      apiKey,
      azureEndpoint: params.string('azure_endpoint'),
      azureDeployment: params.string('azure_deployment'),
      organization: params.string('organization'),
      timeout: params.number('timeout'),
      maxRetries: params.number('max_retries'),
      httpClientKwargs: params.record('http_client_kwargs'),
    });
  }

  /** `api_key` for `init_parameters`: a secret's env-var form, or a token provider's Python name. */
  private serializedApiKey(): unknown {
    const { apiKey, azureAdTokenProvider } = this.connection;
    if (apiKey) return apiKey.toDict();
    if (typeof azureAdTokenProvider === 'string') return azureAdTokenProvider;
    throw new GeneratorError(
      'Cannot serialize an api_key given as a JavaScript function; it has no Haystack form. Use an env var secret such as Secret.fromEnvVar("AZURE_OPENAI_API_KEY").',
      { code: 'configuration' },
    );
  }
}

export const azureOpenAIResponsesChatGeneratorDescriptor: GeneratorDescriptor = {
  typeName: TYPE_NAME,
  kind: 'chat',
  label: 'Azure OpenAI Responses chat',
  fromDict: (dict) => AzureOpenAIResponsesChatGenerator.fromDict(dict),
  secretEnvVars: ['AZURE_OPENAI_API_KEY'],
  defaultModel: 'gpt-5-mini',
  pythonPackages: [],
  wizardFields: [AZURE_WIZARD_FIELDS[0], { ...AZURE_WIZARD_FIELDS[1], defaultValue: 'gpt-5-mini' }],
  capabilities: fixedCapabilities({
    imageInput: true,
    toolCalling: true,
    structuredOutput: RESPONSES_STRUCTURED_OUTPUT,
    maxTokensKey: 'max_output_tokens',
    tokenLimits: GPT_5_MINI_LIMITS,
  }),
};
