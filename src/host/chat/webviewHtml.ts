import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
}

/**
 * The content security policy: nothing loads unless listed, scripts only with this page's nonce (no inline code,
 * no eval), styles only from the extension or with the nonce, images only from the extension or inline data (so a
 * Markdown image in a model reply cannot make a request to a remote host). The style nonce is for the toolkit's
 * `:focus-visible` probe, which reads it from the `csp-nonce` meta tag; keyboard focus rings depend on it.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The chat webview's page: a shell the bundled script fills in. */
export function chatWebviewHtml(options: WebviewHtmlOptions, nonce = randomBytes(18).toString('base64')): string {
  const csp = contentSecurityPolicy(options.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>Generators Chat</title>
</head>
<body>
<main id="app" aria-label="Chat"></main>
<script nonce="${nonce}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
