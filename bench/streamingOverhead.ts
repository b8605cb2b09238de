// Streaming overhead of a generator (issue 11, benchmark 1).
//
// Measures: the same 2,000-chunk Chat Completions SSE reply consumed (a) by the bare `openai` SDK stream and (b)
// through `OpenAIChatGenerator.run` with a streaming callback. Both consumers concatenate the text they get.
// The reply is recorded once from the offline test server (test/servers/openaiChatCompletions.ts) and replayed as
// bytes, so the server's own JSON encoding is not counted on either side. Runs alternate (a) and (b) after a
// warm-up, so load from other processes hits both alike; figures are medians.
// Budget: (b) within 10% of (a) in chunks/s; per-chunk overhead of (b) under 50 µs.
import { performance } from 'node:perf_hooks';
import { ChatMessage } from '../src/core/chatMessage';
import { Secret } from '../src/core/secret';
import { OpenAIChatGenerator } from '../src/generators/openai/openAIChatGenerator';
import { loadOpenAI } from '../src/generators/openai/openAIConnection';
import { completionReply } from '../test/servers/openaiChatCompletions';
import { startSse, startTestServer, type TestServer } from '../test/servers/testServer';
import { announce, fail, figure, publish } from './report';
import { median, round } from './stats';

const CHUNKS = 2000;
const WARMUP = 8;
const PAIRS = Number(process.env.BENCH_PAIRS ?? 60);
const MODEL = 'gpt-4o-mini';
const CHARS_PER_CHUNK = 4;

/** Role chunk + content chunks + finish chunk + usage chunk = CHUNKS events. */
function replyText(): string {
  const words = 'the quick brown fox jumps over a lazy dog while streaming tokens keep arriving ';
  const length = (CHUNKS - 3) * CHARS_PER_CHUNK;
  return words.repeat(Math.ceil(length / words.length)).slice(0, length);
}

/** Asks the offline server for the streamed reply once and returns its exact bytes. */
async function recordReply(text: string): Promise<Buffer> {
  const server = await startTestServer([
    { method: 'POST', path: '/v1/chat/completions', handle: completionReply({ text, chunkSize: CHARS_PER_CHUNK }) },
  ]);
  try {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
      body: JSON.stringify({
        model: MODEL,
        messages: [{ role: 'user', content: 'go' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    return Buffer.from(await response.arrayBuffer());
  } finally {
    await server.close();
  }
}

function replayServer(bytes: Buffer): Promise<TestServer> {
  return startTestServer([
    {
      method: 'POST',
      path: '/v1/chat/completions',
      handle: (_request, response) => {
        startSse(response);
        response.end(bytes);
      },
    },
  ]);
}

/** One reply's cost: elapsed time, and the CPU time the process spent on it. */
interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function timed(consume: () => Promise<unknown>): Promise<Timing> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await consume();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Throughput of both paths from their medians; overhead from the median of the paired differences. */
function compare(sdkMs: number[], generatorMs: number[]) {
  const sdkRate = CHUNKS / (median(sdkMs) / 1000);
  const generatorRate = CHUNKS / (median(generatorMs) / 1000);
  const differences = generatorMs.map((ms, i) => ms - sdkMs[i]!);
  return { sdkRate, generatorRate, ratio: generatorRate / sdkRate, overheadUs: (median(differences) * 1000) / CHUNKS };
}

async function main(): Promise<void> {
  const machine = announce('Streaming overhead: bare openai SDK stream vs OpenAIChatGenerator.run');
  const text = replyText();
  const bytes = await recordReply(text);
  const server = await replayServer(bytes);
  const baseURL = `${server.url}/v1`;
  const messages = [ChatMessage.fromUser('go')];

  // The generator's own way of loading the SDK, so that (a) and (b) run the very same copy of it.
  const { OpenAI } = await loadOpenAI();
  const sdk = new OpenAI({ apiKey: 'bench', baseURL, maxRetries: 0 });
  const generator = new OpenAIChatGenerator({
    apiKey: Secret.fromToken('bench'),
    apiBaseUrl: baseURL,
    model: MODEL,
    maxRetries: 0,
  });

  const check = (count: number, received: string) => {
    if (count !== CHUNKS || received !== text)
      throw new Error(
        `expected ${CHUNKS} chunks and the full text, got ${count} chunks, ${received.length} characters`,
      );
  };

  async function bareSdk(): Promise<void> {
    const stream = await sdk.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'go' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let received = '';
    let count = 0;
    for await (const chunk of stream) {
      received += chunk.choices[0]?.delta.content ?? '';
      count++;
    }
    check(count, received);
  }

  async function throughGenerator(): Promise<void> {
    let received = '';
    let count = 0;
    const result = await generator.run(messages, {
      streamingCallback: (chunk) => {
        received += chunk.content;
        count++;
      },
    });
    check(count, received);
    if (result.replies[0]?.text !== text)
      throw new Error('the generator assembled a different reply than the server sent');
  }

  try {
    for (let i = 0; i < WARMUP; i++) {
      await bareSdk();
      await throughGenerator();
    }
    const sdkRuns: Timing[] = [];
    const generatorRuns: Timing[] = [];
    for (let i = 0; i < PAIRS; i++) {
      // Alternating which goes first keeps any ordering effect (GC debt, socket reuse) out of the comparison.
      if (i % 2 === 0) {
        sdkRuns.push(await timed(bareSdk));
        generatorRuns.push(await timed(throughGenerator));
      } else {
        generatorRuns.push(await timed(throughGenerator));
        sdkRuns.push(await timed(bareSdk));
      }
    }
    const cpu = compare(
      sdkRuns.map((t) => t.cpuMs),
      generatorRuns.map((t) => t.cpuMs),
    );
    const wall = compare(
      sdkRuns.map((t) => t.wallMs),
      generatorRuns.map((t) => t.wallMs),
    );
    publish({
      benchmark: 'streamingOverhead',
      title: 'Streaming overhead of a generator',
      machine,
      figures: [
        figure('(a) bare SDK stream, CPU time', Math.round(cpu.sdkRate), 'chunks/s'),
        figure('(b) OpenAIChatGenerator.run + callback, CPU time', Math.round(cpu.generatorRate), 'chunks/s'),
        figure('(b) / (a) throughput, CPU time', round(cpu.ratio, 3), 'ratio', { op: '>=', value: 0.9 }),
        figure('per-chunk overhead of (b), CPU time', round(cpu.overheadUs, 2), 'µs', { op: '<', value: 50 }),
        figure('(a) bare SDK stream, wall clock', Math.round(wall.sdkRate), 'chunks/s'),
        figure('(b) OpenAIChatGenerator.run + callback, wall clock', Math.round(wall.generatorRate), 'chunks/s'),
        figure('(b) / (a) throughput, wall clock', round(wall.ratio, 3), 'ratio'),
        figure('per-chunk overhead of (b), wall clock', round(wall.overheadUs, 2), 'µs'),
      ],
      notes: [
        `${CHUNKS} SSE chunks (${bytes.length} bytes) per run, replayed from the offline server over loopback HTTP`,
        `${WARMUP} warm-up pairs, then ${PAIRS} alternating pairs; median per reply: (a) ${round(median(sdkRuns.map((t) => t.wallMs)))} ms, (b) ${round(median(generatorRuns.map((t) => t.wallMs)))} ms wall clock`,
        'budgets are checked on the process CPU time per reply: on a shared machine it measures the work each path does, where wall clock also counts time given to other processes',
        'per-chunk overhead = median of the paired differences (b - a) / chunks',
      ],
    });
  } finally {
    await server.close();
  }
}

main().catch(fail);
