// Usage normalisation and cost estimates, on the meta that real generators return from the offline servers
// and the local worker (the four usage shapes Haystack passes through).
import assert from 'node:assert/strict';
import { ChatMessage } from '../../../src/core/chatMessage';
import { estimateCost, priceFor, readPriceTable } from '../../../src/core/costEstimate';
import { ConfigurationError } from '../../../src/core/errors';
import { Secret } from '../../../src/core/secret';
import { normalizeUsage, sumUsage, tokensPerSecond, usageFromMeta } from '../../../src/core/usage';
import { HuggingFaceAPIChatGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIChatGenerator';
import { HuggingFaceAPIGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIGenerator';
import { HuggingFaceLocalChatGenerator } from '../../../src/generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { shutdownLocalModels } from '../../../src/generators/huggingFaceLocal/localModels';
import { OpenAIChatGenerator } from '../../../src/generators/openai/openAIChatGenerator';
import { OpenAIResponsesChatGenerator } from '../../../src/generators/responses/openAIResponsesChatGenerator';
import { completionReply, startOpenAIServer } from '../../servers/openaiChatCompletions';
import { responsesReply, startResponsesServer } from '../../servers/openaiResponses';
import { startTestServer, type TestServer } from '../../servers/testServer';
import { fakeHuggingFace, textGenerationInferenceRoutes } from '../../servers/textGenerationInference';
import { formatUsd } from '../../../src/core/costLabel';
import { chatModelPath, prepareLocalModels } from '../../helpers/localModels';

const KEY = Secret.fromToken('sk-usage-test-0123456789');
const noop = () => undefined;

describe('usage normalisation across the four usage shapes', function () {
  this.timeout(30_000);
  let openai: TestServer;
  let responses: TestServer;
  let tgi: TestServer;
  before(async () => {
    [openai, responses, tgi] = await Promise.all([
      startOpenAIServer(),
      startResponsesServer(),
      startTestServer(textGenerationInferenceRoutes(fakeHuggingFace())),
    ]);
  });
  after(async () => {
    await Promise.all([openai.close(), responses.close(), tgi.close()]);
    await shutdownLocalModels();
  });

  it('reads Chat Completions usage, streamed (include_usage chunk) and not, with reasoning details', async () => {
    const usage = {
      prompt_tokens: 11,
      completion_tokens: 40,
      total_tokens: 51,
      completion_tokens_details: { reasoning_tokens: 32 },
    } as never;
    const generator = new OpenAIChatGenerator({ apiKey: KEY, apiBaseUrl: `${openai.url}/v1`, maxRetries: 0 });
    for (const streamingCallback of [undefined, noop]) {
      openai.enqueue(completionReply({ text: 'Hi there', usage }));
      const { replies } = await generator.run([ChatMessage.fromUser('Hello')], { streamingCallback });
      assert.deepEqual(usageFromMeta(replies[0].meta), {
        inputTokens: 11,
        outputTokens: 40,
        reasoningTokens: 32,
        totalTokens: 51,
      });
    }
    assert.equal(openai.requests[1].body.stream_options.include_usage, true);
  });

  it('reads Responses usage with output_tokens_details.reasoning_tokens', async () => {
    const generator = new OpenAIResponsesChatGenerator({
      apiKey: KEY,
      apiBaseUrl: `${responses.url}/v1`,
      maxRetries: 0,
    });
    for (const streamingCallback of [undefined, noop]) {
      responses.enqueue(
        responsesReply({
          reasoning: ['Think.'],
          text: 'Done.',
          usage: { input_tokens: 9, output_tokens: 8, reasoning_tokens: 128 },
        }),
      );
      const { replies } = await generator.run([ChatMessage.fromUser('Hello')], { streamingCallback });
      // The Responses API counts reasoning inside output_tokens.
      assert.deepEqual(usageFromMeta(replies[0].meta), {
        inputTokens: 9,
        outputTokens: 136,
        reasoningTokens: 128,
        totalTokens: 145,
      });
    }
  });

  it('reads TGI text generation (generated tokens only) and TGI chat usage', async () => {
    const text = await new HuggingFaceAPIGenerator({
      apiType: 'text_generation_inference',
      apiParams: { url: tgi.url },
    }).run('Tell me');
    // TGI counts the end-of-sequence token among the generated ones.
    assert.deepEqual(usageFromMeta(text.meta[0]), { inputTokens: 0, outputTokens: 7, totalTokens: 7 });
    const chat = await new HuggingFaceAPIChatGenerator({
      apiType: 'text_generation_inference',
      apiParams: { url: tgi.url },
    }).run([ChatMessage.fromUser('Tell me')]);
    const usage = usageFromMeta(chat.replies[0].meta);
    assert.equal(usage?.outputTokens, 6);
    assert.ok((usage?.inputTokens ?? 0) > 0);
    assert.equal(usage?.totalTokens, (usage?.inputTokens ?? 0) + 6);
  });

  it('reads the raw TGI details.generated_tokens when a meta has no usage', () => {
    assert.deepEqual(usageFromMeta({ details: { generated_tokens: 17, finish_reason: 'length' } }), {
      inputTokens: 0,
      outputTokens: 17,
      totalTokens: 17,
    });
  });

  it('reads local token counts from the worker', async () => {
    prepareLocalModels();
    const generator = new HuggingFaceLocalChatGenerator({
      model: chatModelPath,
      task: 'text-generation',
      generationKwargs: { max_new_tokens: 5 },
    });
    const { replies } = await generator.run([ChatMessage.fromUser('count 0')]);
    const usage = usageFromMeta(replies[0].meta);
    assert.equal(usage?.outputTokens, 5);
    assert.ok((usage?.inputTokens ?? 0) > 0);
    assert.equal(usage?.totalTokens, (usage?.inputTokens ?? 0) + 5);
  });

  it('gives undefined for metas without counts and ignores negative or non-numeric counts', () => {
    assert.equal(usageFromMeta(undefined), undefined);
    assert.equal(usageFromMeta({ model: 'x', usage: null }), undefined);
    assert.equal(normalizeUsage({ prompt_tokens: 'many', completion_tokens: -3 }), undefined);
    assert.deepEqual(normalizeUsage({ completion_tokens: 4 }), { inputTokens: 0, outputTokens: 4, totalTokens: 4 });
  });

  it('sums a conversation, keeping reasoning only where reported', () => {
    const total = sumUsage([
      { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      undefined,
      { inputTokens: 20, outputTokens: 40, reasoningTokens: 30, totalTokens: 60 },
    ]);
    assert.deepEqual(total, { inputTokens: 30, outputTokens: 45, reasoningTokens: 30, totalTokens: 75 });
    assert.deepEqual(sumUsage([]), { inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });

  it('computes tokens per second after the first token, or over the whole request for a reply that came at once', () => {
    assert.equal(tokensPerSecond(50, 500, 1500), 50);
    assert.equal(tokensPerSecond(10, 100, 100), 100);
    assert.equal(tokensPerSecond(10, undefined, 200), 50);
    assert.equal(tokensPerSecond(0, 10, 100), undefined);
    assert.equal(tokensPerSecond(10, 0, 0), undefined);
  });
});

describe('cost estimates from generators.prices', () => {
  const prices = readPriceTable({ 'gpt-4o-mini': { input: 0.15, output: 0.6 }, 'gpt-4o': { input: 2.5, output: 10 } });

  it('prices input and output tokens per million and labels the result an estimate', () => {
    const cost = estimateCost({ inputTokens: 1000, outputTokens: 2000, totalTokens: 3000 }, 'gpt-4o', prices);
    assert.ok(cost);
    assert.equal(cost.usd, 0.0225);
    assert.equal(cost.isEstimate, true);
    assert.equal(cost.label, '≈ $0.0225 (estimate)');
  });

  it('matches a dated model snapshot to the longest configured prefix', () => {
    assert.equal(priceFor('gpt-4o-mini-2024-07-18', prices)?.key, 'gpt-4o-mini');
    assert.equal(priceFor('gpt-4o-2024-08-06', prices)?.key, 'gpt-4o');
    assert.equal(priceFor('claude-3', prices), undefined);
    assert.equal(estimateCost({ inputTokens: 1, outputTokens: 1, totalTokens: 2 }, undefined, prices), undefined);
  });

  it('formats small amounts with significant digits', () => {
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(0.00012345), '$0.00012');
    assert.equal(formatUsd(12.3456), '$12.35');
  });

  it('rejects a malformed price naming the model and field', () => {
    assert.deepEqual(readPriceTable(undefined), {});
    assert.throws(
      () => readPriceTable({ 'gpt-4o': { input: 2.5 } }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigurationError);
        assert.equal(error.field, 'generators.prices."gpt-4o".output');
        assert.match(error.message, /US dollars per 1M output tokens/);
        return true;
      },
    );
    assert.throws(() => readPriceTable([]), /expected an object of model/);
    assert.throws(() => readPriceTable({ m: { input: -1, output: 1 } }), /number >= 0/);
  });
});
