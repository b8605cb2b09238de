// 50 chat requests at once, across seven generators on three offline servers, through the chat controller: every
// request completes, each reply lands in its own conversation, and no chunk of one reply appears in another.
// The servers hold every reply until all 50 requests have arrived, so the streams really do interleave.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Generator } from '../../../src/core/generator';
import { Secret } from '../../../src/core/secret';
import { AIMLAPIChatGenerator } from '../../../src/generators/aimlapi/aimlapiChatGenerator';
import { AzureOpenAIChatGenerator } from '../../../src/generators/azure/azureOpenAIChatGenerator';
import { HuggingFaceAPIChatGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIChatGenerator';
import { HuggingFaceAPIGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIGenerator';
import { OpenAIChatGenerator } from '../../../src/generators/openai/openAIChatGenerator';
import { OpenAIGenerator } from '../../../src/generators/openai/openAIGenerator';
import { OpenAIResponsesChatGenerator } from '../../../src/generators/responses/openAIResponsesChatGenerator';
import { ChatController } from '../../../src/host/chat/chatController';
import { ConversationStore } from '../../../src/host/chat/conversations/conversationStore';
import type { ConfiguredGenerator } from '../../../src/host/registry/registryService';
import { streamEvents } from '../../servers/openaiChatCompletions';
import { responseEvents } from '../../servers/openaiResponses';
import {
  startSse,
  startTestServer,
  writeSse,
  type Handler,
  type RecordedRequest,
  type TestServer,
} from '../../servers/testServer';
import { PostRecorder } from '../../helpers/postRecorder';

const REQUESTS = 50;
const KEY = Secret.fromToken('sk-concurrency-0123456789');

/** Releases every held reply once `count` requests have arrived; fails them all if that takes too long. */
class Barrier {
  private arrived = 0;
  private release!: () => void;
  readonly open = new Promise<void>((resolve) => (this.release = resolve));
  constructor(private readonly count: number) {}
  arrive(): Promise<void> {
    if (++this.arrived === this.count) this.release();
    return this.open;
  }
}

/** The reply names the request's own token, so any cross-talk shows as a foreign token. */
function tokenOf(request: RecordedRequest): string {
  const token = /tok-\d+-end/.exec(request.rawBody.toString('utf8'))?.[0];
  assert.ok(token, 'every request carries its token');
  return token;
}
const replyFor = (token: string) => `Reply for ${token}, streamed in small pieces to interleave.`;

/** Writes SSE frames one per event-loop turn so that 50 streams interleave on the wire. */
async function writeSlowly(response: ServerResponse, frames: { data: unknown; event?: string }[]): Promise<void> {
  startSse(response);
  for (const f of frames) {
    writeSse(response, f.data, f.event);
    await new Promise((resolve) => setImmediate(resolve));
  }
  response.end();
}

function held(
  barrier: Barrier,
  frames: (request: RecordedRequest, text: string) => { data: unknown; event?: string }[],
): Handler {
  return async (request, response) => {
    const text = replyFor(tokenOf(request));
    await barrier.arrive();
    await writeSlowly(response, frames(request, text));
  };
}

const chatCompletionFrames = (request: RecordedRequest, text: string) => [
  ...streamEvents(request, { text, chunkSize: 5 }).map((data) => ({ data })),
  { data: '[DONE]' },
];
const responsesFrames = (request: RecordedRequest, text: string) =>
  responseEvents(request, { text, chunkSize: 5 }).map((data) => ({ data, event: data.type as string }));
const tgiFrames = (_request: RecordedRequest, text: string) => {
  const pieces = text.match(/.{1,5}/gs) ?? [];
  return pieces.map((piece, i) => ({
    data: {
      index: i,
      token: { id: i, text: piece, logprob: -0.1, special: false },
      generated_text: i === pieces.length - 1 ? text : null,
      details:
        i === pieces.length - 1
          ? { finish_reason: 'eos_token', generated_tokens: pieces.length, input_length: 3, seed: null }
          : null,
    },
  }));
};

describe('reliability: 50 concurrent chat requests across generators', function () {
  this.timeout(60_000);
  let openai: TestServer;
  let responses: TestServer;
  let tgi: TestServer;
  let directory: string;

  before(async () => {
    const barrier = new Barrier(REQUESTS);
    const chat = held(barrier, chatCompletionFrames);
    openai = await startTestServer([
      { method: 'POST', path: '/v1/chat/completions', handle: chat },
      { method: 'POST', path: /^\/openai\/deployments\/[^/]+\/chat\/completions$/, handle: chat },
    ]);
    responses = await startTestServer([
      { method: 'POST', path: '/v1/responses', handle: held(barrier, responsesFrames) },
    ]);
    tgi = await startTestServer([
      { method: 'POST', path: '/v1/chat/completions', handle: held(barrier, chatCompletionFrames) },
      { method: 'POST', path: '/generate_stream', handle: held(barrier, tgiFrames) },
    ]);
    directory = await mkdtemp(join(tmpdir(), 'reliability-concurrency-'));
  });

  after(async () => {
    await Promise.all([openai.close(), responses.close(), tgi.close()]);
    await rm(directory, { recursive: true, force: true });
  });

  it('completes all 50, each reply in its own conversation, with no chunk of another reply', async () => {
    const common = { apiKey: KEY, maxRetries: 0, timeout: 30 };
    const generators: Record<string, Generator> = {
      GPT: new OpenAIChatGenerator({ ...common, apiBaseUrl: `${openai.url}/v1` }),
      Azure: new AzureOpenAIChatGenerator({
        ...common,
        azureEndpoint: openai.url,
        azureDeployment: 'gpt',
        azureAdToken: null,
      }),
      AIML: new AIMLAPIChatGenerator({ ...common, apiBaseUrl: `${openai.url}/v1` }),
      Completion: new OpenAIGenerator({ ...common, apiBaseUrl: `${openai.url}/v1` }),
      Responses: new OpenAIResponsesChatGenerator({ ...common, apiBaseUrl: `${responses.url}/v1` }),
      'TGI chat': new HuggingFaceAPIChatGenerator({
        apiType: 'text_generation_inference',
        apiParams: { url: tgi.url, timeout: 30 },
        token: null,
      }),
      'TGI text': new HuggingFaceAPIGenerator({
        apiType: 'text_generation_inference',
        apiParams: { url: tgi.url, timeout: 30 },
        token: null,
      }),
    };
    const names = Object.keys(generators);
    const entries: ConfiguredGenerator[] = names.map((name) => ({
      name,
      type: generators[name]!.typeName,
      kind: generators[name]!.kind,
    }));
    const posts = new PostRecorder();
    const warnings: string[] = [];
    const store = new ConversationStore(directory, () => assert.fail('no conversation file may be corrupt'));
    const controller = new ChatController({
      registry: { list: () => entries, get: (name) => generators[name]!, defaultName: () => 'GPT' },
      store,
      post: posts.post,
      log: { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    });

    const sent: { requestId: string; conversationId: string; generator: string; token: string; done: Promise<void> }[] =
      [];
    await controller.state();
    for (let i = 0; i < REQUESTS; i++) {
      await controller.newChat();
      const conversationId = controller.currentConversationId()!;
      const requestId = `req-${i}`;
      const generator = names[i % names.length]!;
      const token = `tok-${i}-end`;
      const done = controller.send(requestId, conversationId, generator, { text: `Question ${token}` });
      await posts.next('replyStarted', requestId);
      sent.push({ requestId, conversationId, generator, token, done });
    }
    await Promise.all(sent.map((s) => s.done));
    await store.idle();

    assert.deepEqual(warnings, []);
    for (const { requestId, conversationId, generator, token } of sent) {
      const own = posts.ofRequest(requestId);
      const ends = own.filter((m) => m.type === 'done' || m.type === 'error');
      assert.equal(ends.length, 1, `${requestId} (${generator}) ended ${ends.length} times`);
      assert.equal(ends[0]!.type, 'done', `${requestId} (${generator}) failed: ${JSON.stringify(ends[0])}`);
      const streamed = own.flatMap((m) => (m.type === 'chunk' && m.text ? [m.text] : [])).join('');
      assert.equal(streamed, replyFor(token), `${requestId} (${generator}) streamed text`);
      const started = own.find((m) => m.type === 'replyStarted');
      assert.equal(started?.type === 'replyStarted' && started.conversationId, conversationId);

      const stored = await store.load(conversationId);
      assert.ok(stored, `${conversationId} was saved`);
      assert.deepEqual(
        stored.messages.map((m) => [m.role, m.text, m.status]),
        [
          ['user', `Question ${token}`, 'complete'],
          ['assistant', replyFor(token), 'complete'],
        ],
        `${requestId} (${generator}) conversation`,
      );
    }
    assert.equal(openai.requests.length + responses.requests.length + tgi.requests.length, REQUESTS);
    await controller.dispose();
  });
});
