// What OpenAI's images API takes from each model family (its CreateImageRequest): sizes, qualities, and whether it
// takes `response_format`. The generator checks a request against these before sending it; the image command offers
// them as choices.

/** The sizes and qualities of one image model family. */
export interface ImageModelRules {
  /** The fixed sizes, in the order the API lists them. */
  sizes: readonly string[];
  /** `auto`, the API's default quality, is also taken by every model; listed only where it is a real choice. */
  qualities: readonly string[];
  /** dall-e models answer with a URL or base64 as asked; GPT image models always send base64 and refuse the field. */
  takesResponseFormat: boolean;
  /** gpt-image-2 also takes any `WIDTHxHEIGHT` within its limits. */
  takesCustomSizes: boolean;
}

const DALL_E_2: ImageModelRules = {
  sizes: ['256x256', '512x512', '1024x1024'],
  qualities: ['standard'],
  takesResponseFormat: true,
  takesCustomSizes: false,
};
const DALL_E_3: ImageModelRules = {
  sizes: ['1024x1024', '1792x1024', '1024x1792'],
  qualities: ['standard', 'hd'],
  takesResponseFormat: true,
  takesCustomSizes: false,
};
const GPT_IMAGE: ImageModelRules = {
  sizes: ['1024x1024', '1024x1536', '1536x1024', 'auto'],
  qualities: ['auto', 'high', 'medium', 'low'],
  takesResponseFormat: false,
  takesCustomSizes: false,
};

/** The rules of a model, or undefined for a model the project does not know (sent as given, unchecked). */
export function imageModelRules(model: string): ImageModelRules | undefined {
  if (model === 'dall-e-2') return DALL_E_2;
  if (model === 'dall-e-3') return DALL_E_3;
  if (model.startsWith('gpt-image-2')) return { ...GPT_IMAGE, takesCustomSizes: true };
  if (model.startsWith('gpt-image-')) return GPT_IMAGE;
  return undefined;
}

/** The quality a model gets when none is given: the seed's `standard` for dall-e, `auto` for the GPT image models. */
export function defaultImageQuality(model: string): string {
  return imageModelRules(model)?.qualities.includes('standard') === false ? 'auto' : 'standard';
}

/** The first thing wrong with a size or quality for `model`, naming the values that would work. */
export function checkImageRequest(
  model: string,
  size: string,
  quality: string,
): { field: string; message: string } | undefined {
  const rules = imageModelRules(model);
  if (!rules) return undefined;
  if (!rules.sizes.includes(size) && !(rules.takesCustomSizes && isCustomSize(size))) {
    const custom = rules.takesCustomSizes ? ', or WIDTHxHEIGHT in multiples of 16 between 1:3 and 3:1' : '';
    return {
      field: 'size',
      message: `"${size}" is not a ${model} size; use one of ${rules.sizes.join(', ')}${custom}.`,
    };
  }
  if (!rules.qualities.includes(quality) && quality !== 'auto') {
    const choices = rules.qualities.map((q) => `"${q}"`);
    const list = choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}` : choices[0];
    return { field: 'quality', message: `"${quality}" is not a ${model} quality; use ${list}.` };
  }
  return undefined;
}

/** gpt-image-2's own sizes: both edges multiples of 16, at most 3840 long, the aspect ratio between 1:3 and 3:1. */
function isCustomSize(size: string): boolean {
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) return false;
  const [width, height] = [Number(match[1]), Number(match[2])];
  const ok = (edge: number) => edge > 0 && edge % 16 === 0 && edge <= 3840;
  return ok(width) && ok(height) && Math.max(width, height) <= 3 * Math.min(width, height);
}
