// The e2e harness: a real VS Code workbench (code-server, see test/vscode-server) with the extension loaded from
// this repository and a fresh profile and workspace, driven by playwright-core in headless chromium.
//
//   describe('chat', () => {
//     const workbench = useWorkbench({ workspaceSettings: { 'generators.defaultChatGenerator': 'Local chat' } });
//     it('answers', async () => {
//       const chat = await workbench().openGeneratorsView();
//       await chat.getByRole('textbox').fill('hi');
//     });
//   });
//
// `npm run test:e2e` runs test/e2e/**/*.spec.ts with mocha (config: test/e2e/.mocharc.json). A failing test leaves
// a screenshot in test/e2e/artifacts/ and its profile and logs in .vscode-test/e2e-*/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { launchChromium, type Browser, type FrameLocator, type Page } from '../vscode-server/browser';
import { installExtension, repoRoot, startCodeServer, type CodeServer } from '../vscode-server/codeServer';

export const extensionId = 'generators-dev.vscode-generators';
/** The id of the extension's activity-bar container (package.json `viewsContainers`). */
export const containerId = 'generators';
/**
 * The container's activity-bar entry once the extension's contributions are registered. Before that, a reloaded
 * window shows a cached placeholder with the same label that is never "checked", so the label alone is not enough.
 */
const activityEntry = `a.action-label[class*="activity-workbench-view-extension-${containerId}-"]`;
export const artifactsDir = join(__dirname, 'artifacts');

/** The workbench and the extension host's first start take ~20 s on a busy 2-core machine. */
const LOAD_TIMEOUT_MS = 90_000;
const UI_TIMEOUT_MS = 30_000;

export interface WorkbenchOptions {
  /** Written to the workspace's .vscode/settings.json before the workbench opens. */
  workspaceSettings?: Record<string, unknown>;
  /** User settings, merged over the harness's quiet defaults. */
  userSettings?: Record<string, unknown>;
  /** Files to create in the workspace: relative path -> content. */
  files?: Record<string, string>;
  /**
   * Installs this .vsix into the fresh profile (code-server `--install-extension`) and opens the workbench without
   * the development checkout, so the extension runs as a user installed it.
   */
  vsix?: string;
}

export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
  /** The absolute path of the workspace folder. */
  readonly workspace: string;
  /** With `vsix`: the folder code-server unpacked it into. */
  readonly installedExtension?: string;
  /** Runs a command by its palette title (for instance `Generators: New Chat`), as a user would. */
  runCommand(title: string): Promise<void>;
  /** Shows the Generators container (if it is not shown already) and returns the chat webview's content frame. */
  openGeneratorsView(): Promise<FrameLocator>;
  /** The content frame of this extension's webview view (present once the view was opened). */
  webview(): FrameLocator;
  /** Reloads the window; the profile, workspace state and the extension's storage stay. */
  reload(): Promise<void>;
  /** Saves a full-page screenshot into test/e2e/artifacts/ and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Closes the browser and stops code-server; `keepFiles` leaves the profile and workspace for inspection. */
  close(keepFiles?: boolean): Promise<void>;
}

/** Starts code-server with a fresh profile and workspace and opens the workbench with the extension loaded. */
export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  mkdirSync(join(repoRoot, '.vscode-test'), { recursive: true });
  const runDir = mkdtempSync(join(repoRoot, '.vscode-test', 'e2e-'));
  const workspace = join(runDir, 'workspace');
  writeWorkspace(workspace, options);

  const stateDir = join(runDir, 'state');
  const installedExtension = options.vsix ? await installExtension(options.vsix, stateDir) : undefined;
  // No built-ins are skipped here: skipping them makes the web workbench restart its extension host once just
  // after start-up, and a chat view resolved by the first host stays tied to it (blank, or deaf to commands).
  const server = await startCodeServer({ stateDir, userSettings: options.userSettings });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const url = server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: options.vsix ? false : undefined });
    await page.goto(url);
    await waitForWorkbench(page);
    return { ...workbenchOn(page, browser, server, workspace, runDir), installedExtension };
  } catch (error) {
    await browser?.close();
    await server.stop();
    throw error;
  }
}

/**
 * Mocha hooks around one workbench per `describe`: opened before its tests, a screenshot of each failing test,
 * closed after (its files kept when a test failed). Returns a getter for the tests.
 */
export function useWorkbench(options: WorkbenchOptions = {}): () => Workbench {
  let workbench: Workbench | undefined;
  let failed = false;
  before(async function () {
    this.timeout(LOAD_TIMEOUT_MS + 30_000);
    const started = performance.now();
    workbench = await openWorkbench(options);
    console.log(`      (workbench ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  });
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !workbench) return;
    failed = true;
    const path = await workbench
      .screenshot(this.currentTest.fullTitle())
      .catch((error: Error) => `none (${error.message})`);
    console.log(`      screenshot: ${path}`);
  });
  after(async () => {
    await workbench?.close(failed);
  });
  return () => {
    if (!workbench)
      throw new Error('The workbench is not open: call useWorkbench() inside describe() and use it in tests.');
    return workbench;
  };
}

function writeWorkspace(workspace: string, options: WorkbenchOptions): void {
  mkdirSync(workspace, { recursive: true });
  if (options.workspaceSettings) {
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(options.workspaceSettings, null, 2));
  }
  for (const [path, content] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), content);
  }
}

async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: LOAD_TIMEOUT_MS });
  // The extension (under development, or installed from a .vsix) was found once its container shows in the activity bar.
  await page.locator(`.activitybar ${activityEntry}`).waitFor({ timeout: LOAD_TIMEOUT_MS });
}

function workbenchOn(page: Page, browser: Browser, server: CodeServer, workspace: string, runDir: string): Workbench {
  const webview = () =>
    page.frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).frameLocator('#active-frame');
  return {
    page,
    server,
    workspace,
    webview,
    async runCommand(title) {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input[type="text"]');
      await input.waitFor();
      await input.fill(`>${title}`);
      // The row whose label is exactly the title: Enter on a fuzzy match could run a neighbour.
      const row = page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: exactText(title) }) });
      await row.first().click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    },
    async openGeneratorsView() {
      const entry = page.locator(`.activitybar ${activityEntry}`);
      const item = page.locator('.activitybar li.action-item').filter({ has: page.locator(activityEntry) });
      const frame = webview();
      // Clicking the entry of a container that is already shown hides it, and a reloaded window restores the last
      // shown container a moment after its entry appears: so look again after each try rather than click blindly.
      for (let attempt = 1; ; attempt++) {
        if (!((await item.getAttribute('class')) ?? '').split(/\s+/).includes('checked')) await entry.click();
        try {
          await frame.locator('body').waitFor({ timeout: LOAD_TIMEOUT_MS / 3 });
          return frame;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    },
    async reload() {
      await page.reload();
      await waitForWorkbench(page);
    },
    async screenshot(name) {
      mkdirSync(artifactsDir, { recursive: true });
      const path = join(artifactsDir, `${name.replace(/[^\w.-]+/g, '_').slice(0, 120)}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close(keepFiles = false) {
      await browser.close();
      await server.stop();
      if (keepFiles) console.log(`      workbench profile and logs kept in ${runDir}`);
      else rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/** Matches a label whose whole text is `text` (palette labels may highlight parts of it in nested spans). */
function exactText(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}
