// 'Generate Image': prompt, optional size and quality, progress with cancel, then the image panel with Save, Copy
// prompt and Regenerate.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageGenerator } from '../../core/generator';
import { withCancellableProgress } from '../platform/cancellableProgress';
import { isCancellation } from '../platform/errorNotifications';
import { imageBytes, imageMimeType, imageSavePath } from './imageFiles';
import { imageQualityChoices, imageSizeChoices } from './imageOptions';
import type { ImagePanel } from './imagePanel';
import { pickGeneratorName } from '../registry/pickGenerator';
import { logRequest } from '../platform/requestLog';
import { logPromptsEnabled } from '../platform/settings';
import type { CommandContext } from '../platform/commandContext';

/** Scripted arguments; with `prompt` given, size and quality are not asked for. */
export interface GenerateImageArgs {
  prompt?: string;
  size?: string;
  quality?: string;
  generator?: string;
  /** Save right away (what the panel's Save button does). */
  save?: boolean;
}

/** What the command returns, for scripts and tests. */
export interface GeneratedImage {
  generator: string;
  prompt: string;
  revisedPrompt: string;
  mimeType: string;
  byteLength: number;
  savedTo?: string;
}

/** Generates one image and shows it in the panel; undefined when the user dismissed a question or cancelled. */
export async function generateImage(
  ctx: CommandContext,
  panel: ImagePanel,
  args: GenerateImageArgs,
): Promise<GeneratedImage | undefined> {
  const name = await pickGeneratorName(ctx.registry, { kinds: ['image'], name: args.generator });
  if (!name) return undefined;
  const generator = ctx.registry.get(name) as ImageGenerator;
  const prompt =
    args.prompt ??
    (await vscode.window.showInputBox({
      title: `Generate an image with ${name}`,
      placeHolder: 'A watercolor fox reading a book',
      ignoreFocusOut: true,
    }));
  if (!prompt) return undefined;
  let { size, quality } = args;
  if (args.prompt === undefined) {
    const model = generator.toDict().init_parameters.model as string | undefined;
    const pickedSize = await pickOptional('Size', imageSizeChoices(model));
    if (pickedSize === null) return undefined;
    const pickedQuality = await pickOptional('Quality', imageQualityChoices(model));
    if (pickedQuality === null) return undefined;
    size = pickedSize;
    quality = pickedQuality;
  }
  const started = performance.now();
  let result: { bytes: Uint8Array; revisedPrompt: string };
  try {
    result = await withCancellableProgress(`Generating an image with ${name}`, ctx.requests, async (signal) => {
      const reply = await generator.run(prompt, { size, quality, signal });
      if (!reply.images[0]) throw new Error(`${name} returned no image.`);
      return { bytes: await imageBytes(reply.images[0], signal), revisedPrompt: reply.revisedPrompt };
    });
  } catch (error) {
    logRequest(
      ctx.log,
      { command: 'generateImage', generator: name, totalMs: performance.now() - started, error, prompt },
      logPromptsEnabled(),
    );
    if (isCancellation(error) || (error instanceof Error && error.name === 'AbortError')) return undefined;
    throw error;
  }
  logRequest(
    ctx.log,
    { command: 'generateImage', generator: name, totalMs: performance.now() - started, prompt },
    logPromptsEnabled(),
  );

  const mimeType = imageMimeType(result.bytes);
  const image: GeneratedImage = {
    generator: name,
    prompt,
    revisedPrompt: result.revisedPrompt,
    mimeType,
    byteLength: result.bytes.length,
  };
  const save = async () => {
    image.savedTo = await saveImage(prompt, result.bytes);
    panel.setStatus(`Saved to ${vscode.workspace.asRelativePath(image.savedTo)}`);
  };
  panel.show(
    {
      imageDataUrl: `data:${mimeType};base64,${Buffer.from(result.bytes).toString('base64')}`,
      prompt,
      revisedPrompt: result.revisedPrompt,
      generator: name,
    },
    {
      save,
      copyPrompt: async () => {
        await vscode.env.clipboard.writeText(result.revisedPrompt || prompt);
        panel.setStatus('Prompt copied.');
      },
      regenerate: async () => void (await generateImage(ctx, panel, { prompt, size, quality, generator: name })),
    },
  );
  if (args.save) await save();
  return image;
}

/** A pick with "Default" first; undefined means the default, null means the user pressed Escape. */
async function pickOptional(what: string, choices: string[]): Promise<string | undefined | null> {
  if (choices.length === 0) return undefined;
  const picked = await vscode.window.showQuickPick(
    [{ label: 'Default', value: undefined }, ...choices.map((c) => ({ label: c, value: c }))],
    { title: `${what} (optional)` },
  );
  return picked ? picked.value : null;
}

/** Writes the image to `images/<slug>.png` in the first workspace folder; never outside it. */
async function saveImage(prompt: string, bytes: Uint8Array): Promise<string> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('Open a folder to save images: they are saved in the workspace, under images/.');
  const root = folder.uri.fsPath;
  // The checked path is turned back into a URI under the folder, so remote workspaces work too.
  const toUri = (file: string) => vscode.Uri.joinPath(folder.uri, ...path.relative(root, file).split(path.sep));
  const exists = async (file: string) => {
    try {
      await vscode.workspace.fs.stat(toUri(file));
      return true;
    } catch {
      return false;
    }
  };
  const file = await imageSavePath(root, prompt, exists);
  await vscode.workspace.fs.writeFile(toUri(file), bytes);
  return file;
}
