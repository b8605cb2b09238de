import type { ImageAttachment, ImageMimeType } from '../../../shared/protocol';

/** The first bytes every file of each accepted type starts with. */
const SIGNATURES: Record<ImageMimeType, (bytes: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) =>
    b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a',
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/**
 * Why an attached image cannot be sent, or undefined when its bytes are the type it claims. A renamed text file or a
 * truncated paste is refused here with a clear message instead of as an opaque 400 from the provider.
 */
export function imageProblem(image: ImageAttachment): string | undefined {
  const head = Buffer.from(image.base64.slice(0, 24), 'base64');
  if (SIGNATURES[image.mimeType](head)) return undefined;
  return `${image.name ?? 'The attached image'} is not a valid ${image.mimeType.slice('image/'.length).toUpperCase()} image. Attach a PNG, JPEG, GIF or WebP file.`;
}
