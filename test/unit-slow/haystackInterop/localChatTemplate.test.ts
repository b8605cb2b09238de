// Haystack 2.22+ hands `enable_thinking` to the chat template; 2.27+ takes the `image-text-to-text` task. Runs the
// real worker on the tiny byte-level test model, whose prompt token count is the rendered prompt's byte length.
// Precondition: `npm run build` (dist/local-model-worker.js).
import assert from 'node:assert/strict';
import {
  ChatMessage,
  componentFromDict,
  HuggingFaceLocalGenerator,
  shutdownLocalModels,
  type ChatGenerator,
} from '../../../src/index';
import { chatModelPath, prepareLocalModels } from '../../helpers/localModels';
import { readFixture, type HaystackComponentDict } from '../../helpers/haystackFixtures';

/** Marks the prompt with what the template was given, so the prompt's length tells. */
const TEMPLATE =
  '{% if enable_thinking is defined %}{% if enable_thinking %}<think>{% else %}<no_think>{% endif %}{% endif %}' +
  '{% for m in messages %}{{ m.content }}{% endfor %}';

/** A Haystack dict for the tiny model with the marking template, otherwise as the fixture. */
function onTinyModel(version: string, name: string): HaystackComponentDict {
  const dict = readFixture<Record<string, HaystackComponentDict>>(`${version}/HuggingFaceLocalChatGenerator.json`)[
    name
  ]!;
  const params = dict.init_parameters;
  params.huggingface_pipeline_kwargs = { model: chatModelPath, device: 'cpu', task: 'text-generation' };
  params.chat_template = TEMPLATE;
  params.streaming_callback = null;
  params.generation_kwargs = { max_new_tokens: 2, return_full_text: false, stop_sequences: [] };
  return dict;
}

async function promptTokens(dict: HaystackComponentDict): Promise<number> {
  const generator = componentFromDict(dict) as ChatGenerator;
  const { replies } = await generator.run([ChatMessage.fromUser('count 5')]);
  return (replies[0]!.meta.usage as { prompt_tokens: number }).prompt_tokens;
}

describe('Haystack 2.x local chat: enable_thinking and tasks', function () {
  this.timeout(30_000);
  before(() => prepareLocalModels());
  after(() => shutdownLocalModels());

  it('enable_thinking: true reaches the chat template', async () => {
    assert.equal(await promptTokens(onTinyModel('v2.22.0', 'thinking')), Buffer.byteLength('<think>count 5'));
  });

  it('enable_thinking: false reaches the chat template as false', async () => {
    assert.equal(await promptTokens(onTinyModel('v2.22.0', 'defaults')), Buffer.byteLength('<no_think>count 5'));
  });

  it('a dict from before Haystack 2.22 (no enable_thinking) leaves it undefined in the template', async () => {
    const dict = onTinyModel('v2.20.0', 'defaults');
    assert.ok(!('enable_thinking' in dict.init_parameters));
    assert.equal(await promptTokens(dict), Buffer.byteLength('count 5'));
  });

  // Haystack 2.27 runs such multimodal models on text-only input ("partial support"), as here.
  it('the image-text-to-text task loads, serializes back and runs text-only', async () => {
    const dict = readFixture<Record<string, HaystackComponentDict>>(
      'v2.27.0/HuggingFaceLocalChatGenerator.json',
    ).image_text_to_text!;
    assert.deepStrictEqual(componentFromDict(structuredClone(dict)).toDict(), dict);
    dict.init_parameters.huggingface_pipeline_kwargs = {
      model: chatModelPath,
      device: 'cpu',
      task: 'image-text-to-text',
    };
    dict.init_parameters.generation_kwargs = { max_new_tokens: 3, stop_sequences: [] };
    const generator = componentFromDict(dict) as ChatGenerator;
    const { replies } = await generator.run([ChatMessage.fromUser('count 5')]);
    // The tiny model answers a ChatML prompt with the alphabet, whichever task loaded it.
    assert.equal(replies[0]!.text, 'abc');
    assert.equal(
      (generator.toDict().init_parameters.huggingface_pipeline_kwargs as { task: string }).task,
      'image-text-to-text',
    );
  });

  it('the text generator refuses image-text-to-text, as Haystack does', () => {
    assert.throws(
      () => new HuggingFaceLocalGenerator({ task: 'image-text-to-text' }),
      /Task 'image-text-to-text' is not supported\. The supported tasks are: text-generation, text2text-generation\./,
    );
  });
});
