// The local-model worker's life cycle: one shared process, crash and restart, idle exit, shutdown, progress.
// Precondition: `npm run build` (dist/local-model-worker.js).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneratorError } from '../../../src/core/errors';
import { ChatMessage } from '../../../src/core/chatMessage';
import { HuggingFaceLocalChatGenerator } from '../../../src/generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { HuggingFaceLocalGenerator } from '../../../src/generators/huggingFaceLocal/huggingFaceLocalGenerator';
import type { WorkerExit } from '../../../src/generators/huggingFaceLocal/localModelWorkerClient';
import {
  configureLocalModels,
  localModelWorker,
  onLocalModelProgress,
  shutdownLocalModels,
  type LocalModelProgress,
} from '../../../src/generators/huggingFaceLocal/localModels';
import { hubFileRoutes } from '../../servers/huggingFaceHubFiles';
import { startTestServer } from '../../servers/testServer';
import { ALPHABET, chatModelPath, copyModelPath, prepareLocalModels, workerPath } from '../../helpers/localModels';

/** Resolves with the next worker exit, or rejects after `timeoutMs`. */
function nextExit(timeoutMs: number): Promise<WorkerExit> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the worker did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = localModelWorker().onExit((exit) => {
      clearTimeout(timer);
      stop();
      resolve(exit);
    });
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local model worker', function () {
  this.timeout(30_000);
  before(() => prepareLocalModels());
  afterEach(() => configureLocalModels({ idleTimeoutMs: 60_000, workerPath }));
  after(() => shutdownLocalModels());

  it('serves every local generator from one process and reports loading progress', async () => {
    const progress: LocalModelProgress[] = [];
    const unsubscribe = onLocalModelProgress((p) => progress.push(p));
    const text = new HuggingFaceLocalGenerator({ model: copyModelPath });
    const chat = new HuggingFaceLocalChatGenerator({ model: chatModelPath });
    await Promise.all([text.warmUp(), chat.warmUp()]);
    const pid = localModelWorker().pid;
    assert.ok(pid !== undefined);
    const [copied, chatted] = await Promise.all([text.run('abc'), chat.run([ChatMessage.fromUser('hi')])]);
    assert.deepEqual(copied.replies, ['abc']);
    assert.equal(chatted.replies[0].text, ALPHABET);
    assert.equal(localModelWorker().pid, pid);
    unsubscribe();
    assert.ok(
      progress.some((p) => p.model === copyModelPath && p.status === 'ready'),
      `progress events: ${JSON.stringify(progress.map((p) => p.status))}`,
    );
    assert.ok(progress.some((p) => p.model === chatModelPath && p.status === 'done' && p.file === 'onnx/model.onnx'));
  });

  it('fails the requests in flight clearly when the worker dies, and the next request starts a new worker', async () => {
    const generator = new HuggingFaceLocalGenerator({
      model: chatModelPath,
      task: 'text-generation',
      generationKwargs: { max_new_tokens: 100_000 },
    });
    await generator.warmUp();
    const pid = localModelWorker().pid!;
    let killed = false;
    const running = generator.run('count 0', {
      streamingCallback: () => {
        if (!killed) {
          killed = true;
          process.kill(pid, 'SIGKILL');
        }
      },
    });
    const waiting = new HuggingFaceLocalGenerator({ model: copyModelPath, task: 'text2text-generation' }).run(
      'queued behind the first',
    );
    for (const request of [running, waiting]) {
      await assert.rejects(request, (e: unknown) => {
        assert.ok(GeneratorError.isInstance(e));
        assert.equal(e.code, 'worker_crashed');
        assert.equal(e.isRetryable, true);
        assert.match(
          e.message,
          /The local model worker was killed by SIGKILL while running .*tiny-(gpt2-chat|t5); the request did not finish\. The next request starts a new worker/,
        );
        return true;
      });
    }
    const again = await generator.run('count 0', { generationKwargs: { max_new_tokens: 4 } });
    assert.deepEqual(again.replies, ['1234']);
    assert.notEqual(localModelWorker().pid, pid);
  });

  it('exits after the idle timeout and starts again on the next request', async () => {
    const generator = new HuggingFaceLocalGenerator({ model: chatModelPath, task: 'text-generation' });
    await generator.run('y');
    const pid = localModelWorker().pid!;
    const exited = nextExit(5_000);
    configureLocalModels({ idleTimeoutMs: 100 });
    const exit = await exited;
    assert.equal(exit.pid, pid);
    assert.equal(exit.expected, true);
    assert.equal(isRunning(pid), false);
    assert.equal(localModelWorker().pid, undefined);
    configureLocalModels({ idleTimeoutMs: 60_000 });
    assert.deepEqual((await generator.run('y')).replies, ['z']);
    assert.ok(localModelWorker().pid !== undefined && localModelWorker().pid !== pid);
  });

  it('stops the worker when the last generator holding it shuts down', async () => {
    // Generators of earlier tests still hold the worker; deactivation-style shutdown lets them all go.
    await shutdownLocalModels();
    const first = new HuggingFaceLocalGenerator({ model: chatModelPath, task: 'text-generation' });
    const second = new HuggingFaceLocalChatGenerator({ model: chatModelPath, task: 'text-generation' });
    await Promise.all([first.warmUp(), second.warmUp()]);
    const pid = localModelWorker().pid!;
    await first.shutdown();
    assert.equal(localModelWorker().pid, pid);
    const exited = nextExit(5_000);
    await second.shutdown();
    assert.equal((await exited).pid, pid);
    assert.equal(isRunning(pid), false);
    // A shut-down generator can be used again: it starts a new worker.
    assert.equal((await second.run([ChatMessage.fromUser('x')])).replies[0].text, ALPHABET);
  });

  it('downloads a hub model into the cache dir with progress, then loads it from the cache with downloads off', async () => {
    const hub = await startTestServer(hubFileRoutes({ 'test-org/tiny-t5': copyModelPath }));
    const cacheDir = mkdtempSync(join(tmpdir(), 'generators-hub-cache-'));
    // The worker reads HF_ENDPOINT when it starts: stop the current one first.
    await shutdownLocalModels();
    process.env.HF_ENDPOINT = hub.url;
    try {
      configureLocalModels({ cacheDir, allowRemoteDownloads: true });
      const progress: LocalModelProgress[] = [];
      const unsubscribe = onLocalModelProgress((p) => progress.push(p));
      const generator = new HuggingFaceLocalGenerator({ model: 'test-org/tiny-t5' });
      assert.deepEqual((await generator.run('from the hub')).replies, ['from the hub']);
      unsubscribe();
      assert.equal(generator.huggingfacePipelineKwargs.task, 'text2text-generation');
      const fetched = hub.requests.filter((r) => r.method === 'GET').map((r) => r.path);
      assert.ok(fetched.includes('/test-org/tiny-t5/resolve/main/onnx/decoder_model_merged.onnx'), fetched.join(', '));
      const encoderProgress = progress.filter(
        (p) => p.model === 'test-org/tiny-t5' && p.file === 'onnx/encoder_model.onnx' && p.status === 'progress',
      );
      assert.ok(encoderProgress.length > 0 && encoderProgress.at(-1)!.progress === 100, JSON.stringify(progress));
      assert.ok(readdirSync(cacheDir, { recursive: true }).some((f) => String(f).endsWith('encoder_model.onnx')));

      await shutdownLocalModels();
      configureLocalModels({ allowRemoteDownloads: false });
      const requestsBefore = hub.requests.length;
      assert.deepEqual(
        (await new HuggingFaceLocalGenerator({ model: 'test-org/tiny-t5', task: 'text2text-generation' }).run('cached'))
          .replies,
        ['cached'],
      );
      assert.equal(hub.requests.length, requestsBefore);
    } finally {
      await shutdownLocalModels();
      delete process.env.HF_ENDPOINT;
      configureLocalModels({ allowRemoteDownloads: false });
      await hub.close();
    }
  });

  it('says how to fix a missing worker bundle', async () => {
    await shutdownLocalModels();
    configureLocalModels({ workerPath: '/nowhere/local-model-worker.js' });
    await assert.rejects(
      new HuggingFaceLocalGenerator({ model: chatModelPath, task: 'text-generation' }).run('a'),
      (e: unknown) =>
        GeneratorError.isInstance(e) &&
        e.code === 'configuration' &&
        /worker bundle was not found at \/nowhere\/local-model-worker\.js\. Build it with 'npm run build'/.test(
          e.message,
        ),
    );
  });
});
