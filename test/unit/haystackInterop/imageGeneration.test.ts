// DALLEImageGenerator dicts of every Haystack 2.x release: dall-e models (2.20-2.29) and the GPT image models with
// their own sizes and qualities (2.30+, where `response_format` is gone and images always come back as base64).
import assert from 'node:assert/strict';
import { componentFromDict, setSecretResolver, type ImageGenerator } from '../../../src/index';
import { imageQualityChoices, imageSizeChoices } from '../../../src/host/image/imageOptions';
import { openAIImagesRoutes } from '../../servers/openaiImages';
import { startTestServer, type TestServer } from '../../servers/testServer';
import { readFixture, type HaystackComponentDict } from '../../helpers/haystackFixtures';

const GPT_IMAGE_SIZES = ['1024x1024', '1024x1536', '1536x1024', 'auto'];
const GPT_IMAGE_QUALITIES = ['auto', 'high', 'medium', 'low'];

const dalleCase = (version: string, name: string) =>
  readFixture<Record<string, HaystackComponentDict>>(`${version}/DALLEImageGenerator.json`)[name]!;

describe('Haystack 2.x DALLEImageGenerator', () => {
  let server: TestServer;
  let restore: () => void;
  before(async () => {
    server = await startTestServer(openAIImagesRoutes());
    restore = setSecretResolver(() => 'sk-images-test');
  });
  after(async () => {
    restore();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  /** The generator of a fixture dict, pointed at the test server. */
  const generatorFor = (dict: HaystackComponentDict) => {
    const local = structuredClone(dict);
    local.init_parameters.api_base_url = `${server.url}/v1`;
    return componentFromDict(local) as ImageGenerator;
  };

  it('a Haystack 2.30+ dict (gpt-image-2, no response_format) asks for a base64 image and returns it', async () => {
    const { images } = await generatorFor(dalleCase('v2.30.0', 'defaults')).run('a red fox');
    const body = server.requests[0]!.body;
    assert.deepStrictEqual(body, {
      model: 'gpt-image-2',
      prompt: 'a red fox',
      size: '1024x1024',
      quality: 'auto',
      n: 1,
    });
    assert.ok(Buffer.from(images[0]!, 'base64').subarray(1, 4).equals(Buffer.from('PNG')), 'a base64 PNG');
  });

  it('GPT image sizes and qualities are sent as given, at init and per run', async () => {
    const generator = generatorFor(dalleCase('v2.30.0', 'portrait_medium'));
    await generator.run('a lighthouse');
    await generator.run('a lighthouse', { size: 'auto', quality: 'low' });
    assert.deepStrictEqual(
      server.requests.map((r) => [r.body.model, r.body.size, r.body.quality, 'response_format' in r.body]),
      [
        ['gpt-image-1-mini', '1024x1536', 'medium', false],
        ['gpt-image-1-mini', 'auto', 'low', false],
      ],
    );
  });

  it("a dall-e dict keeps Haystack 2.20's response_format and sizes", async () => {
    const generator = generatorFor(dalleCase('v2.20.0', 'dall_e_3_portrait'));
    await generator.run('a cat');
    const body = server.requests[0]!.body;
    assert.deepStrictEqual(
      [body.model, body.size, body.quality, body.response_format],
      ['dall-e-3', '1024x1792', 'standard', 'b64_json'],
    );
  });

  it('a GPT image quality or size on a dall-e model is refused before sending, naming what works', async () => {
    const generator = generatorFor(dalleCase('v2.20.0', 'defaults'));
    await assert.rejects(generator.run('a cat', { size: '1536x1024' }), /1024x1024/);
    assert.equal(server.requests.length, 0);
  });

  it('the image command offers the GPT image models their own sizes and qualities', () => {
    for (const model of ['gpt-image-2', 'gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5']) {
      assert.deepStrictEqual(imageSizeChoices(model), GPT_IMAGE_SIZES, model);
      assert.deepStrictEqual(imageQualityChoices(model), GPT_IMAGE_QUALITIES, model);
    }
  });
});
