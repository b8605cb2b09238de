// The image panel's HTML and the messages it may send. The page is static apart from escaped text and a
// data: URL; a strict CSP allows only the nonce'd script and style. Plain TypeScript for unit tests.

/** What the panel shows. */
export interface ImageView {
  imageDataUrl: string;
  prompt: string;
  revisedPrompt: string;
  generator: string;
  /** Set after a save, shown under the buttons. */
  status?: string;
}

/** The only messages the panel's script sends; anything else is ignored. */
export type ImagePanelMessage = { type: 'save' } | { type: 'copyPrompt' } | { type: 'regenerate' };

/** Validates a message from the webview (untrusted input). */
export function parseImagePanelMessage(value: unknown): ImagePanelMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  return type === 'save' || type === 'copyPrompt' || type === 'regenerate' ? { type } : undefined;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A data URL is the only image source the CSP allows; anything else is refused rather than embedded. */
function safeImageSource(url: string): string {
  if (!/^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]*$/.test(url))
    throw new Error('The image panel only shows base64 image data.');
  return url;
}

export function imagePanelHtml(view: ImageView, nonce: string, cspSource: string): string {
  const revised = view.revisedPrompt && view.revisedPrompt !== view.prompt ? view.revisedPrompt : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: ${cspSource}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Generated image</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 1rem; }
  img { max-width: 100%; height: auto; border: 1px solid var(--vscode-panel-border); }
  .prompt { white-space: pre-wrap; margin: 0.5rem 0; }
  .label { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
  .actions { display: flex; gap: 0.5rem; margin: 1rem 0; }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 0.4rem 0.9rem; cursor: pointer; }
  button:hover { background: var(--vscode-button-hoverBackground); }
  button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
  button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
</style>
</head>
<body>
<img src="${safeImageSource(view.imageDataUrl)}" alt="${escapeHtml(view.prompt)}">
<div class="actions">
  <button id="save" aria-label="Save the image in the workspace">Save</button>
  <button id="copyPrompt" class="secondary" aria-label="Copy the prompt">Copy prompt</button>
  <button id="regenerate" class="secondary" aria-label="Generate another image from the same prompt">Regenerate</button>
</div>
<p class="label" role="status">${escapeHtml(view.status ?? '')}</p>
<p class="label">Prompt (${escapeHtml(view.generator)})</p>
<p class="prompt">${escapeHtml(view.prompt)}</p>
${revised ? `<p class="label">Revised prompt</p>\n<p class="prompt">${escapeHtml(revised)}</p>` : ''}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const type of ['save', 'copyPrompt', 'regenerate']) {
    document.getElementById(type).addEventListener('click', () => vscode.postMessage({ type }));
  }
</script>
</body>
</html>`;
}
