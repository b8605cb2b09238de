// Fallback failover time (issue 11, benchmark 5).
//
// Measures: how much longer FallbackChatGenerator takes when its first generator fails with HTTP 500 (an
// OpenAIChatGenerator with max_retries 0, against an offline server that always answers 500) and the second one
// (an OpenAIChatGenerator against the offline echo server) answers, compared with the second generator called
// alone. Runs alternate the two after a warm-up; the failover time is the median of the paired differences, so it
// includes the failed request's loopback round trip, the SDK's error handling and the chain's bookkeeping.
// Measured with and without a streaming callback.
// Budget: failover under 20 ms on loopback beyond the second generator's own time.
import { performance } from 'node:perf_hooks';
import { ChatMessage } from '../src/core/chatMessage';
import type { ChatRunOptions } from '../src/core/generator';
import { Secret } from '../src/core/secret';
import { FallbackChatGenerator } from '../src/generators/fallback/fallbackChatGenerator';
import { OpenAIChatGenerator } from '../src/generators/openai/openAIChatGenerator';
import { apiError, openAIChatRoutes, startOpenAIServer } from '../test/servers/openaiChatCompletions';
import { sendJson, startTestServer } from '../test/servers/testServer';
import { announce, fail, figure, publish, type Figure } from './report';
import { median, quantile, round } from './stats';

const WARMUP = 10;
const PAIRS = Number(process.env.BENCH_PAIRS ?? 60);

async function main(): Promise<void> {
  const machine = announce('Fallback: failover from a generator that returns 500 to the next');
  const failing = await startTestServer(
    openAIChatRoutes((_request, response) =>
      sendJson(response, 500, apiError(500, 'The server had an error while processing your request.').body),
    ),
  );
  const answering = await startOpenAIServer();
  const openAI = (url: string) =>
    new OpenAIChatGenerator({ apiKey: Secret.fromToken('bench'), apiBaseUrl: `${url}/v1`, maxRetries: 0 });
  const second = openAI(answering.url);
  const chain = new FallbackChatGenerator({ chatGenerators: [openAI(failing.url), second] });
  const messages = [ChatMessage.fromUser('Say something short.')];

  try {
    const figures: Figure[] = [];
    const notes: string[] = [];
    for (const streamed of [false, true]) {
      const options = (): ChatRunOptions => (streamed ? { streamingCallback: () => {} } : {});
      const alone = async () => {
        const result = await second.run(messages, options());
        if (!result.replies[0]?.text?.startsWith('Echo:')) throw new Error('the second generator did not answer');
      };
      const failover = async () => {
        const result = await chain.run(messages, options());
        if (result.meta?.successful_chat_generator_index !== 1)
          throw new Error(`expected the second generator to answer, got ${JSON.stringify(result.meta)}`);
      };
      for (let i = 0; i < WARMUP; i++) {
        await alone();
        await failover();
      }
      const aloneMs: number[] = [];
      const chainMs: number[] = [];
      for (let i = 0; i < PAIRS; i++) {
        // Alternating the order keeps ordering effects (socket reuse, GC debt) out of the difference.
        if (i % 2 === 0) {
          aloneMs.push(await timed(alone));
          chainMs.push(await timed(failover));
        } else {
          chainMs.push(await timed(failover));
          aloneMs.push(await timed(alone));
        }
      }
      const differences = chainMs.map((ms, i) => ms - aloneMs[i]!);
      const mode = streamed ? 'streamed' : 'not streamed';
      figures.push(
        figure(`second generator alone, ${mode}`, round(median(aloneMs)), 'ms'),
        figure(`failover beyond it, ${mode}`, round(median(differences)), 'ms', { op: '<', value: 20 }),
        figure(`failover beyond it, ${mode}, p90`, round(quantile(differences, 0.9)), 'ms'),
      );
      notes.push(
        `${mode}: chain ${round(median(chainMs))} ms vs second generator alone ${round(median(aloneMs))} ms (medians of ${PAIRS} alternating pairs after ${WARMUP} warm-up pairs)`,
      );
    }
    publish({
      benchmark: 'fallback',
      title: 'Fallback failover',
      machine,
      figures,
      notes: [
        ...notes,
        'failover = median of paired (chain - second alone) wall-clock differences; the failing generator uses max_retries 0',
      ],
    });
  } finally {
    await failing.close();
    await answering.close();
  }
}

async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

main().catch(fail);
