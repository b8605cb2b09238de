// HuggingFaceLocalChatGenerator through the real worker process on the tiny ChatML test model.
// Precondition: `npm run build` (dist/local-model-worker.js).
import assert from 'node:assert/strict';
import { ChatMessage } from '../../../../src/core/chatMessage';
import { GeneratorError } from '../../../../src/core/errors';
import type { StreamingChunk } from '../../../../src/core/streamingChunk';
import { Tool, Toolset } from '../../../../src/core/tool';
import { defaultToolParser } from '../../../../src/generators/huggingFaceLocal/defaultToolParser';
import { HuggingFaceLocalChatGenerator } from '../../../../src/generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { shutdownLocalModels } from '../../../../src/generators/huggingFaceLocal/localModels';
import { componentFromDict } from '../../../../src/generators/registry';
import { ALPHABET, chatModelPath, prepareLocalModels } from '../../../helpers/localModels';

const TYPE = 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator';
const weatherTool = new Tool({
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
});

/** Byte-level tokens of the ChatML prompt the test model's template renders: each special token counts one. */
function chatMlTokens(messages: [role: string, content: string][], toolsJson?: string): number {
  let tokens = 0;
  if (toolsJson !== undefined) tokens += 1 + Buffer.byteLength(`system\n# Tools\n${toolsJson}`) + 1 + 1;
  for (const [role, content] of messages) tokens += 1 + Buffer.byteLength(`${role}\n${content}`) + 1 + 1;
  return tokens + 1 + Buffer.byteLength('assistant\n') + (toolsJson !== undefined ? 1 : 0);
}

describe('HuggingFaceLocalChatGenerator', function () {
  this.timeout(30_000);
  before(() => prepareLocalModels());
  after(() => shutdownLocalModels());

  describe('init and serialization', () => {
    it('has Haystack defaults and serializes to its exact dict shape', () => {
      const generator = new HuggingFaceLocalChatGenerator({ task: 'text-generation' });
      assert.deepEqual(generator.toDict(), {
        type: TYPE,
        init_parameters: {
          huggingface_pipeline_kwargs: {
            model: 'HuggingFaceH4/zephyr-7b-beta',
            task: 'text-generation',
            device: 'cpu',
          },
          generation_kwargs: { return_full_text: false, max_new_tokens: 512, stop_sequences: [] },
          streaming_callback: null,
          token: { type: 'env_var', env_vars: ['HF_API_TOKEN', 'HF_TOKEN'], strict: false },
          chat_template: null,
          tools: null,
          tool_parsing_function: 'haystack.components.generators.chat.hugging_face_local.default_tool_parser',
        },
      });
    });

    it('folds stop words into stop_sequences and round-trips tools, template and parser through the registry', () => {
      const generator = new HuggingFaceLocalChatGenerator({
        model: chatModelPath,
        task: 'text-generation',
        chatTemplate: '{{ messages[0].content }}',
        stopWords: ['STOP'],
        generationKwargs: { stop_sequences: ['END'], temperature: 0.2 },
        tools: new Toolset([weatherTool]),
      });
      const dict = generator.toDict();
      assert.deepEqual(dict.init_parameters.generation_kwargs, {
        stop_sequences: ['END', 'STOP'],
        temperature: 0.2,
        return_full_text: false,
        max_new_tokens: 512,
      });
      assert.equal((dict.init_parameters.tools as { type: string }).type, 'haystack.tools.toolset.Toolset');
      const again = componentFromDict(dict);
      assert.ok(again instanceof HuggingFaceLocalChatGenerator);
      assert.deepEqual(again.toDict(), dict);
      assert.equal(again.toolParsingFunction, defaultToolParser);
    });

    it('refuses tools together with streaming, and duplicate tool names', () => {
      assert.throws(
        () =>
          new HuggingFaceLocalChatGenerator({
            task: 'text-generation',
            tools: [weatherTool],
            streamingCallback: () => undefined,
          }),
        /Using tools and streaming at the same time is not supported/,
      );
      assert.throws(
        () => new HuggingFaceLocalChatGenerator({ task: 'text-generation', tools: [weatherTool, weatherTool] }),
        /duplicate tool name "get_weather"/,
      );
    });
  });

  describe('generation in the worker', () => {
    it('renders the ChatML template and replies with exact text, finish_reason, index, model and usage', async () => {
      const generator = new HuggingFaceLocalChatGenerator({ model: chatModelPath });
      const messages = [ChatMessage.fromSystem('Be brief.'), ChatMessage.fromUser('hi')];
      const { replies } = await generator.run(messages);
      assert.equal(replies.length, 1);
      assert.equal(replies[0].role, 'assistant');
      assert.equal(replies[0].text, ALPHABET);
      assert.deepEqual(replies[0].meta, {
        finish_reason: 'stop',
        index: 0,
        model: chatModelPath,
        usage: {
          completion_tokens: 26,
          prompt_tokens: chatMlTokens([
            ['system', 'Be brief.'],
            ['user', 'hi'],
          ]),
          total_tokens:
            26 +
            chatMlTokens([
              ['system', 'Be brief.'],
              ['user', 'hi'],
            ]),
        },
      });
    });

    it('streams per token in order, holds back a stop word and cuts it from the reply', async () => {
      const chunks: StreamingChunk[] = [];
      const generator = new HuggingFaceLocalChatGenerator({
        model: chatModelPath,
        task: 'text-generation',
        stopWords: ['mno'],
      });
      const { replies } = await generator.run([ChatMessage.fromUser('hi')], {
        streamingCallback: (chunk) => void chunks.push(chunk),
      });
      assert.equal(replies[0].text, 'abcdefghijkl');
      assert.equal(chunks.map((c) => c.content).join(''), 'abcdefghijkl');
      assert.equal(chunks.length, 12);
      assert.equal(replies[0].meta.finish_reason, 'stop');
      assert.equal((replies[0].meta.usage as { completion_tokens: number }).completion_tokens, 12);
    });

    it('uses a chat_template override and run-time stop_words from generation_kwargs', async () => {
      const generator = new HuggingFaceLocalChatGenerator({
        model: chatModelPath,
        task: 'text-generation',
        chatTemplate: '{% for m in messages %}[{{ m.role }}] {{ m.content }}{% endfor %}',
        generationKwargs: { max_new_tokens: 30 },
      });
      const { replies } = await generator.run([ChatMessage.fromUser('count 5')], {
        generationKwargs: { stop_words: ['01'] },
      });
      assert.equal(replies[0].text, '6789');
      assert.equal(
        (replies[0].meta.usage as { prompt_tokens: number }).prompt_tokens,
        Buffer.byteLength('[user] count 5'),
      );
    });

    it('renders tools through the template and parses the reply into a tool call with the default parser', async () => {
      const generator = new HuggingFaceLocalChatGenerator({
        model: chatModelPath,
        task: 'text-generation',
        tools: [weatherTool],
      });
      const { replies } = await generator.run([ChatMessage.fromUser('Weather in Paris?')]);
      assert.equal(replies[0].text, undefined);
      assert.deepEqual(replies[0].toolCalls, [{ toolName: 'get_weather', arguments: { city: 'Paris' } }]);
      assert.equal(replies[0].meta.finish_reason, 'tool_calls');
      const toolsJson = JSON.stringify([weatherTool.toolSpec], null, 0).replace(/":/g, '": ').replace(/,"/g, ', "');
      assert.equal(
        (replies[0].meta.usage as { prompt_tokens: number }).prompt_tokens,
        chatMlTokens([['user', 'Weather in Paris?']], toolsJson),
      );
    });

    it('uses a custom tool_parsing_function and run-time tools; without tools the raw text stays text', async () => {
      const seen: string[] = [];
      const generator = new HuggingFaceLocalChatGenerator({
        model: chatModelPath,
        task: 'text-generation',
        toolParsingFunction: (text) => {
          seen.push(text);
          return [{ toolName: 'custom', arguments: { length: text.length } }];
        },
      });
      const plain = await generator.run([ChatMessage.fromUser('hi')]);
      assert.equal(plain.replies[0].text, ALPHABET);
      assert.equal(seen.length, 0);
      const withTools = await generator.run([ChatMessage.fromUser('hi')], { tools: [weatherTool] });
      assert.equal(seen.length, 1);
      assert.match(seen[0], /^<tool_call>\n\{"name": "get_weather"/);
      assert.deepEqual(withTools.replies[0].toolCalls, [{ toolName: 'custom', arguments: { length: seen[0].length } }]);
    });

    it('sends earlier tool calls and results to the template', async () => {
      const generator = new HuggingFaceLocalChatGenerator({
        model: chatModelPath,
        task: 'text-generation',
        chatTemplate:
          '{% for m in messages %}{{ m.role }}:{{ m.content }}{% if m.tool_calls %}{{ m.tool_calls[0].function.name }}{% endif %};{% endfor %}',
        generationKwargs: { max_new_tokens: 2 },
      });
      const call = { toolName: 'get_weather', arguments: { city: 'Paris' }, id: 'c1' };
      const { replies } = await generator.run([
        ChatMessage.fromUser('w?'),
        ChatMessage.fromAssistant(null, { toolCalls: [call] }),
        ChatMessage.fromTool('sunny', call),
      ]);
      assert.equal(
        (replies[0].meta.usage as { prompt_tokens: number }).prompt_tokens,
        Buffer.byteLength('user:w?;assistant:get_weather;tool:sunny;'),
      );
      await assert.rejects(
        generator.run([ChatMessage.fromUser('look', { images: [{ base64Image: 'AAAA', mimeType: 'image/png' }] })]),
        (e: unknown) => GeneratorError.isInstance(e) && e.code === 'configuration' && /take text only/.test(e.message),
      );
    });

    it('cancels mid-stream inside the worker', async () => {
      const generator = new HuggingFaceLocalChatGenerator({
        model: chatModelPath,
        task: 'text-generation',
        chatTemplate: '{{ messages[0].content }}',
        generationKwargs: { max_new_tokens: 100_000 },
      });
      const controller = new AbortController();
      const chunks: string[] = [];
      const error = await generator
        .run([ChatMessage.fromUser('0')], {
          signal: controller.signal,
          streamingCallback: (chunk) => {
            chunks.push(chunk.content);
            if (chunks.length === 3) controller.abort();
          },
        })
        .then(
          () => assert.fail('expected cancellation'),
          (e: unknown) => e,
        );
      assert.ok(GeneratorError.isInstance(error) && error.code === 'cancelled');
      assert.ok((error.cause as { completionTokens: number }).completionTokens < 1000);
      assert.equal(chunks.join('').slice(0, 3), '123');
    });
  });
});
