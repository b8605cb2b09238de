// Compare mode's host side: three generators (OpenAI Chat Completions, TGI chat, a local model in the worker)
// answer one message at once; each lane streams under its own id with its own stats; one stop ends them all.
// Precondition: `npm run build` (dist/local-model-worker.js).
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { Generator } from '../../../../../src/core/generator';
import { Secret, setSecretResolver } from '../../../../../src/core/secret';
import { HuggingFaceAPIChatGenerator } from '../../../../../src/generators/huggingFaceApi/huggingFaceAPIChatGenerator';
import { HuggingFaceLocalChatGenerator } from '../../../../../src/generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { shutdownLocalModels } from '../../../../../src/generators/huggingFaceLocal/localModels';
import { OpenAIChatGenerator } from '../../../../../src/generators/openai/openAIChatGenerator';
import { comparisonIdOf, Comparison, laneId } from '../../../../../src/host/chat/compare/comparison';
import type { Conversation, ConversationMessage, HostMessage } from '../../../../../src/shared/protocol';
import { parseWebviewMessage } from '../../../../../src/shared/webviewMessageParser';
import { completionReply, startOpenAIServer, streamEvents } from '../../../../servers/openaiChatCompletions';
import { startSse, startTestServer, writeSse, type RecordedRequest } from '../../../../servers/testServer';
import { useTestServer } from '../../../../helpers/suiteServer';
import {
  fakeHuggingFace,
  textGenerationInferenceRoutes,
  type FakeHuggingFace,
} from '../../../../servers/textGenerationInference';
import { ALPHABET, chatModelPath, prepareLocalModels } from '../../../../helpers/localModels';

const KEY_NAME = 'COMPARE_TEST_KEY';

/** Streams the first events of a long reply, then holds the connection until the client leaves. */
function heldStream(closed: () => void) {
  return (request: RecordedRequest, response: ServerResponse) => {
    startSse(response);
    for (const event of streamEvents(request, { text: 'One two three four five six seven', chunkSize: 4 }).slice(0, 3))
      writeSse(response, event);
    response.on('close', closed);
  };
}

describe('compare mode: one message, three generators at once', function () {
  this.timeout(30_000);
  const fake: FakeHuggingFace = fakeHuggingFace();
  const openai = useTestServer(startOpenAIServer);
  const tgi = useTestServer(() => startTestServer(textGenerationInferenceRoutes(fake)));
  let restoreResolver: () => void;
  let generators: Record<string, Generator>;
  let posts: HostMessage[];

  const question = (text: string): ConversationMessage => ({
    id: 'u1',
    role: 'user',
    text,
    status: 'complete',
    createdAt: 0,
  });
  const compare = (names: string[], requestId = 'cmp-1', text = 'hello ', settings: Conversation['settings'] = {}) =>
    new Comparison(
      requestId,
      { id: 'c1', title: 'Compare', settings, messages: [], createdAt: 0, updatedAt: 0 },
      [question(text)],
      names,
      {
        registry: {
          get: (name) => {
            const generator = generators[name];
            if (!generator) throw new Error(`No generator named "${name}".`);
            return generator;
          },
        },
        post: (message) => posts.push(structuredClone(message)),
        prices: () => ({ 'gpt-4o-mini': { input: 0.15, output: 0.6 } }),
      },
    );
  const ofLane = (id: string) => posts.filter((m) => 'requestId' in m && m.requestId === id);

  before(async () => {
    prepareLocalModels();
    restoreResolver = setSecretResolver((name) => (name === KEY_NAME ? 'sk-compare-0123456789' : undefined));
  });
  after(async () => {
    restoreResolver();
    await shutdownLocalModels();
  });
  beforeEach(() => {
    posts = [];
    Object.assign(fake, fakeHuggingFace());
    generators = {
      GPT: new OpenAIChatGenerator({
        apiKey: Secret.fromEnvVar(KEY_NAME),
        apiBaseUrl: `${openai.url}/v1`,
        model: 'gpt-4o-mini',
        maxRetries: 0,
        timeout: 30,
      }),
      TGI: new HuggingFaceAPIChatGenerator({ apiType: 'text_generation_inference', apiParams: { url: tgi.url } }),
      Local: new HuggingFaceLocalChatGenerator({ model: chatModelPath, task: 'text-generation' }),
      // A bare template: after the question's last digit the test model counts up until max_new_tokens.
      Counter: new HuggingFaceLocalChatGenerator({
        model: chatModelPath,
        task: 'text-generation',
        chatTemplate: '{% for m in messages %}{{ m.content }}{% endfor %}',
      }),
    };
  });

  it('streams every lane under its own id and ends each with its own reply, timings and usage', async () => {
    openai.enqueue(
      completionReply({
        text: 'Hi from GPT',
        usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
        chunkSize: 3,
      }),
    );
    const comparison = compare(['GPT', 'TGI', 'Local']);
    assert.deepEqual(
      comparison.lanes.map((l) => [l.laneId, l.generator, l.reply.status]),
      [
        ['cmp-1_lane0', 'GPT', 'streaming'],
        ['cmp-1_lane1', 'TGI', 'streaming'],
        ['cmp-1_lane2', 'Local', 'streaming'],
      ],
    );
    const lanes = await comparison.run();
    assert.deepEqual(
      lanes.map((l) => [l.reply.status, l.reply.text]),
      [
        ['complete', 'Hi from GPT'],
        ['complete', 'Natural language processing is fun.'],
        ['complete', ALPHABET],
      ],
    );
    for (const [index, lane] of lanes.entries()) {
      const messages = ofLane(laneId('cmp-1', index));
      const chunks = messages.filter((m) => m.type === 'chunk');
      assert.ok(chunks.length >= 2, `lane ${index} streamed`);
      assert.equal(chunks.map((m) => (m.type === 'chunk' ? (m.text ?? '') : '')).join(''), lane.reply.text);
      assert.deepEqual(messages.at(-1), { type: 'done', requestId: lane.laneId, message: lane.reply });
      const stats = lane.reply.stats!;
      assert.equal(stats.generator, lane.generator);
      assert.ok(stats.timeToFirstTokenMs! >= 0 && stats.totalMs! >= stats.timeToFirstTokenMs!);
      assert.ok(stats.completionTokens! > 0 && stats.totalTokens! > stats.completionTokens!);
    }
    assert.equal(lanes[0].reply.stats?.costUsd, (5 * 0.15 + 3 * 0.6) / 1e6);
    assert.equal(lanes[2].reply.stats?.costUsd, undefined, 'no price is configured for the local model');
    // Every lane got the same question.
    assert.equal(openai.requests[0].body.messages.at(-1).content, 'hello ');
    assert.equal(tgi.requests[0].body.messages.at(-1).content, 'hello ');
  });

  it('stops all lanes at once: the provider connections close, partial replies stay, nothing follows a lane end', async () => {
    let openaiClosed = false;
    let tgiClosed = false;
    openai.enqueue(heldStream(() => (openaiClosed = true)));
    tgi.enqueue((_request, response) => {
      startSse(response);
      const delta = { role: 'assistant', content: 'Natural' };
      writeSse(response, {
        id: '',
        object: 'chat.completion.chunk',
        created: 0,
        model: 'tgi',
        system_fingerprint: 'x',
        choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
        usage: null,
      });
      response.on('close', () => (tgiClosed = true));
    });
    // Far more tokens than the counter makes before the stop.
    const comparison = compare(['GPT', 'TGI', 'Counter'], 'cmp-2', 'count 0', { maxTokens: 1_000_000 });
    const running = comparison.run();
    const streamed = (index: number) =>
      ofLane(laneId('cmp-2', index))
        .map((m) => (m.type === 'chunk' ? (m.text ?? '') : ''))
        .join('');
    // The counter lane must have counted past 10 before the stop: on a busy machine its first chunk alone can be "123".
    await waitFor(() => streamed(0) !== '' && streamed(1) !== '' && streamed(2).length >= 10);
    comparison.stop();
    const lanes = await running;
    assert.deepEqual(
      lanes.map((l) => l.reply.status),
      ['stopped', 'stopped', 'stopped'],
    );
    for (const lane of lanes) {
      const ends = ofLane(lane.laneId).filter((m) => m.type === 'done' || m.type === 'error');
      assert.equal(ends.length, 1, `${lane.generator} ended once`);
      assert.equal(ofLane(lane.laneId).at(-1), ends[0], `nothing followed the end of ${lane.generator}`);
    }
    assert.equal(lanes[0].reply.text, 'One two ');
    assert.equal(lanes[1].reply.text, 'Natural');
    assert.match(lanes[2].reply.text, /^1234567890/);
    await waitFor(() => openaiClosed && tgiClosed);
  });

  it('lets one lane fail without holding up the others', async () => {
    openai.enqueue(completionReply({ text: 'Still here' }));
    const lanes = await compare(['Missing', 'GPT'], 'cmp-3').run();
    assert.equal(lanes[0].reply.status, 'error');
    assert.equal(lanes[0].reply.error?.message, 'No generator named "Missing".');
    assert.deepEqual(
      ofLane('cmp-3_lane0').map((m) => m.type),
      ['error'],
    );
    assert.deepEqual([lanes[1].reply.status, lanes[1].reply.text], ['complete', 'Still here']);
  });

  it('tells lane ids from ordinary request ids, and a lane id passes the protocol id check', () => {
    const uuid = '0b9f6a52-3c1e-4b7e-9c55-1d2f3e4a5b6c';
    assert.equal(comparisonIdOf(laneId(uuid, 3)), uuid);
    assert.deepEqual(parseWebviewMessage({ type: 'stop', requestId: laneId(uuid, 3) }), {
      ok: true,
      message: { type: 'stop', requestId: `${uuid}_lane3` },
    });
    assert.equal(comparisonIdOf('7f3a-uuid'), undefined);
    assert.equal(comparisonIdOf('_lane1'), undefined);
    assert.equal(comparisonIdOf('a_laneb'), undefined);
  });
});

/** Resolves once `condition` holds, checking every 10 ms for at most 10 s. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('Timed out waiting for the condition.');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
