// The generators against the examples in the providers' own API specs (test/fixtures/specs), served byte for byte:
// the hand-written test servers and the client code cannot share one misreading of a wire format here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ChatMessage } from '../../../src/core/chatMessage';
import { GeneratorError, type GeneratorErrorCode } from '../../../src/core/errors';
import { Secret } from '../../../src/core/secret';
import type { StreamingChunk } from '../../../src/core/streamingChunk';
import { AzureOpenAIChatGenerator } from '../../../src/generators/azure/azureOpenAIChatGenerator';
import { DALLEImageGenerator } from '../../../src/generators/dalle/dalleImageGenerator';
import { HuggingFaceAPIChatGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIChatGenerator';
import { HuggingFaceAPIGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIGenerator';
import { OpenAIChatGenerator } from '../../../src/generators/openai/openAIChatGenerator';
import { OpenAIResponsesChatGenerator } from '../../../src/generators/responses/openAIResponsesChatGenerator';
import { startTestServer, type QueuedReply, type TestServer } from '../../servers/testServer';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'specs');
const read = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const json = (path: string) => JSON.parse(read(path));
const KEY = Secret.fromToken('sk-spec-fixture-0123456789');

/** Serves `body` as it is, with `type`. */
function raw(body: string, type: string): QueuedReply {
  return (_request, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': type });
    response.end(body);
  };
}

describe("replies from the providers' API spec examples", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer([]);
  });
  after(() => server.close());
  beforeEach(() => server.requests.splice(0));

  const openai = () => new OpenAIChatGenerator({ apiKey: KEY, apiBaseUrl: `${server.url}/v1`, maxRetries: 0 });
  const responses = () =>
    new OpenAIResponsesChatGenerator({ apiKey: KEY, apiBaseUrl: `${server.url}/v1`, maxRetries: 0 });

  describe('Chat Completions (OpenAI spec)', () => {
    for (const name of ['chat-completions-default.json', 'chat-completions-logprobs.json']) {
      it(`reads ${name}: text, finish reason, model and usage`, async () => {
        const example = json(`openai/${name}`);
        server.enqueue({ status: 200, body: example });
        const [reply] = (await openai().run([ChatMessage.fromUser('Hello!')])).replies;
        assert.equal(reply.text, example.choices[0].message.content);
        assert.equal(reply.meta.finish_reason, example.choices[0].finish_reason);
        assert.equal(reply.meta.model, example.model);
        assert.deepEqual((reply.meta.usage as Record<string, unknown>).total_tokens, example.usage.total_tokens);
      });
    }

    it('reads a tool call (chat-completions-functions.json), on OpenAI and on Azure', async () => {
      const example = json('openai/chat-completions-functions.json');
      const call = example.choices[0].message.tool_calls[0];
      for (const generator of [
        openai(),
        new AzureOpenAIChatGenerator({ azureEndpoint: server.url, apiKey: KEY, azureAdToken: null, maxRetries: 0 }),
      ]) {
        server.enqueue({ status: 200, body: example });
        const [reply] = (await generator.run([ChatMessage.fromUser('Weather in Boston?')])).replies;
        assert.equal(reply.text, undefined);
        assert.equal(reply.meta.finish_reason, 'tool_calls');
        assert.deepEqual(
          reply.toolCalls.map((c) => ({ id: c.id, toolName: c.toolName, arguments: c.arguments })),
          [{ id: call.id, toolName: call.function.name, arguments: JSON.parse(call.function.arguments) }],
        );
      }
    });

    it('streams chat-completions-streaming.jsonl into chunks and one reply', async () => {
      const events = read('openai/chat-completions-streaming.jsonl').trim().split('\n');
      server.enqueue(raw(events.map((e) => `data: ${e}\n\n`).join('') + 'data: [DONE]\n\n', 'text/event-stream'));
      const chunks: StreamingChunk[] = [];
      const [reply] = (
        await openai().run([ChatMessage.fromUser('Hello!')], { streamingCallback: (chunk) => void chunks.push(chunk) })
      ).replies;
      const expected = events.map((e) => JSON.parse(e).choices[0].delta.content ?? '').join('');
      assert.equal(reply.text, expected);
      assert.equal(chunks.map((c) => c.content).join(''), expected);
      assert.equal(reply.meta.finish_reason, 'stop');
      assert.equal(reply.meta.model, 'gpt-4o-mini');
    });
  });

  describe('Responses (OpenAI spec)', () => {
    it('reads responses-text-input.json and responses-reasoning.json: the output text and usage', async () => {
      for (const name of ['responses-text-input.json', 'responses-reasoning.json']) {
        const example = json(`openai/${name}`);
        server.enqueue({ status: 200, body: example });
        const [reply] = (await responses().run([ChatMessage.fromUser('Hi')])).replies;
        const message = example.output.find((item: { type: string }) => item.type === 'message');
        assert.equal(reply.text, message.content[0].text, name);
        assert.equal(
          (reply.meta.usage as Record<string, unknown> | undefined)?.total_tokens ?? example.usage.total_tokens,
          example.usage.total_tokens,
        );
      }
    });

    it('reads a function call (responses-functions.json)', async () => {
      const example = json('openai/responses-functions.json');
      const call = example.output.find((item: { type: string }) => item.type === 'function_call');
      server.enqueue({ status: 200, body: example });
      const [reply] = (await responses().run([ChatMessage.fromUser('Weather?')])).replies;
      assert.equal(reply.toolCalls.length, 1);
      assert.equal(reply.toolCalls[0].toolName, call.name);
      assert.deepEqual(reply.toolCalls[0].arguments, JSON.parse(call.arguments));
    });

    it('streams responses-streaming.sse: every delta reaches the callback, the reply ends as the stream says', async () => {
      // The spec prints the stream without the blank line that ends its last event; a server sends one.
      const stream = `${read('openai/responses-streaming.sse').trimEnd()}\n\n`;
      server.enqueue(raw(stream, 'text/event-stream'));
      const chunks: StreamingChunk[] = [];
      const [reply] = (
        await responses().run([ChatMessage.fromUser('Hi')], { streamingCallback: (chunk) => void chunks.push(chunk) })
      ).replies;
      const deltas = [...stream.matchAll(/"type":"response\.output_text\.delta".*"delta":"([^"]*)"/g)].map((m) => m[1]);
      assert.equal(chunks.map((c) => c.content).join(''), deltas.join(''));
      assert.equal(reply.text, deltas.join(''));
      assert.equal(reply.meta.finish_reason, 'stop');
    });
  });

  it('Images (OpenAI spec): images-generate.json gives its one image', async () => {
    const example = json('openai/images-generate.json');
    server.enqueue({ status: 200, body: example });
    const generator = new DALLEImageGenerator({
      apiKey: KEY,
      apiBaseUrl: `${server.url}/v1`,
      maxRetries: 0,
      responseFormat: 'b64_json',
    });
    const result = await generator.run('a lighthouse');
    assert.deepEqual(result.images, [example.data[0].b64_json]);
  });

  describe('TGI error responses (TGI spec)', () => {
    const errors: Record<string, Record<string, { error: string }>> = json('tgi/error-responses.json');
    const codes: Record<string, GeneratorErrorCode> = {
      '422': 'bad_request',
      '424': 'server',
      '429': 'rate_limit',
      '500': 'server',
    };
    for (const [route, byStatus] of Object.entries(errors)) {
      for (const [status, body] of Object.entries(byStatus)) {
        it(`${route} ${status} "${body.error}" → ${codes[status]}`, async () => {
          server.enqueue({ status: Number(status), body });
          const run =
            route === '/generate'
              ? new HuggingFaceAPIGenerator({
                  apiType: 'text_generation_inference',
                  apiParams: { url: server.url },
                }).run('x')
              : new HuggingFaceAPIChatGenerator({
                  apiType: 'text_generation_inference',
                  apiParams: { url: server.url },
                }).run([ChatMessage.fromUser('x')]);
          const error = await run.then(
            () => assert.fail('expected a failure'),
            (e: unknown) => e,
          );
          assert.ok(GeneratorError.isInstance(error), String(error));
          assert.equal(error.code, codes[status]);
          assert.equal(error.status, Number(status));
          assert.equal(error.isRetryable, status === '429' || status === '500');
          assert.match(error.message, new RegExp(body.error));
          assert.equal(server.requests[0].path, route);
        });
      }
    }
  });
});
