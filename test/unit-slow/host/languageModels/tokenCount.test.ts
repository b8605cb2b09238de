// provideTokenCount's counting: a loaded local model's own tokenizer, in the real worker; the estimate otherwise.
import assert from 'node:assert/strict';
import { Secret } from '../../../../src/core/secret';
import { HuggingFaceLocalChatGenerator } from '../../../../src/generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { localModelWorker, shutdownLocalModels } from '../../../../src/generators/huggingFaceLocal/localModels';
import { OpenAIChatGenerator } from '../../../../src/generators/openai/openAIChatGenerator';
import { LM_ROLE } from '../../../../src/host/languageModels/lmParts';
import { countTokens } from '../../../../src/host/languageModels/tokenCounting';
import { estimateTextTokens } from '../../../../src/host/languageModels/tokenEstimate';
import { chatModelPath, prepareLocalModels } from '../../../helpers/localModels';

describe('language model provider: token counts', function () {
  this.timeout(60_000);
  before(() => prepareLocalModels());
  after(() => shutdownLocalModels());

  it('counts with the local model tokenizer once the model is loaded, without starting a worker before', async () => {
    await shutdownLocalModels();
    const local = new HuggingFaceLocalChatGenerator({ model: chatModelPath });
    // No worker runs: the estimate, and still no worker afterwards.
    assert.equal(await countTokens(local, 'hello world'), estimateTextTokens('hello world'));
    assert.equal(localModelWorker().pid, undefined);

    await local.warmUp();
    // The tiny model's tokenizer is byte-level: one token per byte, where the estimate says 3.
    assert.equal(await countTokens(local, 'hello world'), 11);
    assert.equal(await countTokens(local, 'héllo'), 6);
    const message = { role: LM_ROLE.user, content: [{ kind: 'text' as const, text: 'abc' }] };
    assert.equal(await countTokens(local, message), 3 + 4);
    await local.shutdown();
  });

  it('estimates for remote APIs and for a generator that cannot be built', async () => {
    const remote = new OpenAIChatGenerator({ apiKey: Secret.fromToken('sk-unused') });
    assert.equal(await countTokens(remote, 'hello world'), 3);
    assert.equal(await countTokens(undefined, 'hello world'), 3);
  });
});
