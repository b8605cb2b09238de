// Compare mode in a real VS Code: one message to three generators at once (OpenAI Chat Completions and TGI on the
// offline servers, a local model in the worker), replies side by side with their stats, one picked to continue
// the conversation, and one Stop ending all three streams.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { completionReply, echoScript, openAIChatRoutes, streamEvents } from '../servers/openaiChatCompletions';
import { startSse, startTestServer, writeSse, type RecordedRequest, type TestServer } from '../servers/testServer';
import { fakeHuggingFace, textGenerationInferenceRoutes } from '../servers/textGenerationInference';
import { repoRoot } from '../vscode-server/codeServer';
import { openWorkbench, type Workbench } from './workbench';

const KEY_NAME = 'GENERATORS_E2E_COMPARE_KEY';
/** Ends in a digit: the local test model counts up from there until it is stopped. */
const SLOW_PROMPT = 'Tell me a long story 0';

/** Polls `condition` every 100 ms for up to 20 s (for server-side state the page cannot wait on). */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition() && waited < 20_000; waited += 100)
    await new Promise((done) => setTimeout(done, 100));
}

describe('compare mode (e2e)', function () {
  this.timeout(180_000);
  let openai: TestServer;
  let tgi: TestServer;
  let workbench: Workbench;
  let failed = false;
  const closed = { openai: false, tgi: false };

  /** One event every 200 ms for a minute, unless the client goes away. */
  const slowOpenAI = (request: RecordedRequest, response: ServerResponse) => {
    startSse(response);
    const events = streamEvents(request, { text: 'Once upon a time '.repeat(300), chunkSize: 6 });
    let sent = 0;
    const timer = setInterval(() => sent < events.length && writeSse(response, events[sent++]), 200);
    response.on('close', () => {
      clearInterval(timer);
      closed.openai = true;
    });
  };
  /** TGI's chat stream: one token, then nothing until the client goes away. */
  const heldTgi = (_request: RecordedRequest, response: ServerResponse) => {
    startSse(response);
    const delta = { role: 'assistant', content: 'Long ago' };
    writeSse(response, {
      id: '',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'tgi',
      system_fingerprint: 'e2e',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
      usage: null,
    });
    response.on('close', () => (closed.tgi = true));
  };

  before(async function () {
    this.timeout(240_000);
    openai = await startTestServer(
      openAIChatRoutes((request, response) => {
        if ((echoScript(request).text ?? '').includes(SLOW_PROMPT)) return slowOpenAI(request, response);
        return completionReply({ ...echoScript(request), chunkSize: 3 })(request, response);
      }),
    );
    const tgiRoutes = textGenerationInferenceRoutes(fakeHuggingFace());
    tgi = await startTestServer(
      tgiRoutes.map((route) => ({
        ...route,
        handle: (request: RecordedRequest, response: ServerResponse) =>
          JSON.stringify(request.body?.messages ?? '').includes(SLOW_PROMPT)
            ? heldTgi(request, response)
            : route.handle(request, response),
      })),
    );
    process.env[KEY_NAME] = 'sk-e2e-compare';
    workbench = await openWorkbench({
      workspaceSettings: {
        'generators.generators': [
          {
            name: 'Offline GPT',
            type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator',
            init_parameters: {
              model: 'gpt-4o-mini',
              api_base_url: `${openai.url}/v1`,
              api_key: { type: 'env_var', env_vars: [KEY_NAME], strict: true },
              max_retries: 0,
            },
          },
          {
            name: 'Offline TGI',
            type: 'haystack.components.generators.chat.hugging_face_api.HuggingFaceAPIChatGenerator',
            init_parameters: { api_type: 'text_generation_inference', api_params: { url: tgi.url } },
          },
          {
            name: 'Local counter',
            type: 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator',
            init_parameters: {
              model: join(repoRoot, 'test', 'models', '.built', 'tiny-gpt2-chat'),
              task: 'text-generation',
              // A bare template: the test model continues the question's last character (a letter or a digit).
              chat_template: '{% for m in messages %}{{ m.content }}{% endfor %}',
              generation_kwargs: { max_new_tokens: 100000 },
            },
          },
        ],
        'generators.defaultChatGenerator': 'Offline GPT',
        'generators.localModels.allowRemoteDownloads': false,
        'generators.prices': { 'gpt-4o-mini': { input: 0.15, output: 0.6 } },
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
    await Promise.all([openai?.close(), tgi?.close()]);
    delete process.env[KEY_NAME];
  });

  async function compare(text: string) {
    const chat = await workbench.openGeneratorsView();
    const picker = chat.locator('section.compare-picker');
    if (await picker.isHidden()) await chat.locator('vscode-button[aria-label="Compare generators"]').click();
    for (const name of ['Offline GPT', 'Offline TGI', 'Local counter'])
      await picker.getByLabel(new RegExp(`^ ?${name}`)).check();
    const input = chat.getByRole('textbox', { name: 'Message' });
    await input.fill(text);
    await input.press('Enter');
    return chat;
  }

  it('streams three replies side by side, each with time to first token, total time, tokens/s and usage', async () => {
    const chat = await compare('Compare: say hi');
    const lanes = chat.locator('.compare .compare-lane');
    await chat.locator('.compare .message.assistant[data-status="complete"]').nth(2).waitFor();
    assert.equal(await lanes.count(), 3);
    const texts = (await lanes.locator('div.content').allTextContents()).map((text) => text.trim());
    assert.deepEqual(texts, ['Echo: Compare: say hi', 'Natural language processing is fun.', 'jklmnopqrstuvwxyz']);
    const stats = await lanes.locator('footer.stats').allTextContents();
    for (const line of stats)
      assert.match(line, /tokens: \d+ in \/ \d+ out · first token [\d.]+ m?s · total [\d.]+ m?s$/);
    assert.match(stats[0], /^Offline GPT \(gpt-4o-mini\) /);
    const rates = await lanes.locator('div.rates').allTextContents();
    for (const line of rates) assert.match(line, /^[\d.]+ tok\/s/);
    assert.match(rates[0], / · ≈ \$[\d.e-]+ \(estimate\)$/);
    assert.doesNotMatch(rates[2], /estimate/, 'no price is configured for the local model');
    assert.equal(openai.requests.at(-1)?.body.messages.at(-1).content, 'Compare: say hi');
    assert.equal(tgi.requests.at(-1)?.body.messages.at(-1).content, 'Compare: say hi');
  });

  it('continues the conversation with the picked reply and its generator', async () => {
    const chat = await workbench.openGeneratorsView();
    await chat.locator('vscode-button[aria-label="Continue with \\"Offline TGI\\""]').click();
    await chat.locator('.compare').waitFor({ state: 'detached' });
    await chat.locator('.message.assistant div.content').getByText('Natural language processing is fun.').waitFor();
    await chat.locator('vscode-button[aria-label="Compare generators"]').click();
    await chat.locator('section.compare-picker').waitFor({ state: 'hidden' });
    const before = tgi.requests.length;
    const input = chat.getByRole('textbox', { name: 'Message' });
    await input.fill('Thanks, go on');
    await input.press('Enter');
    await until(() => tgi.requests.length > before);
    const messages = tgi.requests.at(-1)!.body.messages as { role: string; content: string }[];
    assert.deepEqual(
      messages.map((m) => [m.role, m.content]),
      [
        ['user', 'Compare: say hi'],
        ['assistant', 'Natural language processing is fun.'],
        ['user', 'Thanks, go on'],
      ],
    );
    await chat.locator('.message.assistant[data-status="complete"]').nth(1).waitFor();
  });

  it('stops all three at once: both provider connections close and every partial reply stays, marked stopped', async () => {
    const chat = await workbench.openGeneratorsView();
    await chat.locator('vscode-button[aria-label="New chat"]').click();
    await compare(SLOW_PROMPT);
    const lanes = chat.locator('.compare .compare-lane');
    await lanes
      .nth(0)
      .locator('div.content')
      .getByText(/Once upon a time Once/)
      .waitFor();
    await lanes.nth(1).locator('div.content').getByText('Long ago').waitFor();
    await lanes.nth(2).locator('div.content').getByText(/12345/).waitFor();
    await chat.locator('vscode-button[aria-label="Stop the reply"]').click();
    await chat.locator('.compare .message.assistant[data-status="stopped"]').nth(2).waitFor();
    await until(() => closed.openai && closed.tgi);
    assert.deepEqual(closed, { openai: true, tgi: true });
    assert.equal(await chat.locator('.compare .message.assistant.streaming').count(), 0);
    const texts = (await lanes.locator('div.content').allTextContents()).map((text) => text.trim());
    assert.match(texts[0], /^Once upon a time/);
    assert.equal(texts[1], 'Long ago');
    assert.match(texts[2], /^1234567890/);
    await chat.locator('vscode-button[aria-label="Send message"]').waitFor();
  });
});
