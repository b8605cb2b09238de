// OpenAI's image generation endpoint (POST /v1/images/generations) for dall-e-2, dall-e-3 and the GPT image models,
// after the official OpenAPI spec: CreateImageRequest in, ImagesResponse out, `{"error": {message, type, param,
// code}}` on failure. Images are real PNGs of the requested size, returned as `b64_json` or as a `url` this server
// also serves; the GPT image models always answer in base64 and refuse `response_format`.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { encodePng, type Rgb } from './png';
import { type RecordedRequest, type Route, sendJson } from './testServer';

const GPT_IMAGE_MODELS = ['gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5', 'gpt-image-2', 'gpt-image-2-2026-04-21'];
const GPT_IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'];

/** The sizes each model accepts, in the order the API lists them in its errors. */
export const DALLE_SIZES: Readonly<Record<string, readonly string[]>> = {
  'dall-e-2': ['256x256', '512x512', '1024x1024'],
  'dall-e-3': ['1024x1024', '1024x1792', '1792x1024'],
  ...Object.fromEntries(GPT_IMAGE_MODELS.map((model) => [model, GPT_IMAGE_SIZES])),
};
const DALLE_QUALITIES: Readonly<Record<string, readonly string[]>> = {
  'dall-e-2': ['standard', 'auto'],
  'dall-e-3': ['standard', 'hd', 'auto'],
  ...Object.fromEntries(GPT_IMAGE_MODELS.map((model) => [model, ['low', 'medium', 'high', 'auto']])),
};
const MAX_PROMPT_LENGTH: Readonly<Record<string, number>> = {
  'dall-e-2': 1000,
  'dall-e-3': 4000,
  ...Object.fromEntries(GPT_IMAGE_MODELS.map((model) => [model, 32000])),
};
const isGptImage = (model: string) => GPT_IMAGE_MODELS.includes(model);
/** gpt-image-2 also takes WIDTHxHEIGHT in multiples of 16 with an aspect ratio between 1:3 and 3:1. */
const isCustomSize = (model: string, size: string) => {
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!model.startsWith('gpt-image-2') || !match) return false;
  const [width, height] = [Number(match[1]), Number(match[2])];
  return width % 16 === 0 && height % 16 === 0 && Math.max(width, height) <= 3 * Math.min(width, height);
};

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** An error reply in OpenAI's shape, for `server.enqueue(...)` or the routes below. */
export function openAIErrorReply(
  status: number,
  message: string,
  details: { type?: string; param?: string | null; code?: string | null; headers?: Record<string, string> } = {},
): { status: number; body: OpenAIErrorBody; headers?: Record<string, string> } {
  return {
    status,
    body: {
      error: {
        message,
        type: details.type ?? 'invalid_request_error',
        param: details.param ?? null,
        code: details.code ?? null,
      },
    },
    headers: details.headers,
  };
}

/** What the API answers when the safety system rejects a prompt. */
export const contentPolicyViolation = openAIErrorReply(
  400,
  'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
  { code: 'content_policy_violation' },
);

/** The colour the server paints an image for `prompt`, so a test can check the image belongs to its request. */
export function imageColorFor(prompt: string): Rgb {
  const digest = createHash('sha256').update(prompt).digest();
  return [digest[0], digest[1], digest[2]];
}

/** The prompt dall-e-3 reports as `revised_prompt` (dall-e-2 reports none). */
export function revisedPromptFor(prompt: string): string {
  return `A detailed digital illustration of: ${prompt}`;
}

export interface OpenAIImagesOptions {
  /** When set, only this key is accepted; others get the API's 401. Any Bearer key is accepted otherwise. */
  apiKey?: string;
}

/** Routes for POST /v1/images/generations and GET of the image URLs it hands out. */
export function openAIImagesRoutes(options: OpenAIImagesOptions = {}): Route[] {
  const stored = new Map<string, Buffer>();
  let nextId = 1;

  const generate = (request: RecordedRequest, response: ServerResponse) => {
    const authError = checkAuthorization(request, options.apiKey);
    if (authError) return reply(response, authError);
    const body =
      typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : undefined;
    if (!body)
      return reply(
        response,
        openAIErrorReply(
          400,
          'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.',
        ),
      );
    const invalid = validate(body);
    if (invalid) return reply(response, invalid);

    const model = (body.model as string | undefined) ?? 'dall-e-2';
    const prompt = body.prompt as string;
    const size = (body.size as string | undefined) ?? 'auto';
    const [width, height] = (size === 'auto' ? '1024x1024' : size).split('x').map(Number);
    const color = imageColorFor(prompt);
    const inverse: Rgb = [255 - color[0], 255 - color[1], 255 - color[2]];
    // Horizontal bands keep the file small (it compresses well) while being a real, non-trivial image.
    const png = encodePng(width, height, (_x, y) => (Math.floor(y / 64) % 2 === 0 ? color : inverse));
    const count = (body.n as number | undefined) ?? 1;
    const data = Array.from({ length: count }, () => {
      const image: Record<string, string> = {};
      if (body.response_format === 'b64_json' || isGptImage(model)) {
        image.b64_json = png.toString('base64');
      } else {
        const id = `img-${nextId++}`;
        stored.set(id, png);
        image.url = `http://${request.headers.host}/images/${id}.png`;
      }
      if (model === 'dall-e-3') image.revised_prompt = revisedPromptFor(prompt);
      return image;
    });
    sendJson(response, 200, { created: Math.floor(Date.now() / 1000), data });
  };

  const serveImage = (request: RecordedRequest, response: ServerResponse) => {
    const id = /^\/images\/(img-\d+)\.png$/.exec(request.path)?.[1];
    const png = id === undefined ? undefined : stored.get(id);
    if (!png)
      return sendJson(response, 404, {
        error: { message: 'The image does not exist or has expired.', type: 'not_found' },
      });
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
    response.end(png);
  };

  return [
    { method: 'POST', path: '/v1/images/generations', handle: generate },
    { method: 'GET', path: /^\/images\/img-\d+\.png$/, handle: serveImage },
  ];
}

function reply(response: ServerResponse, error: ReturnType<typeof openAIErrorReply>): void {
  sendJson(response, error.status, error.body, error.headers);
}

function checkAuthorization(request: RecordedRequest, expectedKey: string | undefined) {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ') || header.length === 'Bearer '.length) {
    return openAIErrorReply(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    );
  }
  const key = header.slice('Bearer '.length);
  if (expectedKey !== undefined && key !== expectedKey) {
    // The real API masks all but the last four characters of a wrong key.
    return openAIErrorReply(
      401,
      `Incorrect API key provided: ${'*'.repeat(Math.max(0, key.length - 4))}${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      {
        code: 'invalid_api_key',
      },
    );
  }
  return undefined;
}

/** The API's own checks on a dall-e request, with its messages. */
function validate(body: Record<string, unknown>) {
  if (typeof body.prompt !== 'string' || body.prompt === '') {
    return openAIErrorReply(400, "Missing required parameter: 'prompt'.", {
      param: 'prompt',
      code: 'missing_required_parameter',
    });
  }
  const model = body.model ?? 'dall-e-2';
  if (typeof model !== 'string' || !(model in DALLE_SIZES)) {
    return openAIErrorReply(
      400,
      `Invalid value: '${String(model)}'. Supported values are: ${Object.keys(DALLE_SIZES)
        .map((m) => `'${m}'`)
        .join(', ')}.`,
      { param: 'model', code: 'invalid_value' },
    );
  }
  if (body.prompt.length > MAX_PROMPT_LENGTH[model]) {
    return openAIErrorReply(
      400,
      `Invalid 'prompt': string too long. Expected a string with maximum length ${MAX_PROMPT_LENGTH[model]}, but got a string with length ${body.prompt.length} instead.`,
      {
        param: 'prompt',
        code: 'string_above_max_length',
      },
    );
  }
  const sizes = DALLE_SIZES[model];
  if (
    body.size !== undefined &&
    body.size !== null &&
    !sizes.includes(body.size as string) &&
    !isCustomSize(model, String(body.size))
  ) {
    return openAIErrorReply(
      400,
      `'${String(body.size)}' is not one of [${sizes.map((s) => `'${s}'`).join(', ')}] - 'size'`,
    );
  }
  const qualities = DALLE_QUALITIES[model];
  if (body.quality !== undefined && body.quality !== null && !qualities.includes(body.quality as string)) {
    return openAIErrorReply(
      400,
      `'${String(body.quality)}' is not one of [${qualities.map((q) => `'${q}'`).join(', ')}] - 'quality'`,
    );
  }
  if (isGptImage(model) && body.response_format !== undefined) {
    return openAIErrorReply(400, "Unknown parameter: 'response_format'.", {
      param: 'response_format',
      code: 'unknown_parameter',
    });
  }
  if (
    body.response_format !== undefined &&
    body.response_format !== null &&
    body.response_format !== 'url' &&
    body.response_format !== 'b64_json'
  ) {
    return openAIErrorReply(
      400,
      `'${String(body.response_format)}' is not one of ['url', 'b64_json'] - 'response_format'`,
    );
  }
  const n = body.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10) {
    return openAIErrorReply(400, `${String(n)} is not a valid value for 'n': it must be an integer between 1 and 10.`, {
      param: 'n',
    });
  }
  if (model === 'dall-e-3' && n !== 1) {
    return openAIErrorReply(400, 'You must provide n=1 for this model.', { param: 'n' });
  }
  return undefined;
}
