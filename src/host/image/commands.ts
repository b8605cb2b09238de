// 'Generate Image', shown in one image panel that every generated image reuses.
import type { CommandContext } from '../platform/commandContext';
import { generateImage, type GenerateImageArgs } from './generateImage';
import { ImagePanel } from './imagePanel';

export function imageCommands(ctx: CommandContext) {
  const panel = new ImagePanel();
  ctx.context.subscriptions.push(panel);
  return { generateImage: (args: GenerateImageArgs = {}) => generateImage(ctx, panel, args) };
}
