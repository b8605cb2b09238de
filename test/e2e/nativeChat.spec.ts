// VS Code's own Chat view with a Haystack generator picked in its model picker, offline and signed out: the reply
// streams from the offline OpenAI server through the `haystack` language model provider.
//
// What VS Code 1.139 needs before its Chat sends anything without a GitHub sign-in (see README, "VS Code's Chat"):
//   - `chat.disableAIFeatures` off (the harness turns it on for the other specs);
//   - the built-in Copilot Chat extension enabled: a new profile starts with it disabled until chat setup is
//     completed, and 'Chat: Manage Language Models' enables it;
//   - a provider group for the `haystack` vendor in the profile's chatLanguageModels.json: only then does VS Code
//     count "bring your own key" models as present and skip its sign-in step.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { completionReply, openAIChatRoutes, streamEvents } from '../servers/openaiChatCompletions';
import { startSse, startTestServer, writeSse, type RecordedRequest, type TestServer } from '../servers/testServer';
import { openWorkbench, type Workbench } from './workbench';

const KEY_NAME = 'GENERATORS_E2E_NATIVE_KEY';
const PROMPT = 'Say hello from Haystack';
const PROVIDER_GROUP = '[{ "name": "Haystack Generators", "vendor": "haystack" }]';
const FIRST_HALF = 'Hello from a Haystack generator, ';
const SECOND_HALF = 'streamed into VS Code Chat.';
const GENERATORS = { 'Offline Haystack GPT': 'gpt-4o-mini', 'Offline Haystack Backup': 'gpt-4o-backup' };

describe("VS Code's own Chat with a Haystack generator (e2e)", function () {
  this.timeout(240_000);
  let server: TestServer;
  let workbench: Workbench;
  let failed = false;
  let releaseSecondHalf!: () => void;
  const secondHalfReleased = new Promise<void>((resolve) => (releaseSecondHalf = resolve));
  const answered: RecordedRequest[] = [];

  /** The answer to the prompt: half of it, then the rest once the test has seen the half on screen. */
  const heldStream = async (request: RecordedRequest, response: ServerResponse) => {
    answered.push(request);
    startSse(response);
    const events = streamEvents(request, { text: FIRST_HALF + SECOND_HALF, chunkSize: FIRST_HALF.length });
    writeSse(response, events[0]);
    writeSse(response, events[1]);
    await secondHalfReleased;
    for (const event of events.slice(2)) writeSse(response, event);
    writeSse(response, '[DONE]');
    response.end();
  };

  before(async function () {
    this.timeout(240_000);
    server = await startTestServer(
      openAIChatRoutes((request, response) => {
        if (JSON.stringify(request.body?.messages ?? []).includes(PROMPT)) return heldStream(request, response);
        // VS Code's Chat also asks the picked model for side results (a title for the conversation).
        return completionReply({ text: 'Greeting', chunkSize: 4 })(request, response);
      }),
    );
    // code-server passes its environment to the extension host, where the env-var secret is resolved.
    process.env[KEY_NAME] = 'sk-e2e-native-offline';
    workbench = await openWorkbench({
      userSettings: { 'chat.disableAIFeatures': false },
      workspaceSettings: {
        'generators.generators': Object.entries(GENERATORS).map(([name, model]) => ({
          name,
          type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator',
          init_parameters: {
            model,
            api_base_url: `${server.url}/v1`,
            api_key: { type: 'env_var', env_vars: [KEY_NAME], strict: true },
            max_retries: 0,
          },
        })),
      },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    failed = true;
    console.log(
      `      screenshot: ${await workbench.screenshot(this.currentTest.fullTitle()).catch((e: Error) => e.message)}`,
    );
  });

  after(async () => {
    releaseSecondHalf();
    await workbench?.close(failed);
    await server?.close();
    delete process.env[KEY_NAME];
  });

  it("lists the generators in the model picker and streams the picked one's reply into the Chat view", async () => {
    const { page } = workbench;
    // Enables the built-in Copilot Chat extension (VS Code asks for no sign-in to do so) and opens the model list.
    await runWhenAvailable(workbench, 'Chat: Manage Language Models');
    const manageModels = page.locator('.monaco-workbench').getByText('Install Model Providers');
    await manageModels.waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    await manageModels.waitFor({ state: 'hidden' });

    // The provider group that lets a signed-out Chat use the haystack vendor's models, written as a user would.
    await workbench.runCommand('Chat: Open Language Models (JSON)');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.evaluate((text) => navigator.clipboard.writeText(text), PROVIDER_GROUP);
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('ControlOrMeta+V');
    await page.keyboard.press('ControlOrMeta+S');

    await workbench.runCommand('Chat: Open Chat');
    const chat = page.locator('.part.auxiliarybar');
    const toolbar = chat.locator('.chat-input-toolbars');
    const picker = toolbar.locator('.action-label', { hasText: /^Offline Haystack/ }).first();
    await picker.waitFor({ timeout: 60_000 });
    await picker.click();
    // The picker shows the current model, the others under "Other Models"; its search finds any of them.
    const current = page.locator('.action-widget .monaco-list-row.action[aria-label*="Current model"] .title');
    const currentName = await current.textContent();
    const picked = Object.keys(GENERATORS).find((name) => name !== currentName) as keyof typeof GENERATORS;
    await page.locator('.action-widget input.action-list-filter-input').fill(picked);
    await page.locator('.action-widget .monaco-list-row.action', { hasText: picked }).click();
    // The toolbar shows the picked model (its label may be cut short; the hover title is not).
    await toolbar.locator(`.action-label[aria-label*="${picked}"]`).waitFor();

    await page.keyboard.type(PROMPT);
    await page.keyboard.press('Enter');
    const response = chat.locator('.interactive-response').last();
    await response.getByText(FIRST_HALF.trim()).waitFor({ timeout: 90_000 });
    assert.ok(
      !((await response.textContent()) ?? '').includes(SECOND_HALF),
      'the first half shows while the server holds the second',
    );
    releaseSecondHalf();
    await response.getByText(SECOND_HALF).waitFor();

    const request = answered[0]!;
    assert.equal(request.body.model, GENERATORS[picked]);
    assert.equal(request.body.stream, true);
    assert.equal(request.headers.authorization, 'Bearer sk-e2e-native-offline');
    assert.ok(!Object.keys(request.body).some((key) => key.startsWith('_')), Object.keys(request.body).join());
  });
});

/**
 * Runs a palette command that VS Code offers only once its chat entitlement is resolved (signed out, that takes
 * a while after start-up): the palette is asked again until the command is there.
 */
async function runWhenAvailable(workbench: Workbench, title: string): Promise<void> {
  const { page } = workbench;
  const deadline = Date.now() + 90_000;
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input[type="text"]');
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row .label-name', { hasText: new RegExp(`^${title}$`) });
    try {
      await row.first().waitFor({ timeout: 3_000 });
      await page.keyboard.press('Escape');
      break;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw error;
    }
  }
  await workbench.runCommand(title);
}
