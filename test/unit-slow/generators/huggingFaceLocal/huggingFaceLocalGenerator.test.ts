// HuggingFaceLocalGenerator through the real worker process on the tiny test models.
// Precondition: `npm run build` (dist/local-model-worker.js).
import assert from 'node:assert/strict';
import { GeneratorError } from '../../../../src/core/errors';
import { Secret } from '../../../../src/core/secret';
import { printStreamingChunk } from '../../../../src/core/serialization';
import type { StreamingChunk } from '../../../../src/core/streamingChunk';
import { HuggingFaceLocalGenerator } from '../../../../src/generators/huggingFaceLocal/huggingFaceLocalGenerator';
import {
  onLocalModelProgress,
  shutdownLocalModels,
  type LocalModelProgress,
} from '../../../../src/generators/huggingFaceLocal/localModels';
import { componentFromDict } from '../../../../src/generators/registry';
import { ALPHABET, chatModelPath, copyModelPath, prepareLocalModels } from '../../../helpers/localModels';

const TYPE = 'haystack.components.generators.hugging_face_local.HuggingFaceLocalGenerator';

describe('HuggingFaceLocalGenerator', function () {
  this.timeout(30_000);
  before(() => prepareLocalModels());
  after(() => shutdownLocalModels());

  describe('init and serialization', () => {
    it('has Haystack defaults and serializes to its exact dict shape', () => {
      const generator = new HuggingFaceLocalGenerator({ task: 'text2text-generation' });
      assert.deepEqual(generator.toDict(), {
        type: TYPE,
        init_parameters: {
          huggingface_pipeline_kwargs: { model: 'google/flan-t5-base', task: 'text2text-generation', device: 'cpu' },
          generation_kwargs: { max_new_tokens: 512 },
          streaming_callback: null,
          stop_words: null,
          token: { type: 'env_var', env_vars: ['HF_API_TOKEN', 'HF_TOKEN'], strict: false },
        },
      });
    });

    it('sets return_full_text false for text-generation and lets pipeline kwargs override model, task and device', () => {
      const generator = new HuggingFaceLocalGenerator({
        model: 'ignored/model',
        task: 'text2text-generation',
        device: 'cuda:0',
        huggingfacePipelineKwargs: { model: 'gpt2', task: 'text-generation', device: 'cpu', dtype: 'q8' },
        generationKwargs: { temperature: 0.5 },
        stopWords: ['###'],
        streamingCallback: printStreamingChunk,
      });
      assert.deepEqual(generator.toDict().init_parameters, {
        huggingface_pipeline_kwargs: { model: 'gpt2', task: 'text-generation', device: 'cpu', dtype: 'q8' },
        generation_kwargs: { temperature: 0.5, return_full_text: false, max_new_tokens: 512 },
        streaming_callback: 'haystack.components.generators.utils.print_streaming_chunk',
        stop_words: ['###'],
        token: { type: 'env_var', env_vars: ['HF_API_TOKEN', 'HF_TOKEN'], strict: false },
      });
    });

    it('round-trips through the registry and never serializes a token value', () => {
      const dict = new HuggingFaceLocalGenerator({
        model: chatModelPath,
        task: 'text-generation',
        stopWords: ['x'],
        token: Secret.fromEnvVar('MY_HF'),
      }).toDict();
      const again = componentFromDict(dict);
      assert.ok(again instanceof HuggingFaceLocalGenerator);
      assert.deepEqual(again.toDict(), dict);
      const inline = new HuggingFaceLocalGenerator({
        task: 'text-generation',
        token: null,
        huggingfacePipelineKwargs: { token: 'hf_secret_value' },
      });
      assert.doesNotMatch(JSON.stringify(inline.toDict()), /hf_secret_value/);
      assert.throws(
        () => new HuggingFaceLocalGenerator({ task: 'text-generation', token: Secret.fromToken('hf_x') }).toDict(),
        /Cannot serialize token-based secret/,
      );
    });

    it('rejects unsupported tasks and stop words together with stopping_criteria', () => {
      assert.throws(
        () => new HuggingFaceLocalGenerator({ task: 'summarization' as never }),
        (e: unknown) => GeneratorError.isInstance(e) && /Task 'summarization' is not supported/.test(e.message),
      );
      assert.throws(
        () => new HuggingFaceLocalGenerator({ stopWords: ['a'], generationKwargs: { stopping_criteria: [] } }),
        /Please specify only one of them/,
      );
      assert.throws(
        () => HuggingFaceLocalGenerator.fromDict({ type: 'other.Type', init_parameters: {} }),
        /expected "haystack\.components\.generators\.hugging_face_local/,
      );
    });
  });

  describe('generation in the worker', () => {
    it('infers text-generation from a decoder config at warm-up and generates the exact reply with usage', async () => {
      const generator = new HuggingFaceLocalGenerator({ model: chatModelPath });
      assert.equal(
        (generator.toDict().init_parameters.huggingface_pipeline_kwargs as Record<string, unknown>).task,
        undefined,
      );
      await generator.warmUp();
      assert.equal(generator.huggingfacePipelineKwargs.task, 'text-generation');
      assert.equal(generator.generationKwargs.return_full_text, false);
      const result = await generator.run('hello ');
      assert.deepEqual(result.replies, [ALPHABET]);
      assert.deepEqual(result.meta[0].usage, { completion_tokens: 26, prompt_tokens: 6, total_tokens: 32 });
      assert.equal(result.meta[0].finish_reason, 'stop');
      assert.equal(result.meta[0].model, chatModelPath);
    });

    it('infers text2text-generation for an encoder-decoder model, which copies its input', async () => {
      const generator = new HuggingFaceLocalGenerator({ model: copyModelPath });
      const result = await generator.run('translate: hello world');
      assert.equal(generator.huggingfacePipelineKwargs.task, 'text2text-generation');
      assert.deepEqual(result.replies, ['translate: hello world']);
    });

    it('lets run-time generation_kwargs override init-time ones and reports finish_reason length', async () => {
      const generator = new HuggingFaceLocalGenerator({
        model: chatModelPath,
        task: 'text-generation',
        generationKwargs: { max_new_tokens: 20 },
      });
      const init = await generator.run('count 0');
      assert.deepEqual(init.replies, ['12345678901234567890']);
      const run = await generator.run('count 0', { generationKwargs: { max_new_tokens: 5 } });
      assert.deepEqual(run.replies, ['12345']);
      assert.equal(run.meta[0].finish_reason, 'length');
      const full = await generator.run('count 0', { generationKwargs: { max_new_tokens: 3, return_full_text: true } });
      assert.deepEqual(full.replies, ['count 0123']);
    });

    it('stops at a stop word inside the worker, cuts it, and never streams any part of it', async () => {
      const chunks: StreamingChunk[] = [];
      const generator = new HuggingFaceLocalGenerator({
        model: chatModelPath,
        task: 'text-generation',
        stopWords: ['ghi', 'zzz'],
        generationKwargs: { max_new_tokens: 100 },
      });
      const result = await generator.run('go ', { streamingCallback: (chunk) => void chunks.push(chunk) });
      assert.deepEqual(result.replies, ['abcdef']);
      assert.deepEqual(result.meta[0].usage, { completion_tokens: 6, prompt_tokens: 3, total_tokens: 9 });
      const streamed = chunks.map((c) => c.content).join('');
      assert.equal(streamed, 'abcdef');
      assert.ok(chunks.length >= 4, `expected per-token chunks, got ${chunks.length}`);
      assert.equal(chunks[0].start, true);
      assert.equal(chunks[0].componentInfo?.type, TYPE);
    });

    it('streams token by token in order through the init-time callback, awaiting each', async () => {
      const seen: string[] = [];
      const generator = new HuggingFaceLocalGenerator({
        model: chatModelPath,
        task: 'text-generation',
        streamingCallback: async (chunk) => {
          await new Promise((r) => setImmediate(r));
          seen.push(chunk.content);
        },
      });
      const result = await generator.run('go ');
      assert.deepEqual(seen, ALPHABET.split(''));
      assert.deepEqual(result.replies, [ALPHABET]);
    });

    it('cancels mid-stream: generation stops inside the worker and the run rejects with cancelled', async () => {
      const generator = new HuggingFaceLocalGenerator({
        model: chatModelPath,
        task: 'text-generation',
        generationKwargs: { max_new_tokens: 100_000 },
      });
      const controller = new AbortController();
      let streamed = 0;
      const error = await generator
        .run('count 0', {
          signal: controller.signal,
          streamingCallback: () => {
            if (++streamed === 5) controller.abort();
          },
        })
        .then(
          () => assert.fail('expected the run to be cancelled'),
          (e: unknown) => e,
        );
      assert.ok(GeneratorError.isInstance(error));
      assert.equal(error.code, 'cancelled');
      const confirmed = error.cause as { completionTokens: number };
      assert.ok(
        confirmed.completionTokens >= 5 && confirmed.completionTokens < 1000,
        `worker stopped after ${confirmed.completionTokens} tokens`,
      );
      // The worker is free again at once.
      assert.deepEqual((await generator.run('a', { generationKwargs: { max_new_tokens: 3 } })).replies, ['bcd']);
    });

    it('returns no replies for an empty prompt, as Haystack does', async () => {
      assert.deepEqual(await new HuggingFaceLocalGenerator({ model: chatModelPath, task: 'text-generation' }).run(''), {
        replies: [],
        meta: [],
      });
    });

    it('fails clearly for a local folder that does not exist and for a hub model when downloads are off', async () => {
      const progress: LocalModelProgress[] = [];
      const unsubscribe = onLocalModelProgress((p) => progress.push(p));
      const missing = new HuggingFaceLocalGenerator({ model: '/nonexistent/model-folder', task: 'text-generation' });
      await assert.rejects(
        missing.run('hi'),
        (e: unknown) =>
          GeneratorError.isInstance(e) &&
          e.code === 'configuration' &&
          /local model folder \/nonexistent\/model-folder does not exist/.test(e.message),
      );
      unsubscribe();
      // A host's download notification learns that loading ended.
      assert.deepEqual(progress, [{ model: '/nonexistent/model-folder', status: 'error' }]);
      const hub = new HuggingFaceLocalGenerator({ model: 'google/flan-t5-base', task: 'text2text-generation' });
      await assert.rejects(
        hub.run('hi'),
        (e: unknown) => GeneratorError.isInstance(e) && /remote model downloads are turned off/.test(e.message),
      );
    });
  });
});
