// Where a generated image is saved and how its bytes are obtained. A file name derived from a prompt is
// untrusted text: it is reduced to a slug and the final path is checked to stay inside the workspace.
import * as path from 'node:path';

const MAX_SLUG_LENGTH = 60;

/** A file-name-safe slug of a prompt: lowercase ASCII letters, digits and single dashes; "image" if nothing is left. */
export function slugFromPrompt(prompt: string): string {
  const slug = prompt
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'image' : slug;
}

/** Resolves `relative` under `root`; throws when the result would leave the workspace (`..`, absolute paths). */
export function resolveInsideWorkspace(root: string, relative: string): string {
  const base = path.resolve(root);
  const target = path.resolve(base, relative);
  const fromBase = path.relative(base, target);
  if (fromBase === '' || fromBase.startsWith('..') || path.isAbsolute(fromBase)) {
    throw new Error(`Images are saved inside the workspace folder only; "${relative}" is outside ${base}.`);
  }
  return target;
}

/** `images/<slug>.png` inside `root`, numbered (`-2`, `-3`, ...) when `exists` says the name is taken. */
export async function imageSavePath(
  root: string,
  prompt: string,
  exists: (file: string) => Promise<boolean>,
): Promise<string> {
  const slug = slugFromPrompt(prompt);
  for (let n = 1; ; n++) {
    const file = resolveInsideWorkspace(root, path.join('images', `${n === 1 ? slug : `${slug}-${n}`}.png`));
    if (!(await exists(file))) return file;
  }
}

/** The bytes of one generated image: base64 as returned with `b64_json`, or downloaded from its URL. */
export async function imageBytes(image: string, signal?: AbortSignal): Promise<Uint8Array> {
  if (/^https?:\/\//i.test(image)) {
    const response = await fetch(image, { signal });
    if (!response.ok) throw new Error(`Downloading the generated image failed: HTTP ${response.status}.`);
    return new Uint8Array(await response.arrayBuffer());
  }
  const base64 = image.startsWith('data:') ? image.slice(image.indexOf(',') + 1) : image;
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/** The MIME type from an image's first bytes (PNG, JPEG, WebP, GIF); PNG when unknown. */
export function imageMimeType(bytes: Uint8Array): string {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  if (starts(0x47, 0x49, 0x46)) return 'image/gif';
  return 'image/png';
}
