// What the Azure OpenAI generators share: endpoint, deployment, api-version and the three ways to authenticate.
import type { AzureOpenAI } from 'openai';
import { ConfigurationError, GeneratorError } from '../core/errors';
import { Secret, secretFromDict, secretToDict } from '../core/secret';
import type { InitParameterReader } from '../core/serialization';
import { ClientCache } from './clientCache';
import {
  createAzureOpenAIClient,
  resolveMaxRetries,
  resolveTimeoutSeconds,
  type ProviderContext,
} from './openaiClient';
import { safeResolve } from './openAIChatGenerator';

/** Returns an Entra ID token; called before every request. A string is a Python qualified name kept for round trips. */
export type AzureAdTokenProvider = (() => string | Promise<string>) | string;

export interface AzureConnectionOptions {
  /** Default: the AZURE_OPENAI_ENDPOINT environment variable. */
  azureEndpoint?: string;
  /** Default `2023-05-15`. */
  apiVersion?: string;
  /** Default `gpt-4o-mini`. */
  azureDeployment?: string;
  /** Default `Secret.fromEnvVar('AZURE_OPENAI_API_KEY', {strict: false})`; `null` for none. */
  apiKey?: Secret | null;
  /** Default `Secret.fromEnvVar('AZURE_OPENAI_AD_TOKEN', {strict: false})`; `null` for none. */
  azureAdToken?: Secret | null;
  azureAdTokenProvider?: AzureAdTokenProvider;
  organization?: string;
  timeout?: number;
  maxRetries?: number;
  defaultHeaders?: Record<string, string>;
  httpClientKwargs?: Record<string, unknown>;
}

/** The resolved connection settings of an Azure generator, and its client. */
export class AzureConnection {
  readonly azureEndpoint: string;
  readonly apiVersion: string;
  readonly azureDeployment: string;
  readonly apiKey: Secret | null;
  readonly azureAdToken: Secret | null;
  readonly azureAdTokenProvider?: AzureAdTokenProvider;
  readonly organization?: string;
  /** Resolved at construction from OPENAI_TIMEOUT / OPENAI_MAX_RETRIES, as Haystack's Azure generators do. */
  readonly timeout: number;
  readonly maxRetries: number;
  readonly defaultHeaders: Record<string, string>;
  readonly httpClientKwargs?: Record<string, unknown>;
  private readonly clients = new ClientCache<AzureOpenAI>();

  constructor(options: AzureConnectionOptions) {
    const endpoint = options.azureEndpoint ?? process.env.AZURE_OPENAI_ENDPOINT;
    if (!endpoint) {
      throw new ConfigurationError(
        'azure_endpoint',
        'Please provide an Azure endpoint or set the environment variable AZURE_OPENAI_ENDPOINT.',
      );
    }
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new ConfigurationError(
        'azure_endpoint',
        `"${endpoint}" is not a URL; expected e.g. https://example-resource.openai.azure.com/.`,
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConfigurationError('azure_endpoint', `expected an https:// URL, got "${url.protocol}".`);
    }
    this.azureEndpoint = endpoint;
    this.apiVersion = options.apiVersion ?? '2023-05-15';
    this.azureDeployment = options.azureDeployment ?? 'gpt-4o-mini';
    this.apiKey =
      options.apiKey === undefined ? Secret.fromEnvVar('AZURE_OPENAI_API_KEY', { strict: false }) : options.apiKey;
    this.azureAdToken =
      options.azureAdToken === undefined
        ? Secret.fromEnvVar('AZURE_OPENAI_AD_TOKEN', { strict: false })
        : options.azureAdToken;
    this.azureAdTokenProvider = options.azureAdTokenProvider;
    if (!this.apiKey && !this.azureAdToken && !this.azureAdTokenProvider) {
      throw new ConfigurationError('api_key', 'Please provide an API key or an Azure Active Directory token.');
    }
    this.organization = options.organization;
    this.timeout = resolveTimeoutSeconds(options.timeout);
    this.maxRetries = resolveMaxRetries(options.maxRetries);
    this.defaultHeaders = { ...options.defaultHeaders };
    this.httpClientKwargs = options.httpClientKwargs;
  }

  /** Credentials are resolved per call; an Entra ID token (static or from the provider) wins over the api-key, as in the Python SDK. */
  client(extraHeaders?: Record<string, string>): Promise<AzureOpenAI> {
    const apiKey = this.apiKey?.resolveValue();
    const adToken = this.azureAdToken?.resolveValue();
    const provider = typeof this.azureAdTokenProvider === 'function' ? this.azureAdTokenProvider : undefined;
    if (!apiKey && !adToken && !provider) {
      const names = [...(this.apiKey?.envVars ?? []), ...(this.azureAdToken?.envVars ?? [])];
      throw new GeneratorError(
        `No Azure OpenAI credentials: set ${names.join(' or ') || 'an API key'} (run 'Generators: Set API Key') or configure azure_ad_token_provider.`,
        { code: 'missing_secret' },
      );
    }
    const tokenProvider = adToken ? async () => adToken : provider ? async () => await provider() : undefined;
    return this.clients.get(`${apiKey ?? ''}\u0000${adToken ?? ''}\u0000${provider ? 'provider' : ''}`, () =>
      createAzureOpenAIClient({
        azureEndpoint: this.azureEndpoint,
        apiVersion: this.apiVersion,
        azureDeployment: this.azureDeployment,
        apiKey,
        azureAdTokenProvider: tokenProvider,
        organization: this.organization,
        timeoutSeconds: this.timeout,
        maxRetries: this.maxRetries,
        defaultHeaders: { ...this.defaultHeaders, ...extraHeaders },
        httpClientKwargs: this.httpClientKwargs,
      }),
    );
  }

  providerContext(): ProviderContext {
    return {
      provider: 'Azure OpenAI',
      keyName: this.apiKey?.envVars[0] ?? this.azureAdToken?.envVars[0],
      secrets: [safeResolve(this.apiKey ?? undefined), safeResolve(this.azureAdToken ?? undefined)],
    };
  }

  /** The connection's part of Haystack's `init_parameters`. */
  toInitParameters(): Record<string, unknown> {
    return {
      azure_endpoint: this.azureEndpoint,
      azure_deployment: this.azureDeployment,
      organization: this.organization ?? null,
      api_version: this.apiVersion,
      timeout: this.timeout,
      max_retries: this.maxRetries,
      api_key: secretToDict(this.apiKey),
      azure_ad_token: secretToDict(this.azureAdToken),
      default_headers: { ...this.defaultHeaders },
      azure_ad_token_provider: typeof this.azureAdTokenProvider === 'string' ? this.azureAdTokenProvider : null,
      http_client_kwargs: this.httpClientKwargs ?? null,
    };
  }

  static readOptions(read: InitParameterReader): AzureConnectionOptions {
    const secretOrNull = (key: string) =>
      read.raw(key) === null ? null : secretFromDict(read.raw(key), `init_parameters.${key}`);
    const headers = read.record('default_headers');
    return {
      azureEndpoint: read.string('azure_endpoint'),
      apiVersion: read.string('api_version'),
      azureDeployment: read.string('azure_deployment'),
      apiKey: read.has('api_key') ? secretOrNull('api_key') : undefined,
      azureAdToken: read.has('azure_ad_token') ? secretOrNull('azure_ad_token') : undefined,
      azureAdTokenProvider: read.string('azure_ad_token_provider'),
      organization: read.string('organization'),
      timeout: read.number('timeout'),
      maxRetries: read.number('max_retries'),
      defaultHeaders: headers as Record<string, string> | undefined,
      httpClientKwargs: read.record('http_client_kwargs'),
    };
  }
}
