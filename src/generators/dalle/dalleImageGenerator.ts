// Haystack's DALLEImageGenerator: one image per prompt from OpenAI's images API (dall-e-2, dall-e-3, GPT image).
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
import { checkImageRequest, defaultImageQuality, imageModelRules } from './imageModels';

/** A model name: `dall-e-3` (default), `dall-e-2`, a GPT image model (`gpt-image-2`, ...) or another the API takes. */
export type DalleModel = string;
/** `standard`/`hd` (dall-e), `auto`/`high`/`medium`/`low` (GPT image models). */
export type DalleQuality = string;
/** A size the model takes, e.g. `1024x1024`, `1792x1024` (dall-e-3), `1536x1024` or `auto` (GPT image models). */
export type DalleSize = string;
export type DalleResponseFormat = 'url' | 'b64_json';

const RESPONSE_FORMATS: readonly DalleResponseFormat[] = ['url', 'b64_json'];

/** Init parameters of {@link DALLEImageGenerator}, camelCase versions of Haystack's; defaults as in Haystack. */
export interface DALLEImageGeneratorOptions extends OpenAIConnectionOptions {
  /** `dall-e-3` (default), `dall-e-2`, or a GPT image model such as `gpt-image-2` (Haystack 2.30+). */
  model?: DalleModel;
  /** `standard` (default) or `hd` (dall-e-3); for GPT image models `auto` (their default), `high`, `medium`, `low`. */
  quality?: DalleQuality;
  /**
   * `1024x1024` (default); also 256x256 and 512x512 (dall-e-2), 1792x1024 and 1024x1792 (dall-e-3), 1536x1024,
   * 1024x1536 and auto (GPT image models; gpt-image-2 also its own WIDTHxHEIGHT).
   */
  size?: DalleSize;
  /**
   * `url` (default; the URL expires after an hour) or `b64_json`, for dall-e models; GPT image models always answer
   * in base64. `null` leaves it out, as the dicts of Haystack 2.30+ do.
   */
  responseFormat?: DalleResponseFormat | null;
}

/** Generates images with OpenAI's image models (DALL·E and GPT image), after Haystack's `DALLEImageGenerator`. */
export class DALLEImageGenerator implements ImageGenerator {
  static readonly typeName = 'haystack.components.generators.openai_dalle.DALLEImageGenerator';
  static readonly kind = 'image';
  readonly typeName = DALLEImageGenerator.typeName;
  readonly kind = DALLEImageGenerator.kind;

  readonly model: DalleModel;
  readonly quality: DalleQuality;
  readonly size: DalleSize;
  /** Undefined when left out (Haystack 2.30+ dicts): no `response_format` is sent or serialized. */
  readonly responseFormat: DalleResponseFormat | undefined;
  private readonly connection: OpenAIConnection;

  constructor(options: DALLEImageGeneratorOptions = {}) {
    this.model = options.model ?? 'dall-e-3';
    this.quality = options.quality ?? defaultImageQuality(this.model);
    this.size = options.size ?? '1024x1024';
    this.responseFormat = options.responseFormat === undefined ? 'url' : (options.responseFormat ?? undefined);
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
            size: size as never,
            quality: quality as never,
            // The GPT image models refuse the field: they always answer in base64.
            ...(responseFormat && imageModelRules(this.model)?.takesResponseFormat !== false
              ? { response_format: responseFormat }
              : {}),
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
        ...(this.responseFormat === undefined ? {} : { response_format: this.responseFormat }),
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
      model: params.string('model'),
      quality: params.string('quality'),
      size: params.string('size'),
      // Haystack 2.30+ writes no response_format; such a dict stays without one.
      responseFormat: (params.string('response_format') ?? null) as DalleResponseFormat | null,
    });
  }
}

/** The first thing wrong with a size/quality/format combination for `model`, naming the values that would work. */
function checkRequest(
  model: string,
  size: string,
  quality: string,
  responseFormat: string | undefined,
): { field: string; message: string } | undefined {
  const problem = checkImageRequest(model, size, quality);
  if (problem) return problem;
  if (responseFormat !== undefined && !RESPONSE_FORMATS.includes(responseFormat as DalleResponseFormat)) {
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
