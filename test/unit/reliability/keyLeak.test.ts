// A planted key, stored the way 'Generators: Set API Key' stores it, through a whole session at the host-controller
// level: settings, the registry, chat turns on five generators, providers that echo the key back in errors, editor
// text requests with prompt logging on, images, exports. The key must reach the providers (in their auth header)
// and nowhere else: zero hits in settings, logs, toDict and exports, errors, saved and exported conversations,
// and every message posted to the webview.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { GeneratorError } from '../../../src/core/errors';
import { setSecretResolver } from '../../../src/core/secret';
import { ChatController } from '../../../src/host/chat/chatController';
import { ConversationStore } from '../../../src/host/chat/conversations/conversationStore';
import { GeneratorRegistry } from '../../../src/host/registry/generatorRegistry';
import { exportHaystackText } from '../../../src/host/haystack/haystackComponents';
import { logRequest } from '../../../src/host/platform/requestLog';
import { SecretCache, type SecretStore } from '../../../src/host/secrets/secretCache';
import { runTextRequest } from '../../../src/host/editor/textRequest';
import { openAIChatRoutes } from '../../servers/openaiChatCompletions';
import { openAIImagesRoutes } from '../../servers/openaiImages';
import { responsesRoutes } from '../../servers/openaiResponses';
import { fakeHuggingFace, textGenerationInferenceRoutes } from '../../servers/textGenerationInference';
import { sendJson, startTestServer, type Handler, type TestServer } from '../../servers/testServer';
import { PostRecorder } from '../../helpers/postRecorder';

const KEY_NAME = 'GENERATORS_LEAK_TEST_KEY';
// Random per run, so a hit cannot be a string that happens to be in the code.
const KEY = `sk-leakcanary-${randomBytes(12).toString('hex')}`;
const ref = { type: 'env_var', env_vars: [KEY_NAME], strict: true };

/** A provider that rejects the key and quotes it back, as OpenAI's "Incorrect API key provided: sk-..." does. */
const echoingRejection: Handler = (request, response) => {
  const sent = String(request.headers.authorization ?? request.headers['api-key'] ?? '');
  sendJson(response, 401, {
    error: {
      message: `Incorrect API key provided: ${sent.replace(/^Bearer /, '')}. Header was "${sent}".`,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  });
};

/** Where the key is found in `haystack`, by any of its distinctive parts (a partial echo is a leak too). */
function hits(haystack: string): string[] {
  const secretPart = KEY.slice('sk-leakcanary-'.length);
  return [KEY, secretPart, secretPart.slice(0, 12), secretPart.slice(-12)].filter((needle) =>
    haystack.includes(needle),
  );
}

class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

describe('reliability: a planted key leaks nowhere during a full session', function () {
  this.timeout(30_000);
  const servers: TestServer[] = [];
  let directory: string;
  let restoreResolver: () => void = () => {};

  after(async () => {
    restoreResolver();
    await Promise.all(servers.map((s) => s.close()));
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('reaches the providers only in their auth header: zero hits everywhere the extension writes or shows', async () => {
    const openai = await startTestServer(openAIChatRoutes());
    const responses = await startTestServer(responsesRoutes());
    const tgi = await startTestServer(textGenerationInferenceRoutes(fakeHuggingFace()));
    const images = await startTestServer(openAIImagesRoutes({ apiKey: KEY }));
    servers.push(openai, responses, tgi, images);
    directory = await mkdtemp(join(tmpdir(), 'reliability-leak-'));

    // Set API Key: SecretStorage, then the resolver every env-var secret reads.
    const secretStore = new MemorySecretStore();
    const secrets = new SecretCache(secretStore, {});
    await secrets.set(KEY_NAME, KEY);
    restoreResolver = setSecretResolver(secrets.resolve);

    const common = { api_key: ref, max_retries: 0, timeout: 10 };
    const settings = {
      generators: [
        {
          name: 'GPT',
          type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator',
          init_parameters: { ...common, model: 'gpt-4o-mini', api_base_url: `${openai.url}/v1` },
        },
        {
          name: 'Azure',
          type: 'haystack.components.generators.chat.azure.AzureOpenAIChatGenerator',
          init_parameters: { ...common, azure_endpoint: openai.url, azure_deployment: 'gpt', azure_ad_token: null },
        },
        {
          name: 'Completion',
          type: 'haystack.components.generators.openai.OpenAIGenerator',
          init_parameters: { ...common, api_base_url: `${openai.url}/v1` },
        },
        {
          name: 'Responses',
          type: 'haystack.components.generators.chat.openai_responses.OpenAIResponsesChatGenerator',
          init_parameters: { ...common, api_base_url: `${responses.url}/v1` },
        },
        {
          name: 'TGI',
          type: 'haystack.components.generators.chat.hugging_face_api.HuggingFaceAPIChatGenerator',
          init_parameters: { api_type: 'text_generation_inference', api_params: { url: tgi.url }, token: ref },
        },
        {
          name: 'DALL-E',
          type: 'haystack.components.generators.openai_dalle.DALLEImageGenerator',
          init_parameters: { ...common, api_base_url: `${images.url}/v1`, response_format: 'b64_json' },
        },
        {
          name: 'Broken',
          type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator',
          init_parameters: { api_key: { type: 'env_var', env_vars: [] }, model: 1 },
        },
      ],
      defaults: { chat: 'GPT', image: 'DALL-E' },
    };

    const logLines: string[] = [];
    const log = {
      info: (m: string) => void logLines.push(m),
      warn: (m: string) => void logLines.push(m),
      error: (m: string) => void logLines.push(m),
      debug: (m: string) => void logLines.push(m),
    };
    const registry = new GeneratorRegistry(settings, { onProblem: log.warn });
    const posts = new PostRecorder();
    const store = new ConversationStore(join(directory, 'conversations'), (info) =>
      log.error(`corrupt: ${JSON.stringify(info)}`),
    );
    const controller = new ChatController({ registry, store, post: posts.post, log, saveIntervalMs: 0 });
    const errors: unknown[] = [];

    // Chat: a good turn on every chat-capable generator, then each provider rejecting the key and quoting it back.
    await controller.state();
    let n = 0;
    const serverOf: Record<string, TestServer> = {
      GPT: openai,
      Azure: openai,
      Completion: openai,
      Responses: responses,
      TGI: tgi,
    };
    for (const [name, server] of Object.entries(serverOf)) {
      await controller.newChat();
      await controller.send(`ok-${n}`, controller.currentConversationId()!, name, { text: `hello ${name}` });
      server.enqueue(echoingRejection);
      await controller.retry(`rejected-${n}`, controller.currentConversationId()!);
      n++;
    }
    for (const name of ['GPT', 'Responses', 'TGI']) {
      const error = posts.messages.find(
        (m) => m.type === 'error' && m.message?.error?.code === 'authentication' && m.message.stats?.generator === name,
      );
      assert.ok(error, `${name}: the rejected key surfaced as an authentication error`);
    }
    await controller
      .send('broken', controller.currentConversationId()!, 'Broken', { text: 'use the broken one' })
      .catch((e: unknown) => errors.push(e));

    // Editor commands: text requests with prompt logging on, one failing on a key echo.
    for (const name of ['GPT', 'Completion']) {
      const outcome = await runTextRequest(registry.get(name), { system: 'Explain.', user: 'const x = 1;' });
      logRequest(log, { generator: name, command: 'explainSelection', ...outcome, prompt: 'const x = 1;' }, true);
    }
    openai.enqueue(echoingRejection);
    const rejected = await runTextRequest(registry.get('GPT'), { system: 's', user: 'u' }).catch((e: unknown) => e);
    assert.ok(GeneratorError.isInstance(rejected) && rejected.code === 'authentication');
    errors.push(rejected);
    logRequest(log, { generator: 'GPT', command: 'improveSelection', error: rejected }, true);

    // Images: a good one, then the images API quoting the key back.
    const image = registry.get('DALL-E');
    assert.equal(image.kind, 'image');
    if (image.kind === 'image') {
      await image.run('a lighthouse');
      images.enqueue(echoingRejection);
      errors.push(await image.run('a lighthouse').catch((e: unknown) => e));
    }
    errors.push(
      await Promise.resolve()
        .then(() => registry.get('Broken'))
        .catch((e: unknown) => e),
    );

    // Exports: every generator as Haystack JSON and YAML, every conversation as Markdown and Haystack JSON.
    const exported: string[] = [];
    for (const entry of settings.generators.slice(0, -1)) {
      const dict = registry.get(entry.name).toDict();
      exported.push(
        JSON.stringify(dict),
        await exportHaystackText(dict, 'json'),
        await exportHaystackText(dict, 'yaml'),
      );
    }
    for (const summary of await store.list()) {
      for (const format of ['markdown', 'haystack'] as const)
        exported.push(JSON.stringify(await controller.exportConversation(summary.id, format)));
    }
    await controller.dispose();
    await store.idle();
    const savedFiles = await Promise.all(
      (await readdir(join(directory, 'conversations'))).map((f) =>
        readFile(join(directory, 'conversations', f), 'utf8'),
      ),
    );

    // The key was really used: each provider received it in its own auth header.
    const authHeaders = [openai, responses, tgi, images].flatMap((s) =>
      s.requests.map((r) => String(r.headers.authorization ?? r.headers['api-key'] ?? '')),
    );
    for (const server of [openai, responses, tgi, images]) {
      assert.ok(
        server.requests.some((r) => hits(String(r.headers.authorization ?? r.headers['api-key'] ?? '')).length > 0),
        `${server.url} received the key`,
      );
    }
    assert.ok(authHeaders.length >= 12);

    const places: Record<string, string> = {
      settings: JSON.stringify(settings),
      'secret cache (inspect and JSON)': `${inspect(secrets, { showHidden: true, depth: 5 })} ${JSON.stringify(secrets)}`,
      'log lines': logLines.join('\n'),
      'posted to the webview': JSON.stringify(posts.messages),
      'toDict and exports': exported.join('\n'),
      'saved conversation files': savedFiles.join('\n'),
      'error messages': errors.map((e) => (e instanceof Error ? `${e.message}\n${e.stack}` : String(e))).join('\n'),
      'inspected errors': errors.map((e) => inspect(e, { depth: 2 })).join('\n'),
      'inspected generators': settings.generators
        .slice(0, -1)
        .map((entry) => inspect(registry.get(entry.name), { depth: 4 }))
        .join('\n'),
      'request bodies sent': [openai, responses, tgi, images]
        .flatMap((s) => s.requests.map((r) => r.rawBody.toString('utf8')))
        .join('\n'),
    };
    const leaks = Object.entries(places).flatMap(([place, text]) => (hits(text).length > 0 ? [place] : []));
    assert.deepEqual(leaks, [], `the key leaked into: ${leaks.join(', ')}`);
    assert.ok(
      posts.messages.length > 30 && logLines.length > 5 && errors.length >= 3,
      'the session exercised every channel',
    );
  });
});
