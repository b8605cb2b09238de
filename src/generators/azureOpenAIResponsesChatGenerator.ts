// Haystack's AzureOpenAIResponsesChatGenerator: the OpenAI Responses generator pointed at Azure's v1 API
// (`{endpoint}/openai/v1/responses`, the deployment as the model), with Azure's credentials.
import { ConfigurationError } from '../core/errors';
import { Secret, secretFromDict } from '../core/secret';
import { InitParameterReader, readInitParameters, serializeCallback, type ComponentDict } from '../core/serialization';
import {
  OpenAIResponsesChatGenerator,
  readResponsesInitParameters,
  type OpenAIResponsesChatGeneratorOptions,
  type TokenProvider,
} from './openAIResponsesChatGenerator';
import { withTextFormat } from './responsesRequest';
import { serializeResponsesTools } from './responsesTools';

/** Init parameters of {@link AzureOpenAIResponsesChatGenerator}, Haystack's in camelCase. */
export interface AzureOpenAIResponsesChatGeneratorOptions extends Omit<
  OpenAIResponsesChatGeneratorOptions,
  'apiKey' | 'model' | 'apiBaseUrl'
> {
  /**
   * An API key or Entra ID token as a Secret, or a function returning a token (sync or async, called before each
   * run). Defaults to the `AZURE_OPENAI_API_KEY` env var (not strict). A string is the Python name of a token
   * provider from a Haystack dict.
   */
  apiKey?: Secret | TokenProvider | string;
  /** e.g. `https://example-resource.openai.azure.com/`; falls back to the AZURE_OPENAI_ENDPOINT env var. */
  azureEndpoint?: string;
  /** The deployment, sent as the model. Defaults to `gpt-5-mini`. */
  azureDeployment?: string;
}

const TYPE_NAME = 'haystack.components.generators.chat.azure_responses.AzureOpenAIResponsesChatGenerator';

/** Completes chats with the Responses API of an Azure OpenAI resource. */
export class AzureOpenAIResponsesChatGenerator extends OpenAIResponsesChatGenerator {
  static override readonly typeName: string = TYPE_NAME;

  readonly azureEndpoint: string;
  readonly azureDeployment: string;

  constructor(options: AzureOpenAIResponsesChatGeneratorOptions = {}) {
    const azureEndpoint = options.azureEndpoint || process.env.AZURE_OPENAI_ENDPOINT;
    if (!azureEndpoint) {
      throw new ConfigurationError(
        'azure_endpoint',
        'set azure_endpoint (e.g. "https://example-resource.openai.azure.com/") or the AZURE_OPENAI_ENDPOINT environment variable.',
      );
    }
    if (!/^https?:\/\/[^/\s]+/.test(azureEndpoint)) {
      throw new ConfigurationError(
        'azure_endpoint',
        `"${azureEndpoint}" is not an http(s) URL; expected e.g. "https://example-resource.openai.azure.com/".`,
      );
    }
    const azureDeployment = options.azureDeployment ?? 'gpt-5-mini';
    const { apiKey, azureEndpoint: _endpoint, azureDeployment: _deployment, ...shared } = options;
    super({ ...shared, model: azureDeployment, apiBaseUrl: `${azureEndpoint.replace(/\/+$/, '')}/openai/v1` });
    this.azureEndpoint = azureEndpoint;
    this.azureDeployment = azureDeployment;
    this.credential = apiKey ?? Secret.fromEnvVar('AZURE_OPENAI_API_KEY', { strict: false });
    this.providerName = 'Azure OpenAI';
  }

  protected override keyName(): string {
    return this.credential instanceof Secret && this.credential.envVars.length > 0
      ? this.credential.envVars[0]
      : 'AZURE_OPENAI_API_KEY';
  }

  override toDict(): ComponentDict {
    return {
      type: TYPE_NAME,
      init_parameters: {
        azure_endpoint: this.azureEndpoint,
        api_key: this.serializedCredential(),
        azure_deployment: this.azureDeployment,
        streaming_callback: serializeCallback(this.streamingCallback),
        organization: this.organization ?? null,
        generation_kwargs: withTextFormat(this.generationKwargs),
        timeout: this.timeout ?? null,
        max_retries: this.maxRetries ?? null,
        tools: serializeResponsesTools(this.tools),
        tools_strict: this.toolsStrict,
        http_client_kwargs: this.httpClientKwargs ?? null,
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
      ...readResponsesInitParameters(params),
      apiKey,
      azureEndpoint: params.string('azure_endpoint'),
      azureDeployment: params.string('azure_deployment'),
    });
  }
}
