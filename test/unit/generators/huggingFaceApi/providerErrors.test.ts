// The Hugging Face path maps failures like the openai SDK path: Retry-After honoured, and a token the server echoes
// back, whole or cut, never reaches a message or a cause.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ChatMessage } from '../../../../src/core/chatMessage';
import { GeneratorError } from '../../../../src/core/errors';
import { Secret } from '../../../../src/core/secret';
import { HuggingFaceAPIChatGenerator } from '../../../../src/generators/huggingFaceApi/huggingFaceAPIChatGenerator';
import { HuggingFaceAPIGenerator } from '../../../../src/generators/huggingFaceApi/huggingFaceAPIGenerator';
import { redactSecrets } from '../../../../src/generators/shared/redaction';
import { startTestServer, type TestServer } from '../../../servers/testServer';

const TOKEN = 'tgitoken0123456789abcdefWXYZ';

async function failure(promise: Promise<unknown>): Promise<GeneratorError> {
  const error = await promise.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(GeneratorError.isInstance(error), String(error));
  return error;
}

describe('Hugging Face API errors', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer([]);
  });
  after(() => server.close());
  beforeEach(() => server.requests.splice(0));

  const text = () =>
    new HuggingFaceAPIGenerator({
      apiType: 'text_generation_inference',
      apiParams: { url: server.url },
      token: Secret.fromToken(TOKEN),
    });
  const chat = () =>
    new HuggingFaceAPIChatGenerator({
      apiType: 'text_generation_inference',
      apiParams: { url: server.url },
      token: Secret.fromToken(TOKEN),
    });

  it('honours Retry-After on a 429, for text generation and chat', async () => {
    const busy = { status: 429, body: { error: 'Model is overloaded', error_type: 'overloaded' } };
    server.enqueue({ ...busy, headers: { 'retry-after': '7' } });
    const limited = await failure(text().run('x'));
    assert.equal(limited.code, 'rate_limit');
    assert.equal(limited.isRetryable, true);
    assert.equal(limited.retryAfter, 7);
    assert.match(limited.message, /Retry after 7 s/);

    server.enqueue({ ...busy, headers: { 'retry-after': '3' } });
    const chatLimited = await failure(chat().run([ChatMessage.fromUser('x')]));
    assert.equal(chatLimited.retryAfter, 3);

    server.enqueue(busy);
    assert.equal((await failure(text().run('x'))).retryAfter, undefined);
  });

  it('redacts a token the server echoes whole or cut, in the message and the cause', async () => {
    for (const echo of [TOKEN, `${TOKEN.slice(0, 8)}****${TOKEN.slice(-4)}`, `${TOKEN.slice(0, 6)}...`]) {
      server.enqueue({ status: 401, body: { error: `Authorization failed for token ${echo}`, error_type: 'auth' } });
      const error = await failure(text().run('x'));
      assert.equal(error.code, 'authentication');
      const shown = `${error.message}\n${inspect(error, { depth: 8 })}`;
      assert.ok(!shown.includes(TOKEN.slice(0, 6)), shown);
      assert.ok(!shown.includes(TOKEN.slice(-4)), shown);
      assert.match(error.message, /\[redacted\]/);
    }
  });
});

describe('redactSecrets', () => {
  it('removes whole secrets, masked echoes of their start or end, and key-shaped strings', () => {
    const secret = 'abcd1234efgh5678';
    assert.equal(redactSecrets(`key ${secret} used`, [secret]), 'key [redacted] used');
    assert.equal(redactSecrets('key abcd12****5678 used', [secret]), 'key [redacted] used');
    assert.equal(redactSecrets('key …efgh5678 used', [secret]), 'key [redacted] used');
    assert.equal(redactSecrets('unknown sk-live-0000**** key', []), 'unknown [redacted] key');
    assert.equal(redactSecrets('Loading... done', [secret]), 'Loading... done');
  });
});
