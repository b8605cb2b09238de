// The meta Haystack 2.31 puts on Chat Completions replies and stream chunks, given the same wire replies: usage in the
// openai SDK's shape (completion_tokens_details / prompt_tokens_details null when the API sends none), logprobs.
import assert from 'node:assert/strict';
import {
  ChatMessage,
  OpenAIChatGenerator,
  Secret,
  type ChatMessageDict,
  type StreamingChunk,
} from '../../../src/index';
import { openAIChatRoutes } from '../../servers/openaiChatCompletions';
import { sendJson, startSse, startTestServer, writeSse, type TestServer } from '../../servers/testServer';
import { readFixture } from '../../helpers/haystackFixtures';

interface ReplyCase {
  wire: unknown;
  meta: Record<string, unknown>[];
  replies?: ChatMessageDict[];
}

interface ExpectedChunk {
  content: string;
  index: number | null;
  start: boolean;
  finish_reason: string | null;
  tool_calls?: { index: number; tool_name: string | null; arguments: string | null; id: string | null }[];
  meta: Record<string, unknown>;
}

interface StreamCase {
  events: unknown[];
  chunks: ExpectedChunk[];
  reply_meta: Record<string, unknown>;
}

const replyCases = () => readFixture<Record<string, ReplyCase>>('v2.31.0/wire/chatCompletionsReplyMeta.json');
const streamCases = () => readFixture<Record<string, StreamCase>>('v2.31.0/wire/chatCompletionsStream.json');
const ask = [ChatMessage.fromUser('Hello?')];

/** A chunk in the shape of the fixtures (Haystack's StreamingChunk fields), its arrival time left out. */
function asFixtureChunk(chunk: StreamingChunk): ExpectedChunk {
  const { received_at: receivedAt, ...meta } = chunk.meta;
  assert.match(String(receivedAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/, 'received_at: an ISO time in UTC');
  const shaped: ExpectedChunk = {
    content: chunk.content,
    index: chunk.index ?? null,
    start: chunk.start ?? false,
    finish_reason: chunk.finishReason ?? null,
    meta,
  };
  if (chunk.toolCalls)
    shaped.tool_calls = chunk.toolCalls.map((delta) => ({
      index: delta.index,
      tool_name: delta.toolName ?? null,
      arguments: delta.arguments ?? null,
      id: delta.id ?? null,
      extra: delta.extra ?? null,
    }));
  return shaped;
}

describe('Haystack 2.x reply meta on Chat Completions', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(openAIChatRoutes());
  });
  after(() => server.close());
  const generator = () =>
    new OpenAIChatGenerator({ apiKey: Secret.fromToken('sk-test'), apiBaseUrl: `${server.url}/v1` });

  describe('a reply', () => {
    for (const [name, expected] of Object.entries(replyCases())) {
      it(name, async () => {
        server.enqueue({ status: 200, body: expected.wire });
        const { replies } = await generator().run(ask, { generationKwargs: { n: expected.meta.length } });
        assert.deepStrictEqual(
          replies.map((reply) => reply.meta),
          expected.meta,
        );
        if (expected.replies)
          assert.deepStrictEqual(
            replies.map((reply) => reply.toDict()),
            expected.replies,
          );
      });
    }
  });

  describe('a streamed reply, chunk by chunk', () => {
    for (const [name, expected] of Object.entries(streamCases())) {
      it(name, async () => {
        server.enqueue((_request, response) => {
          startSse(response);
          for (const event of expected.events) writeSse(response, event);
          writeSse(response, '[DONE]');
          response.end();
        });
        const chunks: StreamingChunk[] = [];
        const { replies } = await generator().run(ask, { streamingCallback: (chunk) => void chunks.push(chunk) });
        assert.deepStrictEqual(chunks.map(asFixtureChunk), expected.chunks);
        const { completion_start_time: started, ...meta } = replies[0]!.meta;
        assert.equal(started, chunks[0]!.meta.received_at, 'completion_start_time is when the first chunk came');
        assert.deepStrictEqual(meta, expected.reply_meta);
      });
    }
  });

  it('a plain reply without usage from the server keeps usage: null', async () => {
    server.enqueue((_request, response) =>
      sendJson(response, 200, {
        id: 'x',
        object: 'chat.completion',
        created: 0,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      }),
    );
    const { replies } = await generator().run(ask);
    assert.deepStrictEqual(replies[0]!.meta, { model: 'm', index: 0, finish_reason: 'stop', usage: null });
  });
});
