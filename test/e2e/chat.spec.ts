// The chat panel in a real VS Code: a message streams in from an OpenAIChatGenerator pointed at the offline server,
// a reply is stopped mid-stream, hostile model output renders inert, and the conversation survives a window reload.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { completionReply, echoScript, openAIChatRoutes, streamEvents } from '../servers/openaiChatCompletions';
import { startSse, startTestServer, writeSse, type RecordedRequest, type TestServer } from '../servers/testServer';
import { openWorkbench, type Workbench } from './workbench';

const KEY_NAME = 'GENERATORS_E2E_OPENAI_KEY';
/** A slow stream: one chunk every 200 ms for a minute, unless the client goes away. */
const SLOW_PROMPT = 'Tell me a very long story';
const HOSTILE_PROMPT = 'Show me something nasty';
const HOSTILE_REPLY = [
  'Careful: <img src=x onerror="window.parent.pwned=1;window.pwned=1"> <script>window.pwned=2</script>',
  '',
  '![beacon](https://beacon.example/pixel.png) and [a link](javascript:window.pwned=3)',
  '',
  '```js',
  'console.log("inert");',
  '```',
].join('\n');

/** Polls `condition` every 100 ms for up to 20 s (for server-side state the page cannot wait on). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let waited = 0; !(await condition()) && waited < 20_000; waited += 100)
    await new Promise((done) => setTimeout(done, 100));
}

describe('chat panel (e2e)', function () {
  this.timeout(180_000);
  let server: TestServer;
  let workbench: Workbench;
  let slowStreamClosed = false;
  let slowEventsSent = 0;
  let failed = false;

  const slowStream = (request: RecordedRequest, response: ServerResponse) => {
    startSse(response);
    slowStreamClosed = false;
    slowEventsSent = 0;
    const events = streamEvents(request, { text: 'Once upon a time '.repeat(300), chunkSize: 6 });
    const timer = setInterval(() => {
      if (slowEventsSent < events.length) writeSse(response, events[slowEventsSent++]);
    }, 200);
    response.on('close', () => {
      clearInterval(timer);
      slowStreamClosed = true;
    });
  };

  before(async function () {
    this.timeout(240_000);
    server = await startTestServer(
      openAIChatRoutes((request, response) => {
        const last = echoScript(request).text ?? '';
        if (last.includes(SLOW_PROMPT)) return slowStream(request, response);
        if (last.includes(HOSTILE_PROMPT))
          return completionReply({ text: HOSTILE_REPLY, chunkSize: 9 })(request, response);
        return completionReply({ ...echoScript(request), chunkSize: 3 })(request, response);
      }),
    );
    // code-server passes its environment to the extension host, where the env-var secret is resolved.
    process.env[KEY_NAME] = 'sk-e2e-offline';
    workbench = await openWorkbench({
      files: { 'notes.md': '# Notes\n' },
      workspaceSettings: {
        'generators.generators': [
          {
            name: 'Offline GPT',
            type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator',
            init_parameters: {
              model: 'gpt-4o-mini',
              api_base_url: `${server.url}/v1`,
              api_key: { type: 'env_var', env_vars: [KEY_NAME], strict: true },
              max_retries: 0,
            },
          },
        ],
        'generators.defaultChatGenerator': 'Offline GPT',
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
    await workbench?.close(failed);
    await server?.close();
    delete process.env[KEY_NAME];
  });

  async function send(text: string) {
    const chat = await workbench.openGeneratorsView();
    const input = chat.getByRole('textbox', { name: 'Message' });
    await input.fill(text);
    await input.press('Enter');
    return chat;
  }

  it('sends a message and shows the streamed reply with its model, finish reason and usage', async () => {
    const chat = await send('Hello from the e2e test');
    const reply = chat.locator('.message.assistant[data-status="complete"]').last();
    await reply.locator('div.content').getByText('Echo: Hello from the e2e test').waitFor();
    const stats = await reply.locator('footer.stats').textContent();
    assert.match(
      stats ?? '',
      /Offline GPT \(gpt-4o-mini\) · finish: stop · tokens: \d+ in \/ \d+ out · first token [\d.]+ m?s · total [\d.]+ m?s$/,
    );
    assert.equal(await chat.locator('.message.user div.content').first().textContent(), 'Hello from the e2e test');
    const request = server.requests.at(-1)!;
    assert.equal(request.body.stream, true);
    assert.equal(request.headers.authorization, 'Bearer sk-e2e-offline');
  });

  it('stops a reply mid-stream: the provider connection closes and the partial text stays, marked stopped', async () => {
    const chat = await send(SLOW_PROMPT);
    const streaming = chat.locator('.message.assistant.streaming');
    await streaming.getByText(/Once upon a time Once/).waitFor();
    await chat.locator('vscode-button[aria-label="Stop the reply"]').click();
    const stopped = chat.locator('.message.assistant[data-status="stopped"]').last();
    await stopped.locator('div.status').getByText('Stopped').waitFor();
    assert.match((await stopped.locator('div.content').textContent()) ?? '', /^Once upon a time/);
    await until(() => slowStreamClosed);
    assert.ok(slowStreamClosed, 'the request to the provider was aborted');
    await chat.getByRole('textbox', { name: 'Message' }).waitFor();
    assert.equal(await chat.locator('vscode-button[aria-label="Send message"]').isVisible(), true);
  });

  it('keeps streaming while the view is hidden and shows everything streamed so far when it is shown again', async () => {
    const chat = await send(SLOW_PROMPT);
    await chat
      .locator('.message.assistant.streaming div.content')
      .getByText(/Once upon a time Once/)
      .waitFor();
    await workbench.page.locator('.activitybar a.action-label[aria-label^="Explorer"]').click();
    const sentWhenHidden = slowEventsSent;
    await until(() => slowEventsSent >= sentWhenHidden + 5);
    const back = await workbench.openGeneratorsView();
    const streaming = back.locator('.message.assistant.streaming div.content');
    // Event 0 carries only the role; every later one 6 characters of the story.
    const streamedWhileHidden = (sentWhenHidden + 4) * 6;
    await back.locator('.message.assistant.streaming').waitFor();
    let shown = 0;
    await until(async () => (shown = ((await streaming.textContent()) ?? '').length) >= streamedWhileHidden);
    assert.ok(shown >= streamedWhileHidden, `shows ${shown} characters, ${streamedWhileHidden} had streamed`);
    assert.equal(slowStreamClosed, false, 'hiding the view did not cancel the request');
    await back.locator('vscode-button[aria-label="Stop the reply"]').click();
    await back.locator('.message.assistant[data-status="stopped"]').last().waitFor();
    await until(() => slowStreamClosed);
  });

  it('renders hostile model output inert: raw HTML as text, no script run, no remote image, no script link', async () => {
    const chat = await send(HOSTILE_PROMPT);
    const reply = chat.locator('.message.assistant[data-status="complete"]').last();
    await reply.locator('.code-block').waitFor();
    const content = reply.locator('div.content');
    assert.match((await content.textContent()) ?? '', /<img src=x onerror=.*<script>window\.pwned=2<\/script>/);
    assert.equal(await content.locator('script').count(), 0);
    assert.equal(await content.locator('img[src]').count(), 0, 'the remote beacon image has no src');
    assert.equal(await content.locator('img[data-blocked="remote"]').count(), 1);
    assert.equal(await content.locator('a[href]').count(), 0, 'the javascript: link has no href');
    assert.equal(await content.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    assert.equal(await workbench.page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    await reply.locator('vscode-button[aria-label="Insert code at cursor"]').waitFor();
  });

  it('finds the conversation again after a window reload', async () => {
    await workbench.reload();
    const chat = await workbench.openGeneratorsView();
    await chat.locator('.message.user div.content').getByText(HOSTILE_PROMPT).waitFor();
    await chat.locator('.message.user div.content').getByText('Hello from the e2e test').waitFor();
    await chat.locator('.message.assistant[data-status="stopped"]').first().waitFor();
    await chat.locator('vscode-button[aria-label="Show conversation history"]').click();
    await chat.locator('.history-list').getByText('Hello from the e2e test').waitFor();
  });

  it('applies per-conversation settings to the request, announces the finished reply, retries, and reopens a chat from history', async () => {
    const chat = await workbench.openGeneratorsView();
    await chat.locator('vscode-button[aria-label="New chat"]').click();
    await chat.locator('.messages p.empty').waitFor();
    const settings = chat.locator('section.settings');
    if (await settings.isHidden())
      await chat.locator('vscode-button[aria-label="Conversation settings and export"]').click();
    for (const [field, value] of [
      [settings.locator('vscode-text-field').nth(0), '0.7'],
      [settings.locator('vscode-text-field').nth(1), '33'],
      [settings.locator('vscode-text-area'), 'Answer like a pirate.'],
    ] as const) {
      const input = field.locator('input, textarea').first();
      await input.fill(value);
      await input.press('Tab');
    }
    const before = server.requests.length;
    await send('Settings check');
    await chat
      .locator('.message.assistant[data-status="complete"] div.content')
      .getByText('Echo: Settings check')
      .waitFor();
    const request = server.requests[before];
    assert.equal(request.body.temperature, 0.7);
    assert.equal(request.body.max_completion_tokens, 33);
    assert.deepEqual(request.body.messages[0], { role: 'system', content: 'Answer like a pirate.' });
    assert.equal(await chat.locator('[aria-live="polite"]').textContent(), 'Reply finished. Echo: Settings check');

    await chat.locator('vscode-button[aria-label="Retry this reply"]').click();
    await until(() => server.requests.length === before + 2);
    await chat.locator('.message.assistant[data-status="complete"]').waitFor();
    assert.equal(await chat.locator('.message').count(), 2, 'the retried reply replaced the old one');

    if (await chat.locator('nav.history').isHidden())
      await chat.locator('vscode-button[aria-label="Show conversation history"]').click();
    await chat.locator('vscode-button[aria-label^="Open \\"Hello from the e2e test\\""]').click();
    await chat.locator('.message.user div.content').getByText(HOSTILE_PROMPT).waitFor();
  });

  it("inserts a reply's code block at the cursor of the open editor", async () => {
    const { page } = workbench;
    await page.keyboard.press('F1');
    const quickOpen = page.locator('.quick-input-widget input[type="text"]');
    await quickOpen.fill('notes.md');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'notes.md' }).first().click();
    const lines = page.locator('.monaco-editor .view-lines');
    await lines.getByText('# Notes').waitFor();
    const chat = await workbench.openGeneratorsView();
    await chat.locator('.code-block vscode-button[aria-label="Insert code at cursor"]').first().click();
    await lines.getByText('console.log("inert");').waitFor();
  });
});
