// Launches Debian's chromium through playwright-core (both installed by ./setup.sh) to drive the code-server
// workbench. playwright-core never downloads a browser, which is why it is used instead of playwright.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// playwright-core resolves from this folder's node_modules only; e2e code takes its types from here.
export type { Browser, FrameLocator, Locator, Page } from 'playwright-core';

/** Overridable for machines where chromium lives elsewhere. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath))
    throw new Error(`${chromiumPath} is missing: run \`npm run setup:vscode\` (or set CHROMIUM_PATH).`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Chromium's sandbox refuses to start as root (CI runs as root); /dev/shm is small in containers.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}
