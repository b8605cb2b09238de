// Haystack's DALLEImageGenerator: one image per prompt from OpenAI's images API (dall-e-2 or dall-e-3).
import { ConfigurationError, GeneratorError } from '../../core/errors';
import type { ImageGenerator, ImageGeneratorResult, ImageRunOptions } from '../../core/generator';
import { Secret } from '../../core/secret';
import { type ComponentDict, InitParameterReader, readInitParameters } from '../../core/serialization';
import { fixedCapabilities, type GeneratorDescriptor } from '../../core/descriptor';
import {
  loadOpenAI,
  OpenAIConnection,
  resolveMaxRetries,
  resolveTimeoutSeconds,
  type OpenAIConnectionOptions,
} from '../openai/openAIConnection';
import { sdkCall } from '../openai/sdkCall';

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
export interface DALLEImageGeneratorOptions extends OpenAIConnectionOptions {
  /** `dall-e-3` (default) or `dall-e-2`. */
  model?: DalleModel;
  /** `standard` (default) or `hd` (dall-e-3 only). */
  quality?: DalleQuality;
  /** `1024x1024` (default); dall-e-2 also takes 256x256 and 512x512, dall-e-3 1792x1024 and 1024x1792. */
  size?: DalleSize;
  /** `url` (default; the URL expires after an hour) or `b64_json`. */
  responseFormat?: DalleResponseFormat;
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
  private readonly connection: OpenAIConnection;

  constructor(options: DALLEImageGeneratorOptions = {}) {
    this.model = options.model ?? 'dall-e-3';
    this.quality = options.quality ?? 'standard';
    this.size = options.size ?? '1024x1024';
    this.responseFormat = options.responseFormat ?? 'url';
    const problem = checkRequest(this.model, this.size, this.quality, this.responseFormat);
    if (problem) throw new ConfigurationError(`init_parameters.${problem.field}`, problem.message);
    // Haystack's DALL·E generator resolves timeout and retries at construction.
    this.connection = new OpenAIConnection({
      ...options,
      timeout: resolveTimeoutSeconds(options.timeout),
      maxRetries: resolveMaxRetries(options.maxRetries),
    });
  }

  /** Seconds, as resolved at construction. */
  get timeout(): number {
    return this.connection.timeoutSeconds;
  }

  get maxRetries(): number {
    return this.connection.maxRetries!;
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

    const client = await this.connection.client();
    // Not a stream: the idle timer never runs, the SDK's own timeout covers the whole request.
    const response = await sdkCall(
      { signal: options.signal, idleTimeoutMs: this.timeout * 1000, context: this.connection.context() },
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
    const connection = this.connection.toInitParameters();
    return {
      type: DALLEImageGenerator.typeName,
      init_parameters: {
        model: this.model,
        quality: this.quality,
        size: this.size,
        response_format: this.responseFormat,
        api_key: connection.api_key,
        api_base_url: connection.api_base_url,
        organization: connection.organization,
        http_client_kwargs: connection.http_client_kwargs,
      },
    };
  }

  static fromDict(dict: unknown): DALLEImageGenerator {
    const params = new InitParameterReader(readInitParameters(dict, DALLEImageGenerator.typeName));
    return new DALLEImageGenerator({
      ...OpenAIConnection.readOptions(params, Secret.fromEnvVar('OPENAI_API_KEY')),
      model: params.string('model') as DalleModel | undefined,
      quality: params.string('quality') as DalleQuality | undefined,
      size: params.string('size') as DalleSize | undefined,
      responseFormat: params.string('response_format') as DalleResponseFormat | undefined,
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

export const dalleImageGeneratorDescriptor: GeneratorDescriptor = {
  typeName: DALLEImageGenerator.typeName,
  kind: 'image',
  label: 'OpenAI image (DALL·E)',
  fromDict: (dict) => DALLEImageGenerator.fromDict(dict),
  secretEnvVars: ['OPENAI_API_KEY'],
  defaultModel: 'dall-e-3',
  pythonPackages: [],
  wizardFields: [{ path: 'model', prompt: 'Model', defaultValue: 'dall-e-3' }],
  capabilities: fixedCapabilities({
    imageInput: false,
    toolCalling: false,
    structuredOutput: { supported: false, reason: 'an image generator does not answer in text.' },
    maxTokensKey: undefined,
    // dall-e-3 takes prompts up to 4,000 characters (about 1,000 tokens) and answers with an image, not tokens.
    tokenLimits: { contextWindow: 1_000, maxOutputTokens: 0 },
  }),
};
