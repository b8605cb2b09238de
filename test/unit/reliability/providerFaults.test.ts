// Provider faults against every network generator's offline server: status errors and retries, dropped and
// refused connections, stalls, broken streams and bodies, empty replies, replies cut short. Every failure must be
// a GeneratorError with the right code and a readable message; chunks that reached the callback stay delivered and
// are never followed by a retry.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { GeneratorError, type GeneratorErrorCode } from '../../../src/core/errors';
import type { StreamingChunk } from '../../../src/core/streamingChunk';
import {
  frame,
  rawBody,
  rawSse,
  resetBeforeHeaders,
  sseThen,
  stallBeforeHeaders,
  type RawFrame,
} from '../../servers/faults';
import { startTestServer, type QueuedReply, type TestServer } from '../../servers/testServer';
import {
  FIRST_PIECE,
  REPLY,
  TEST_KEY,
  faultTargets,
  type FaultTarget,
  type Finish,
  type Outcome,
} from './faultTargets';

/** Short enough to keep the suite fast, long enough that a loaded machine does not time out a healthy reply. */
const STALL_TIMEOUT_S = 0.4;
const HEALTHY_TIMEOUT_S = 10;

interface Run {
  outcome?: Outcome;
  error?: unknown;
  chunks: StreamingChunk[];
  ms: number;
}

/** Asserts `error` is a GeneratorError of one of `codes` whose message reads as a sentence about the failure. */
function assertClearError(error: unknown, codes: GeneratorErrorCode[]): asserts error is GeneratorError {
  assert.ok(
    GeneratorError.isInstance(error),
    `expected a GeneratorError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
  );
  assert.ok(codes.includes(error.code), `code ${error.code} not in ${codes.join('/')}: ${error.message}`);
  assert.ok(error.message.length >= 20, `message too short: ${error.message}`);
  assert.doesNotMatch(error.message, /undefined|\[object Object\]|NaN/, error.message);
  assert.ok(!error.message.includes(TEST_KEY), 'the key must never appear in an error');
}

async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** SSE framing noise a server may legally send: comments, `retry:`, unknown fields, events without data. */
function withNoise(frames: RawFrame[]): string {
  const noise = [': keep-alive\n\n', 'retry: 1000\n\n', 'id: 7\nx-unknown-field: 1\n\n', ':\n\n'];
  return frames
    .map((f, i) => `${noise[i % noise.length]}${f.event ? `event: ${f.event}\n` : ''}data: ${f.data}\n\n`)
    .join('');
}

/** The frames of a good stream up to and including the one that carries the first piece of text. */
function upToFirstPiece(target: FaultTarget): RawFrame[] {
  const frames = target.frames('stop');
  const index = frames.findIndex((f) => f.data.includes(JSON.stringify(FIRST_PIECE).slice(1, -1)));
  assert.ok(index >= 0, `${target.name}: no frame carries the first piece`);
  return frames.slice(0, index + 1);
}

let faultsTried = 0;

for (const target of faultTargets) {
  describe(`provider faults: ${target.name}`, function () {
    this.timeout(15_000);
    // A fresh server per fault: replies a failing assertion left queued must not leak into the next fault.
    let server: TestServer;
    beforeEach(async () => {
      server = await startTestServer([]);
      faultsTried++;
    });
    afterEach(() => server.close());

    /** Queues `replies` and runs the generator once, streamed when the target streams and `stream` is not false. */
    async function attempt(
      replies: QueuedReply[],
      options: { maxRetries?: number; timeout?: number; stream?: boolean; url?: string; signal?: AbortSignal } = {},
    ): Promise<Run> {
      server.enqueue(...replies);
      const run = target.create(options.url ?? server.url, {
        maxRetries: options.maxRetries ?? 0,
        timeout: options.timeout ?? HEALTHY_TIMEOUT_S,
      });
      const chunks: StreamingChunk[] = [];
      const stream = target.streams && options.stream !== false;
      const started = Date.now();
      try {
        const outcome = await run({ onChunk: stream ? (c) => void chunks.push(c) : undefined, signal: options.signal });
        return { outcome, chunks, ms: Date.now() - started };
      } catch (error) {
        return { error, chunks, ms: Date.now() - started };
      }
    }

    const delivered = (run: Run) => run.chunks.map((c) => c.content).join('');
    const status = (code: number, headers: Record<string, string> = {}): QueuedReply => ({
      status: code,
      headers,
      body: target.errorBody(code, `Simulated ${code} from the provider`),
    });
    const expectedAttempts = (maxRetries: number) => (target.retries ? maxRetries + 1 : 1);

    it('429 with Retry-After: retried max_retries times, then a rate_limit error with the wait', async () => {
      const run = await attempt(
        [0, 1, 2].map(() => status(429, { 'retry-after': '0' })),
        { maxRetries: 2 },
      );
      assertClearError(run.error, ['rate_limit']);
      assert.equal(run.error.status, 429);
      assert.equal(run.error.isRetryable, true);
      if (target.retries) assert.equal(run.error.retryAfter, 0);
      assert.equal(server.requests.length, expectedAttempts(2));
    });

    it('429 without Retry-After: retried with backoff, then a rate_limit error', async () => {
      const run = await attempt([status(429), status(429)], { maxRetries: 1 });
      assertClearError(run.error, ['rate_limit']);
      assert.equal(run.error.retryAfter, undefined);
      assert.equal(server.requests.length, expectedAttempts(1));
    });

    for (const code of [500, 502, 503]) {
      it(`${code}: a retryable server error after max_retries attempts`, async () => {
        const run = await attempt([status(code, { 'retry-after-ms': '1' }), status(code, { 'retry-after-ms': '1' })], {
          maxRetries: 1,
        });
        assertClearError(run.error, ['server']);
        assert.equal(run.error.status, code);
        assert.equal(run.error.isRetryable, true);
        assert.equal(server.requests.length, expectedAttempts(1));
      });
    }

    it('max_retries 0: a 503 is sent once', async () => {
      const run = await attempt([status(503, { 'retry-after-ms': '1' })], { maxRetries: 0 });
      assertClearError(run.error, ['server']);
      assert.equal(server.requests.length, 1);
    });

    it('a 503 then a good reply: recovered by the retry when the generator retries', async () => {
      const good: QueuedReply = target.streams
        ? sseThen(target.frames('stop'), 'end')
        : { status: 200, body: target.body('stop') };
      const run = await attempt(target.retries ? [status(503, { 'retry-after-ms': '1' }), good] : [status(503)], {
        maxRetries: 2,
      });
      if (target.retries) {
        assert.equal(run.error, undefined, String(run.error));
        assert.equal(run.outcome?.text, REPLY);
      } else {
        assertClearError(run.error, ['server']);
      }
      assert.equal(server.requests.length, target.retries ? 2 : 1);
    });

    it('connection refused: a network error naming where it tried', async () => {
      const run = await attempt([], { url: await closedPortUrl(), maxRetries: 0 });
      assertClearError(run.error, ['network']);
      assert.equal(run.error.isRetryable, true);
    });

    it('connection reset before the reply: a network error, retried max_retries times', async () => {
      const run = await attempt([resetBeforeHeaders(), resetBeforeHeaders()], { maxRetries: 1 });
      assertClearError(run.error, ['network']);
      assert.equal(server.requests.length, expectedAttempts(1));
    });

    it('no reply at all: the timeout fires, the request is aborted on the wire, a timeout error', async () => {
      const stall = stallBeforeHeaders();
      const run = await attempt([stall], { timeout: STALL_TIMEOUT_S, maxRetries: 0 });
      assertClearError(run.error, ['timeout']);
      assert.equal(run.error.isRetryable, true);
      await stall.closed;
      assert.ok(run.ms < 5_000, `took ${run.ms} ms`);
    });

    it('truncated JSON body: a clear error, not a parser crash', async () => {
      const body = JSON.stringify(target.body('stop'));
      const run = await attempt([rawBody(body.slice(0, Math.floor(body.length / 2)))], { stream: false });
      assertClearError(run.error, ['server']);
    });

    it('empty body: a clear error, or (images, as Haystack) an empty result', async () => {
      const run = await attempt([rawBody('')], { stream: false });
      if (target.streams || run.error !== undefined) assertClearError(run.error, ['server']);
      else assert.equal(run.outcome?.text, '', 'nothing may be invented');
    });

    it('an empty JSON object instead of a reply: a clear error, or (images, as Haystack) an empty result', async () => {
      const run = await attempt([rawBody('{}')], { stream: false });
      if (target.streams || run.error !== undefined) assertClearError(run.error, ['server']);
      else assert.equal(run.outcome?.text, '', 'nothing may be invented');
    });

    if (!target.streams) return;

    it('a good stream with SSE noise (comments, retry:, unknown fields) between events: the full reply', async () => {
      const run = await attempt([rawSse(withNoise(target.frames('stop')))]);
      assert.equal(run.error, undefined, String(run.error));
      assert.equal(run.outcome?.text, REPLY);
      assert.equal(delivered(run), REPLY);
    });

    it('connection reset mid-stream: the delivered text stays, a clear error, never retried', async () => {
      const run = await attempt([sseThen(upToFirstPiece(target), 'reset')], { maxRetries: 3 });
      assertClearError(run.error, ['network', 'server', 'unknown']);
      assert.equal(delivered(run), FIRST_PIECE);
      assert.equal(server.requests.length, 1, 'a request whose chunks reached the user must not be retried');
    });

    it('stream stalls after the first chunk: the timeout fires, the request is aborted, never retried', async () => {
      const stall = sseThen(upToFirstPiece(target), 'stall');
      const run = await attempt([stall], { timeout: STALL_TIMEOUT_S, maxRetries: 2 });
      assertClearError(run.error, ['timeout']);
      await stall.closed;
      assert.equal(delivered(run), FIRST_PIECE);
      assert.equal(server.requests.length, 1);
      assert.ok(run.ms < 5_000, `took ${run.ms} ms`);
    });

    it('a malformed SSE data line (truncated JSON) mid-stream: a clear error after the delivered text, never retried', async () => {
      const broken = target.frames('stop')[upToFirstPiece(target).length]!;
      const run = await attempt(
        [
          sseThen(
            [...upToFirstPiece(target), frame(broken.data.slice(0, Math.floor(broken.data.length / 2)), broken.event)],
            'end',
          ),
        ],
        { maxRetries: 2 },
      );
      assertClearError(run.error, ['server', 'unknown']);
      assert.equal(delivered(run), FIRST_PIECE);
      assert.equal(server.requests.length, 1);
    });

    it('a stream that ends before any event: a clear error', async () => {
      const run = await attempt([sseThen([], 'end')]);
      assertClearError(run.error, ['server', 'network']);
    });

    it('a stream that ends early, without its final event: a clear error or the partial reply, never a crash', async () => {
      const run = await attempt([sseThen(upToFirstPiece(target), 'end')]);
      if (run.error !== undefined) assertClearError(run.error, ['server', 'unknown', 'network']);
      else assert.equal(run.outcome?.text, FIRST_PIECE);
      assert.equal(delivered(run), FIRST_PIECE);
    });

    for (const finish of target.finishReasons) {
      for (const stream of [true, false]) {
        it(`a reply cut by ${finish} (${stream ? 'streamed' : 'not streamed'}): the partial text is kept and the finish reason reported`, async () => {
          const reply: QueuedReply = stream
            ? sseThen(target.frames(finish as Finish), 'end')
            : { status: 200, body: target.body(finish as Finish) };
          const run = await attempt([reply], { stream });
          assert.equal(run.error, undefined, String(run.error));
          assert.equal(run.outcome?.text, REPLY);
          assert.equal(run.outcome?.finishReason, finish);
          if (stream) assert.equal(delivered(run), REPLY);
        });
      }
    }
  });
}

after(() => {
  console.log(`      provider faults tried: ${faultsTried} (${faultTargets.length} generators)`);
});
