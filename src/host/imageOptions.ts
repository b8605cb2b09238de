// Size and quality choices the image command offers for a model; unknown models get no choice (the
// generator's own settings apply). Only the models DALLEImageGenerator accepts are listed.

const SIZES: Record<string, string[]> = {
  'dall-e-2': ['256x256', '512x512', '1024x1024'],
  'dall-e-3': ['1024x1024', '1024x1792', '1792x1024'],
};
const QUALITIES: Record<string, string[]> = {
  'dall-e-2': [],
  'dall-e-3': ['standard', 'hd'],
};

export function imageSizeChoices(model: string | undefined): string[] {
  return (model && SIZES[model]) || [];
}

export function imageQualityChoices(model: string | undefined): string[] {
  return (model && QUALITIES[model]) || [];
}
