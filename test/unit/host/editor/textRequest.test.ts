import assert from 'node:assert/strict';
import { GeneratorError } from '../../../../src/core/errors';
import { Secret, setSecretResolver } from '../../../../src/core/secret';
import { OpenAIChatGenerator } from '../../../../src/generators/openai/openAIChatGenerator';
import { OpenAIGenerator } from '../../../../src/generators/openai/openAIGenerator';
import { GeneratorRegistry } from '../../../../src/host/registry/generatorRegistry';
import { InFlightRequests } from '../../../../src/host/platform/inFlightRequests';
import { SecretCache } from '../../../../src/host/secrets/secretCache';
import { explainPrompt } from '../../../../src/host/editor/selectionPrompts';
import { runTextRequest } from '../../../../src/host/editor/textRequest';
import { completionReply, openAIChatRoutes, stallAfter } from '../../../servers/openaiChatCompletions';
import { startTestServer } from '../../../servers/testServer';
import { useTestServer } from '../../../helpers/suiteServer';

const context = { text: 'let total = a + b;', languageId: 'typescript', fileName: '/w/sum.ts' };

describe('host text requests against the offline Chat Completions server', () => {
  const server = useTestServer(() => startTestServer(openAIChatRoutes()));
  let restore: () => void;
  before(async () => {
    const cache = new SecretCache({ get: async () => undefined, store: async () => {}, delete: async () => {} }, {});
    await cache.set('GENERATORS_TEST_KEY', 'sk-host-test');
    restore = setSecretResolver(cache.resolve);
  });
  after(async () => {
    restore();
  });
  beforeEach(() => server.requests.splice(0));

  const chat = () =>
    new OpenAIChatGenerator({
      apiKey: Secret.fromEnvVar('GENERATORS_TEST_KEY'),
      apiBaseUrl: `${server.url}/v1`,
      model: 'gpt-4o-mini',
      maxRetries: 0,
    });

  it('sends a chat generator the system and user prompts, streams the text and reports model, usage and timings', async () => {
    server.enqueue(
      completionReply({
        text: 'It adds a and b.',
        chunkSize: 4,
        usage: { prompt_tokens: 30, completion_tokens: 6, total_tokens: 36 },
      }),
    );
    const pieces: string[] = [];
    const outcome = await runTextRequest(chat(), explainPrompt(context), { onText: (t) => void pieces.push(t) });
    assert.deepEqual(pieces, ['It a', 'dds ', 'a an', 'd b.']);
    assert.equal(outcome.text, 'It adds a and b.');
    assert.equal(outcome.finishReason, 'stop');
    assert.deepEqual(outcome.usage, {
      prompt_tokens: 30,
      completion_tokens: 6,
      total_tokens: 36,
      completion_tokens_details: null,
      prompt_tokens_details: null,
    });
    assert.ok(outcome.firstTokenMs !== undefined && outcome.firstTokenMs <= outcome.totalMs);
    const [request] = server.requests;
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, 'Bearer sk-host-test');
    assert.equal(request.body.stream, true);
    assert.deepEqual(
      request.body.messages.map((m: { role: string }) => m.role),
      ['system', 'user'],
    );
    assert.match(
      request.body.messages[1].content,
      /typescript code from the file sum\.ts:\n\n```typescript\nlet total = a \+ b;\n```/,
    );
  });

  it('uses the prompt form of a text generator, with the system prompt', async () => {
    server.enqueue(completionReply({ text: 'Text reply' }));
    const text = new OpenAIGenerator({
      apiKey: Secret.fromEnvVar('GENERATORS_TEST_KEY'),
      apiBaseUrl: `${server.url}/v1`,
      maxRetries: 0,
    });
    const outcome = await runTextRequest(text, { system: 'Be brief.', user: 'Say hi' });
    assert.equal(outcome.text, 'Text reply');
    assert.deepEqual(server.requests[0].body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hi' },
    ]);
  });

  it('stops mid-stream when aborted and surfaces a cancelled error', async () => {
    server.enqueue(stallAfter({ text: 'partial answer that never ends', chunkSize: 5 }, 3));
    const controller = new AbortController();
    const pieces: string[] = [];
    const run = runTextRequest(
      chat(),
      { system: 's', user: 'u' },
      {
        signal: controller.signal,
        onText: (t) => {
          pieces.push(t);
          if (pieces.length === 2) controller.abort();
        },
      },
    );
    await assert.rejects(run, (e: GeneratorError) => e.code === 'cancelled');
    assert.deepEqual(pieces.join(''), 'partial an');
  });

  it('aborts every request in flight when the extension shuts down', async () => {
    server.enqueue(
      stallAfter({ text: 'one two three', chunkSize: 4 }, 2),
      stallAfter({ text: 'four five six', chunkSize: 4 }, 2),
    );
    const requests = new InFlightRequests();
    const heard: number[] = [];
    requests.onDidChange((running) => heard.push(running));
    const started: Promise<unknown>[] = [];
    let streaming = 0;
    let allStreaming: () => void = () => {};
    const bothStreaming = new Promise<void>((resolve) => (allStreaming = resolve));
    for (let i = 0; i < 2; i++) {
      const request = requests.start();
      let first = true;
      const onText = () => {
        if (first && ++streaming === 2) allStreaming();
        first = false;
      };
      started.push(
        runTextRequest(chat(), { system: 's', user: `u${i}` }, { signal: request.signal, onText }).finally(
          request.done,
        ),
      );
    }
    await bothStreaming;
    assert.equal(requests.size, 2);
    requests.abortAll();
    const outcomes = await Promise.allSettled(started);
    assert.deepEqual(
      outcomes.map((o) => o.status === 'rejected' && GeneratorError.isInstance(o.reason) && o.reason.code),
      ['cancelled', 'cancelled'],
    );
    assert.equal(requests.size, 0);
    assert.deepEqual(heard, [1, 2, 0], 'the Stop key context follows the running count');
  });

  it('builds generators from settings entries through the real core registry', async () => {
    server.enqueue(completionReply({ text: 'from settings' }));
    const registry = new GeneratorRegistry({
      generators: [
        {
          name: 'Test GPT',
          type: OpenAIChatGenerator.typeName,
          init_parameters: {
            model: 'gpt-4o-mini',
            api_base_url: `${server.url}/v1`,
            max_retries: 0,
            api_key: { type: 'env_var', env_vars: ['GENERATORS_TEST_KEY'], strict: true },
          },
        },
        { name: 'Broken', type: OpenAIChatGenerator.typeName, init_parameters: { model: ['not', 'a', 'string'] } },
      ],
      defaults: { chat: 'Test GPT' },
    });
    const outcome = await runTextRequest(registry.get(registry.defaultName('chat')!), { system: 's', user: 'u' });
    assert.equal(outcome.text, 'from settings');
    assert.throws(() => registry.get('Broken'), /^GeneratorError: Generator "Broken": init_parameters\.model: /);
    assert.equal(JSON.stringify(registry.get('Test GPT').toDict()).includes('sk-host-test'), false);
  });

  it('refuses an image generator with a message saying what to pick', async () => {
    const image = {
      kind: 'image',
      typeName: 'haystack.components.generators.openai_dalle.DALLEImageGenerator',
    } as never;
    await assert.rejects(
      runTextRequest(image, { system: '', user: '' }),
      /generates images, not text: pick a chat or text generator/,
    );
  });
});
