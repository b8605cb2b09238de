// The one connection of every Azure OpenAI generator (chat, text, Responses): endpoint, deployment, api-version, the
// three ways to authenticate, timeout, retries, headers and `http_client_kwargs`, each read, checked and serialized
// here once. Chat and text go through the SDK's AzureOpenAI client; Responses through Azure's v1 API.
import type { AzureOpenAI, OpenAI } from 'openai';
import { ConfigurationError, missingSecretError } from '../../core/errors';
import { Secret, secretFromDict, secretToDict } from '../../core/secret';
import type { InitParameterReader } from '../../core/serialization';
import { ClientCache } from '../shared/clientCache';
import {
  createOpenAIClient,
  loadOpenAI,
  openAIProviderContext,
  resolveMaxRetries,
  resolveTimeoutSeconds,
  sdkClientOptions,
  type ProviderContext,
} from '../openai/openAIConnection';

/**
 * Returns an Entra ID token (or key), sync or async; called before every request. Read from a Haystack dict, a
 * token provider is the Python qualified name of one, a string kept for round trips that cannot run in the editor.
 */
export type TokenProvider = () => string | Promise<string>;

/**
 * The endpoint or api-version as text, or (Haystack 2.30.1+) as a secret naming the env var that holds it, read when
 * a client is made so that a value stored later in SecretStorage is picked up.
 */
export type StringOrSecret = string | Secret;

export interface AzureConnectionOptions {
  /** Default: the AZURE_OPENAI_ENDPOINT environment variable. */
  azureEndpoint?: StringOrSecret;
  /** Default `2023-05-15`. */
  apiVersion?: StringOrSecret;
  /** The deployment, sent as the model. Default `gpt-4o-mini` (the Responses generator's: `gpt-5-mini`). */
  azureDeployment?: string;
  /** Default `Secret.fromEnvVar('AZURE_OPENAI_API_KEY', {strict: false})`; `null` for none. */
  apiKey?: Secret | null;
  /** Default `Secret.fromEnvVar('AZURE_OPENAI_AD_TOKEN', {strict: false})`; `null` for none. */
  azureAdToken?: Secret | null;
  azureAdTokenProvider?: TokenProvider | string;
  organization?: string;
  timeout?: number;
  maxRetries?: number;
  defaultHeaders?: Record<string, string>;
  httpClientKwargs?: Record<string, unknown>;
}

const PROVIDER = 'Azure OpenAI';

/** Haystack's endpoint rule for every Azure generator: given, or AZURE_OPENAI_ENDPOINT; an http(s) URL. */
export function checkAzureEndpoint(given: string | undefined): string {
  const endpoint = given || process.env.AZURE_OPENAI_ENDPOINT;
  if (!endpoint) {
    throw new ConfigurationError(
      'azure_endpoint',
      'Please provide an Azure endpoint or set the environment variable AZURE_OPENAI_ENDPOINT.',
    );
  }
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new ConfigurationError(
      'azure_endpoint',
      `"${endpoint}" is not a URL Azure answers on: it is not an http(s) URL such as https://example-resource.openai.azure.com/.`,
    );
  }
  return endpoint;
}

/** The resolved connection settings of an Azure generator, and its clients. */
export class AzureConnection {
  /** As given: a checked URL, or a secret read (and checked) when a client is made. */
  readonly endpointSetting: StringOrSecret;
  readonly apiVersionSetting: StringOrSecret;
  readonly azureDeployment: string;
  readonly apiKey: Secret | null;
  readonly azureAdToken: Secret | null;
  readonly azureAdTokenProvider?: TokenProvider | string;
  readonly organization?: string;
  /** As given; `timeoutSeconds` is the value in force. */
  readonly timeout?: number;
  readonly maxRetries?: number;
  readonly defaultHeaders: Record<string, string>;
  readonly httpClientKwargs?: Record<string, unknown>;
  readonly #azureClients = new ClientCache<AzureOpenAI>();
  readonly #v1Clients = new ClientCache<OpenAI>();

  constructor(options: AzureConnectionOptions, defaultDeployment = 'gpt-4o-mini') {
    this.endpointSetting =
      options.azureEndpoint instanceof Secret ? options.azureEndpoint : checkAzureEndpoint(options.azureEndpoint);
    this.apiVersionSetting = options.apiVersion ?? '2023-05-15';
    this.azureDeployment = options.azureDeployment ?? defaultDeployment;
    this.apiKey =
      options.apiKey === undefined ? Secret.fromEnvVar('AZURE_OPENAI_API_KEY', { strict: false }) : options.apiKey;
    this.azureAdToken =
      options.azureAdToken === undefined
        ? Secret.fromEnvVar('AZURE_OPENAI_AD_TOKEN', { strict: false })
        : options.azureAdToken;
    this.azureAdTokenProvider = options.azureAdTokenProvider;
    if (!this.apiKey && !this.azureAdToken && !this.azureAdTokenProvider)
      throw new ConfigurationError('api_key', 'Please provide an API key or an Azure Active Directory token.');
    this.organization = options.organization;
    this.timeout = options.timeout;
    this.maxRetries = options.maxRetries;
    this.defaultHeaders = { ...options.defaultHeaders };
    this.httpClientKwargs = options.httpClientKwargs;
  }

  get timeoutSeconds(): number {
    return resolveTimeoutSeconds(this.timeout);
  }

  /** The endpoint URL now; one given as a secret is read and checked here. */
  get azureEndpoint(): string {
    const setting = this.endpointSetting;
    return typeof setting === 'string' ? setting : checkAzureEndpoint(resolveSetting(setting, 'endpoint'));
  }

  get apiVersion(): string {
    const setting = this.apiVersionSetting;
    return typeof setting === 'string' ? setting : resolveSetting(setting, 'api-version');
  }

  /** The SDK's AzureOpenAI client (Chat Completions) for the current credentials. */
  client(): Promise<AzureOpenAI> {
    const { apiKey, adToken, provider } = this.credentials();
    const tokenProvider = adToken ? async () => adToken : provider ? async () => await provider() : undefined;
    const endpoint = this.azureEndpoint;
    const apiVersion = this.apiVersion;
    return this.#azureClients.get(
      [apiKey ?? '', adToken ?? '', provider ? 'provider' : '', endpoint, apiVersion].join('\u0000'),
      async () => {
        const [{ AzureOpenAI }, common] = await Promise.all([loadOpenAI(), sdkClientOptions(this.clientSettings())]);
        return new AzureOpenAI({
          endpoint,
          apiVersion,
          deployment: this.azureDeployment,
          // An Entra ID token (static or from the provider) wins over the api-key, as in the Python SDK.
          apiKey: tokenProvider ? undefined : apiKey,
          azureADTokenProvider: tokenProvider,
          ...common,
        });
      },
    );
  }

  /** An OpenAI client on Azure's v1 API (`{endpoint}/openai/v1`, Responses), the credential sent as a bearer token. */
  async v1Client(): Promise<OpenAI> {
    const { apiKey, adToken, provider } = this.credentials();
    const bearer = adToken ?? (provider ? await provider() : undefined) ?? apiKey;
    if (typeof bearer !== 'string' || bearer === '') throw this.missingCredentials();
    return this.#v1Clients.get(bearer, () =>
      createOpenAIClient({
        apiKey: bearer,
        baseURL: `${this.azureEndpoint.replace(/\/+$/, '')}/openai/v1`,
        ...this.clientSettings(),
      }),
    );
  }

  context(): ProviderContext {
    return openAIProviderContext(PROVIDER, [this.apiKey, this.azureAdToken]);
  }

  /** Every init parameter of the connection, as Haystack's Azure chat and text generators write them. */
  toInitParameters(): Record<string, unknown> {
    return {
      azure_endpoint: settingToDict(this.endpointSetting),
      azure_deployment: this.azureDeployment,
      organization: this.organization ?? null,
      api_version: settingToDict(this.apiVersionSetting),
      timeout: this.timeout ?? null,
      max_retries: this.maxRetries ?? null,
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
    const stringOrSecret = (key: string) =>
      isRecord(read.raw(key)) ? Secret.fromDict(read.raw(key), `init_parameters.${key}`) : read.string(key);
    return {
      azureEndpoint: stringOrSecret('azure_endpoint'),
      apiVersion: stringOrSecret('api_version'),
      azureDeployment: read.string('azure_deployment'),
      apiKey: read.has('api_key') ? secretOrNull('api_key') : undefined,
      azureAdToken: read.has('azure_ad_token') ? secretOrNull('azure_ad_token') : undefined,
      azureAdTokenProvider: read.string('azure_ad_token_provider'),
      organization: read.string('organization'),
      timeout: read.number('timeout'),
      maxRetries: read.number('max_retries'),
      defaultHeaders: read.record('default_headers') as Record<string, string> | undefined,
      httpClientKwargs: read.record('http_client_kwargs'),
    };
  }

  /** Credentials are resolved per call: a key stored later in SecretStorage is picked up. */
  private credentials(): { apiKey?: string; adToken?: string; provider?: TokenProvider } {
    const apiKey = this.apiKey?.resolveValue() || undefined;
    const adToken = this.azureAdToken?.resolveValue() || undefined;
    const named = this.azureAdTokenProvider;
    if (!apiKey && !adToken && typeof named === 'string') {
      throw new ConfigurationError(
        'api_key',
        `refers to the Python function "${named}", which cannot run in the editor. Use an env var secret such as {"type": "env_var", "env_vars": ["AZURE_OPENAI_API_KEY"]}.`,
      );
    }
    const provider = typeof named === 'function' ? named : undefined;
    if (!apiKey && !adToken && !provider) throw this.missingCredentials();
    return { apiKey, adToken, provider };
  }

  private missingCredentials() {
    const names = [...(this.apiKey?.envVars ?? []), ...(this.azureAdToken?.envVars ?? [])];
    return missingSecretError(`No ${PROVIDER} credentials`, names, 'configure a token provider');
  }

  private clientSettings() {
    return {
      organization: this.organization,
      timeoutSeconds: this.timeoutSeconds,
      maxRetries: resolveMaxRetries(this.maxRetries),
      defaultHeaders: this.defaultHeaders,
      httpClientKwargs: this.httpClientKwargs,
    };
  }
}

/** A setting given as a secret, read now; an unset variable is a missing_secret error naming it. */
function resolveSetting(secret: Secret, what: string): string {
  const value = secret.resolveValue();
  if (!value) throw missingSecretError(`No Azure OpenAI ${what}`, secret.envVars);
  return value;
}

function settingToDict(setting: StringOrSecret): unknown {
  return typeof setting === 'string' ? setting : setting.toDict();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
