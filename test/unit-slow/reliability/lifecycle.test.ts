// The extension's processes and connections under a crash and at shutdown, at the host-controller level:
// the local-model worker killed mid-generation fails its chat request clearly and the next request starts a new
// worker; deactivation during streams aborts every request on the wire and stops the worker, leaving no process.
// Preconditions: `npm run build` (the worker bundle); the tiny test models are built by prepareLocalModels.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneratorError } from '../../../src/core/errors';
import { localModelWorker, shutdownLocalModels } from '../../../src/generators/huggingFaceLocal/localModels';
import type { WorkerExit } from '../../../src/generators/huggingFaceLocal/localModelWorkerClient';
import { ChatController } from '../../../src/host/chat/chatController';
import { ConversationStore } from '../../../src/host/chat/conversations/conversationStore';
import { GeneratorRegistry } from '../../../src/host/registry/generatorRegistry';
import { InFlightRequests } from '../../../src/host/platform/inFlightRequests';
import { runTextRequest } from '../../../src/host/editor/textRequest';
import { streamEvents } from '../../servers/openaiChatCompletions';
import { startSse, startTestServer, writeSse, type TestServer } from '../../servers/testServer';
import { chatModelPath, prepareLocalModels } from '../../helpers/localModels';
import { PostRecorder } from '../../helpers/postRecorder';

const LOCAL_TYPE = 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator';
const OPENAI_TYPE = 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
const KEY_NAME = 'GENERATORS_LIFECYCLE_TEST_KEY';
/** The tiny chat model counts up from a digit forever; the template hands it the user's text as it is. */
const localEntry = (name: string, maxNewTokens: number) => ({
  name,
  type: LOCAL_TYPE,
  init_parameters: {
    model: chatModelPath,
    task: 'text-generation',
    chat_template: '{{ messages[0].content }}',
    generation_kwargs: { max_new_tokens: maxNewTokens },
  },
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The next exit of the shared worker. */
function nextWorkerExit(): Promise<WorkerExit> {
  return new Promise((resolve) => {
    const stop = localModelWorker().onExit((exit) => {
      stop();
      resolve(exit);
    });
  });
}

describe('reliability: worker crash and deactivation', function () {
  this.timeout(60_000);
  let directory: string;
  let posts: PostRecorder;
  let store: ConversationStore;

  before(() => prepareLocalModels());
  after(() => shutdownLocalModels());
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'reliability-lifecycle-'));
    posts = new PostRecorder();
    store = new ConversationStore(directory, () => assert.fail('no conversation file may be corrupt'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  const controllerFor = (registry: GeneratorRegistry, logged: string[]) =>
    new ChatController({
      registry,
      store,
      post: posts.post,
      log: { info: () => {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) },
    });

  it('worker killed mid-generation: the chat reply fails clearly with its partial text kept; the next request starts a new worker', async () => {
    const registry = new GeneratorRegistry({
      generators: [localEntry('Local', 100_000), localEntry('Local short', 4)],
      defaults: { chat: 'Local' },
    });
    const logged: string[] = [];
    const controller = controllerFor(registry, logged);
    await controller.state();

    const firstChunk = posts.next('chunk', 'crash');
    const sending = controller.send('crash', controller.currentConversationId()!, 'Local', { text: '0' });
    await firstChunk;
    const killedPid = localModelWorker().pid!;
    const exited = nextWorkerExit();
    process.kill(killedPid, 'SIGKILL');
    await sending;
    assert.equal((await exited).signal, 'SIGKILL');

    const end = await posts.next('error', 'crash');
    assert.equal(end.message?.status, 'error');
    assert.equal(end.message?.error?.code, 'worker_crashed');
    assert.equal(end.message?.error?.retryable, true);
    assert.match(
      end.message!.error!.message,
      /local model worker was killed by SIGKILL .* The next request starts a new worker/,
    );
    assert.match(
      end.message!.text,
      /^1\d*$/,
      `the text streamed before the crash is kept: ${JSON.stringify(end.message)}`,
    );
    assert.ok(
      logged.some((line) => line.includes('worker_crashed')),
      'the failure is logged',
    );

    await controller.newChat();
    await controller.send('after', controller.currentConversationId()!, 'Local short', { text: '0' });
    const done = await posts.next('done', 'after');
    assert.equal(done.message.text, '1234');
    assert.notEqual(localModelWorker().pid, killedPid, 'a new worker serves the next request');
    assert.equal(isAlive(killedPid), false);
    await controller.dispose();
    await registry.shutdown();
  });

  describe('deactivation during streams', () => {
    let server: TestServer;
    const closed: Promise<void>[] = [];

    before(async () => {
      // Streams a first piece, then holds the connection open until the client leaves.
      server = await startTestServer([
        {
          method: 'POST',
          path: '/v1/chat/completions',
          handle: (request, response: ServerResponse) => {
            closed.push(new Promise((resolve) => response.on('close', () => resolve())));
            startSse(response);
            for (const event of streamEvents(request, { text: 'First piece, then silence', chunkSize: 11 }).slice(0, 2))
              writeSse(response, event);
          },
        },
      ]);
      process.env[KEY_NAME] = 'sk-lifecycle-test-key';
    });
    after(() => {
      delete process.env[KEY_NAME];
      return server.close();
    });

    it('aborts the chat and editor requests on the wire, stops the worker, and leaves no process running', async () => {
      const workersBefore = process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap').length;
      const registry = new GeneratorRegistry({
        generators: [
          localEntry('Local', 100_000),
          {
            name: 'GPT',
            type: OPENAI_TYPE,
            init_parameters: {
              api_base_url: `${server.url}/v1`,
              api_key: { type: 'env_var', env_vars: [KEY_NAME], strict: true },
              max_retries: 0,
              timeout: 60,
            },
          },
        ],
        defaults: { chat: 'GPT' },
      });
      const logged: string[] = [];
      const controller = controllerFor(registry, logged);
      const requests = new InFlightRequests();
      await controller.state();

      const chats = [
        ['gpt', 'GPT', 'hello'],
        ['local', 'Local', '0'],
      ].map(([requestId, generator, text]) => {
        const started = posts.next('chunk', requestId);
        const sent = controller
          .newChat()
          .then(() => controller.send(requestId!, controller.currentConversationId()!, generator!, { text: text! }));
        return { requestId: requestId!, started, sent };
      });
      const editor = requests.start();
      let editorStreamed = false;
      const editorOutcome = runTextRequest(
        registry.get('GPT'),
        { system: 'Explain.', user: 'x' },
        { signal: editor.signal, onText: () => void (editorStreamed = true) },
      )
        .finally(editor.done)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      await Promise.all(chats.map((c) => c.started));
      await new Promise<void>((resolve) => {
        const check = () => (editorStreamed && closed.length === 2 ? resolve() : setTimeout(check, 5));
        check();
      });
      const workerPid = localModelWorker().pid!;
      assert.ok(isAlive(workerPid));
      const workerExit = nextWorkerExit();

      // extension.ts deactivate(): abort editor requests, dispose the chat (aborts its requests), stop generators and the worker.
      requests.abortAll();
      await controller.dispose();
      await registry.shutdown();
      await shutdownLocalModels();

      const editorError = await editorOutcome;
      assert.ok(
        GeneratorError.isInstance(editorError) && editorError.code === 'cancelled',
        `the editor request is cancelled: ${String(editorError)}`,
      );
      await Promise.all(chats.map((c) => c.sent));
      for (const { requestId } of chats) {
        const end = await posts.next('done', requestId);
        assert.equal(end.message.status, 'stopped', `${requestId} is stopped, its partial text kept`);
        assert.ok(end.message.text.length > 0);
      }
      await Promise.all(closed);
      assert.equal((await workerExit).expected, true);
      assert.equal(isAlive(workerPid), false, 'the worker process is gone');
      assert.equal(localModelWorker().pid, undefined);
      assert.equal(requests.size, 0);
      assert.equal(
        process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap').length,
        workersBefore,
        'no child process left',
      );
      assert.deepEqual(logged, []);
    });
  });
});
