// Haystack's DALLEImageGenerator: one image per prompt from OpenAI's images API (dall-e-2 or dall-e-3).
import type { OpenAI } from 'openai';
import { ConfigurationError, GeneratorError } from '../core/errors';
import type { ImageGenerator, ImageGeneratorResult, ImageRunOptions } from '../core/generator';
import { Secret, secretFromDict } from '../core/secret';
import { type ComponentDict, InitParameterReader, readInitParameters } from '../core/serialization';
import { ClientCache } from './clientCache';
import { createOpenAIClient, loadOpenAI, resolveMaxRetries, resolveTimeoutSeconds } from './openaiClient';
import { sdkCall } from './sdkCall';

export type DalleModel = 'dall-e-2' | 'dall-e-3';
export type DalleQuality = 'standard' | 'hd';
export type DalleSize = '256x256' | '512x512' | '1024x1024' | '1792x1024' | '1024x1792';
export type DalleResponseFormat = 'url' | 'b64_json';

// What the images API accepts for each model (OpenAI's CreateImageRequest); checked before sending so a wrong
// combination fails at once with the allowed values instead of a round trip and a terse 400.
const SIZES: Record<DalleModel, readonly DalleSize[]> = {
  'dall-e-2': ['256x256', '512x512', '1024x1024'],
  'dall-e-3': ['1024x1024', '1792x1024', '1024x1792'],
};
const QUALITIES: Record<DalleModel, readonly DalleQuality[]> = {
  'dall-e-2': ['standard'],
  'dall-e-3': ['standard', 'hd'],
};
const RESPONSE_FORMATS: readonly DalleResponseFormat[] = ['url', 'b64_json'];

/** Init parameters of {@link DALLEImageGenerator}, camelCase versions of Haystack's; defaults as in Haystack. */
export interface DALLEImageGeneratorOptions {
  /** `dall-e-3` (default) or `dall-e-2`. */
  model?: DalleModel;
  /** `standard` (default) or `hd` (dall-e-3 only). */
  quality?: DalleQuality;
  /** `1024x1024` (default); dall-e-2 also takes 256x256 and 512x512, dall-e-3 1792x1024 and 1024x1792. */
  size?: DalleSize;
  /** `url` (default; the URL expires after an hour) or `b64_json`. */
  responseFormat?: DalleResponseFormat;
  /** Defaults to the OPENAI_API_KEY environment variable. */
  apiKey?: Secret;
  apiBaseUrl?: string;
  organization?: string;
  /** Seconds; defaults to OPENAI_TIMEOUT or 30. */
  timeout?: number;
  /** Defaults to OPENAI_MAX_RETRIES or 5. */
  maxRetries?: number;
  /** Haystack's `httpx` client settings: `proxy`, `verify` and `headers` are honoured; the rest is kept for round trips. */
  httpClientKwargs?: Record<string, unknown>;
}

/** Generates images with OpenAI's DALL·E models, after Haystack's `DALLEImageGenerator`. */
export class DALLEImageGenerator implements ImageGenerator {
  static readonly typeName = 'haystack.components.generators.openai_dalle.DALLEImageGenerator';
  static readonly kind = 'image';
  readonly typeName = DALLEImageGenerator.typeName;
  readonly kind = DALLEImageGenerator.kind;

  readonly model: DalleModel;
  readonly quality: DalleQuality;
  readonly size: DalleSize;
  readonly responseFormat: DalleResponseFormat;
  readonly apiKey: Secret;
  readonly apiBaseUrl?: string;
  readonly organization?: string;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly httpClientKwargs?: Record<string, unknown>;
  private readonly clients = new ClientCache<OpenAI>();

  constructor(options: DALLEImageGeneratorOptions = {}) {
    this.model = options.model ?? 'dall-e-3';
    this.quality = options.quality ?? 'standard';
    this.size = options.size ?? '1024x1024';
    this.responseFormat = options.responseFormat ?? 'url';
    const problem = checkRequest(this.model, this.size, this.quality, this.responseFormat);
    if (problem) throw new ConfigurationError(`init_parameters.${problem.field}`, problem.message);
    this.apiKey = options.apiKey ?? Secret.fromEnvVar('OPENAI_API_KEY');
    this.apiBaseUrl = options.apiBaseUrl;
    this.organization = options.organization;
    this.timeout = resolveTimeoutSeconds(options.timeout);
    this.maxRetries = resolveMaxRetries(options.maxRetries);
    this.httpClientKwargs = options.httpClientKwargs;
  }

  /** Loads the OpenAI SDK; the key is read on each run so a key set later is picked up. */
  async warmUp(): Promise<void> {
    await loadOpenAI();
  }

  /** Generates one image; `size`, `quality` and `responseFormat` override the init-time values for this call. */
  async run(prompt: string, options: ImageRunOptions = {}): Promise<ImageGeneratorResult> {
    if (typeof prompt !== 'string' || prompt.trim() === '') {
      throw new GeneratorError('The prompt is empty: describe the image to generate.', { code: 'bad_request' });
    }
    const size = options.size ?? this.size;
    const quality = options.quality ?? this.quality;
    const responseFormat = options.responseFormat ?? this.responseFormat;
    const problem = checkRequest(this.model, size, quality, responseFormat);
    if (problem) throw new GeneratorError(`${problem.field}: ${problem.message}`, { code: 'bad_request' });

    const keyName = this.apiKey.envVars[0];
    const apiKey = this.apiKey.resolveValue();
    if (apiKey === undefined) {
      throw new GeneratorError(
        `No OpenAI API key: run 'Generators: Set API Key' or set ${keyName ?? 'OPENAI_API_KEY'}.`,
        { code: 'missing_secret' },
      );
    }
    const context = { provider: 'OpenAI', keyName, secrets: [apiKey] };
    const client = await this.clients.get(apiKey, () =>
      createOpenAIClient({
        apiKey,
        baseURL: this.apiBaseUrl,
        organization: this.organization,
        timeoutSeconds: this.timeout,
        maxRetries: this.maxRetries,
        httpClientKwargs: this.httpClientKwargs,
      }),
    );
    // Not a stream: the idle timer never runs, the SDK's own timeout covers the whole request.
    const response = await sdkCall(
      { signal: options.signal, idleTimeoutMs: this.timeout * 1000, context },
      ({ signal }) =>
        client.images.generate(
          {
            model: this.model,
            prompt,
            size: size as DalleSize,
            quality: quality as DalleQuality,
            response_format: responseFormat,
            n: 1,
          },
          { signal },
        ),
    );
    // As Haystack: one image string (URL or base64, whichever came back) and '' when the API sent none.
    // An empty 200 body reaches here as undefined; it is "no image", not a crash.
    const image = (response as typeof response | undefined)?.data?.[0];
    return { images: [image?.url ?? image?.b64_json ?? ''], revisedPrompt: image?.revised_prompt ?? '' };
  }

  /** Haystack's exact keys; `timeout` and `max_retries` are not among them (Haystack leaves them to the environment). */
  toDict(): ComponentDict {
    return {
      type: DALLEImageGenerator.typeName,
      init_parameters: {
        model: this.model,
        quality: this.quality,
        size: this.size,
        response_format: this.responseFormat,
        api_key: this.apiKey.toDict(),
        api_base_url: this.apiBaseUrl ?? null,
        organization: this.organization ?? null,
        http_client_kwargs: this.httpClientKwargs ?? null,
      },
    };
  }

  static fromDict(dict: unknown): DALLEImageGenerator {
    const params = new InitParameterReader(readInitParameters(dict, DALLEImageGenerator.typeName));
    return new DALLEImageGenerator({
      model: params.string('model') as DalleModel | undefined,
      quality: params.string('quality') as DalleQuality | undefined,
      size: params.string('size') as DalleSize | undefined,
      responseFormat: params.string('response_format') as DalleResponseFormat | undefined,
      apiKey: secretFromDict(params.raw('api_key'), 'init_parameters.api_key', Secret.fromEnvVar('OPENAI_API_KEY')),
      apiBaseUrl: params.string('api_base_url'),
      organization: params.string('organization'),
      timeout: params.number('timeout'),
      maxRetries: params.number('max_retries'),
      httpClientKwargs: params.record('http_client_kwargs'),
    });
  }
}

/** The first thing wrong with a model/size/quality/format combination, naming the values that would work. */
function checkRequest(
  model: string,
  size: string,
  quality: string,
  responseFormat: string,
): { field: string; message: string } | undefined {
  if (!Object.hasOwn(SIZES, model)) {
    return { field: 'model', message: `"${model}" is not a DALL·E model; use "dall-e-3" or "dall-e-2".` };
  }
  const sizes = SIZES[model as DalleModel];
  if (!sizes.includes(size as DalleSize)) {
    return { field: 'size', message: `"${size}" is not a ${model} size; use one of ${sizes.join(', ')}.` };
  }
  const qualities = QUALITIES[model as DalleModel];
  if (!qualities.includes(quality as DalleQuality)) {
    return {
      field: 'quality',
      message: `"${quality}" is not a ${model} quality; use ${qualities.map((q) => `"${q}"`).join(' or ')}.`,
    };
  }
  if (!RESPONSE_FORMATS.includes(responseFormat as DalleResponseFormat)) {
    return {
      field: 'response_format',
      message: `"${responseFormat}" is not a response format; use "url" or "b64_json".`,
    };
  }
  return undefined;
}
