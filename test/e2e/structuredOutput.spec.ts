// Structured output and usage in a real VS Code: a response schema picked from a workspace file through the command
// palette is sent as `response_format`, the reply is shown with its schema check, and the conversation's token
// total carries a cost estimate from `generators.prices`.
import assert from 'node:assert/strict';
import { completionReply, echoScript, openAIChatRoutes } from '../servers/openaiChatCompletions';
import { startTestServer, type TestServer } from '../servers/testServer';
import { openWorkbench, type Workbench } from './workbench';

const KEY_NAME = 'GENERATORS_E2E_SCHEMA_KEY';
const CITY_SCHEMA = {
  title: 'City facts',
  type: 'object',
  properties: { name: { type: 'string' }, population: { type: 'integer', minimum: 0 } },
  required: ['name', 'population'],
  additionalProperties: false,
};

describe('structured output and usage (e2e)', function () {
  this.timeout(180_000);
  let server: TestServer;
  let workbench: Workbench;
  let failed = false;

  before(async function () {
    this.timeout(240_000);
    server = await startTestServer(
      openAIChatRoutes((request, response) => {
        // A reply that is JSON but breaks the schema's minimum, so the panel has a problem to show.
        const text = request.body?.response_format
          ? '{"name": "Paris", "population": -1}'
          : (echoScript(request).text ?? '');
        return completionReply({
          text,
          chunkSize: 5,
          usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 },
        })(request, response);
      }),
    );
    process.env[KEY_NAME] = 'sk-e2e-schema';
    workbench = await openWorkbench({
      files: { 'schemas/city.schema.json': JSON.stringify(CITY_SCHEMA, null, 2) },
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
    await server?.close();
    delete process.env[KEY_NAME];
  });

  it('sends the schema picked from a workspace file and shows the reply checked against it, with usage and cost', async () => {
    const chat = await workbench.openGeneratorsView();
    const { page } = workbench;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input[type="text"]');
    await input.fill('>Generators: Set Response Schema');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Set Response Schema' }).first().click();
    await page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ hasText: 'Pick a .json file in the workspace' })
      .click();
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'city.schema.json' }).click();
    await chat
      .locator('p.schema-note')
      .getByText(
        'Replies are requested as JSON following "City_facts" (schemas/city.schema.json) and checked against it.',
      )
      .waitFor();

    const message = chat.getByRole('textbox', { name: 'Message' });
    await message.fill('Facts about Paris');
    await message.press('Enter');
    const reply = chat.locator('.message.assistant[data-status="complete"]').last();
    const check = reply.locator('.structured-output.invalid');
    await check.getByText('Does not match the schema "City_facts"').waitFor();
    assert.deepEqual(await check.locator('li').allTextContents(), ['/population must be >= 0']);
    assert.equal(await check.locator('pre').textContent(), '{\n  "name": "Paris",\n  "population": -1\n}');
    const body = server.requests.at(-1)!.body;
    assert.deepEqual(body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'City_facts', schema: CITY_SCHEMA, strict: true },
    });

    assert.match((await reply.locator('div.rates').textContent()) ?? '', /tok\/s · ≈ \$0\.00027 \(estimate\)$/);
    assert.equal(
      await chat.locator('p.usage-total').textContent(),
      'This conversation: 1200 tokens (1000 in / 200 out) · ≈ $0.00027 (estimate)',
    );
  });
});
