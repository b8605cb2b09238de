// Size and quality choices the image command offers for a model, from the images API's rules per model family
// (DALL·E and the GPT image models of Haystack 2.30+); unknown models get no choice (the generator's own settings
// apply), and a model with one quality gets no quality choice.
import { imageModelRules } from '../../generators/dalle/imageModels';

export function imageSizeChoices(model: string | undefined): string[] {
  return [...((model && imageModelRules(model)?.sizes) || [])];
}

export function imageQualityChoices(model: string | undefined): string[] {
  const qualities = (model && imageModelRules(model)?.qualities) || [];
  return qualities.length > 1 ? [...qualities] : [];
}
