// Bad configuration never takes the good generators down: invalid settings entries, unknown types, bad Azure
// endpoints, wrongly typed parameters, an attached "image" that is not one. Each gets a message naming the entry
// and the field; the valid generator in the same settings keeps answering.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneratorError } from '../../../src/core/errors';
import { ChatController } from '../../../src/host/chat/chatController';
import { ConversationStore } from '../../../src/host/chat/conversations/conversationStore';
import { GeneratorRegistry } from '../../../src/host/registry/generatorRegistry';
import { openAIChatRoutes } from '../../servers/openaiChatCompletions';
import { startTestServer } from '../../servers/testServer';
import { useTestServer } from '../../helpers/suiteServer';
import { PostRecorder } from '../../helpers/postRecorder';

const CHAT = 'haystack.components.generators.chat.openai.OpenAIChatGenerator';
const AZURE = 'haystack.components.generators.chat.azure.AzureOpenAIChatGenerator';
const KEY_NAME = 'GENERATORS_BAD_CONFIG_TEST_KEY';
const key = { type: 'env_var', env_vars: [KEY_NAME], strict: true };

describe('reliability: bad configuration gets a clear message, the rest keeps working', function () {
  this.timeout(20_000);
  const server = useTestServer(() => startTestServer(openAIChatRoutes()));
  let directory: string;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'reliability-config-'));
    process.env[KEY_NAME] = 'sk-bad-config-test';
  });
  after(async () => {
    delete process.env[KEY_NAME];
    await rm(directory, { recursive: true, force: true });
  });

  /** Each broken entry and what its message must name. */
  const broken: { entry: unknown; name: string; mentions: RegExp }[] = [
    {
      entry: { name: 'Unknown', type: 'haystack.components.generators.chat.nope.NopeGenerator' },
      name: 'Unknown',
      mentions: /type.*unknown generator type.*NopeGenerator.*Supported: .*OpenAIChatGenerator/,
    },
    {
      entry: { name: 'Azure no URL', type: AZURE, init_parameters: { azure_endpoint: 'not a url', api_key: key } },
      name: 'Azure no URL',
      mentions: /azure_endpoint.*not a URL.*https:\/\/example-resource/,
    },
    {
      entry: { name: 'Azure ftp', type: AZURE, init_parameters: { azure_endpoint: 'ftp://example.com', api_key: key } },
      name: 'Azure ftp',
      mentions: /azure_endpoint.*https:\/\//,
    },
    {
      entry: { name: 'Number model', type: CHAT, init_parameters: { model: 42 } },
      name: 'Number model',
      mentions: /init_parameters\.model.*expected a string, got number/,
    },
    {
      entry: {
        name: 'Token secret',
        type: CHAT,
        init_parameters: { api_key: { type: 'token', token: 'sk-should-never-show' } },
      },
      name: 'Token secret',
      mentions: /api_key\.type.*token secrets cannot be deserialized/,
    },
    {
      entry: { name: 'Bad kwargs', type: CHAT, init_parameters: { generation_kwargs: 'hot' } },
      name: 'Bad kwargs',
      mentions: /generation_kwargs.*expected an object/,
    },
    { entry: { type: CHAT, init_parameters: {} }, name: '#', mentions: /name/ },
    { entry: 'just a string', name: '#', mentions: /expected an object/ },
  ];

  it('lists every broken entry with a message naming it and its field, and the good generator still answers', async () => {
    const problems: string[] = [];
    const good = {
      name: 'GPT',
      type: CHAT,
      init_parameters: { model: 'gpt-4o-mini', api_base_url: `${server.url}/v1`, api_key: key, max_retries: 0 },
    };
    const registry = new GeneratorRegistry(
      { generators: [good, ...broken.map((b) => b.entry), good], defaults: { chat: 'GPT' } },
      { onProblem: (m) => problems.push(m) },
    );
    const listed = registry.list();

    for (const { name, mentions } of broken) {
      const item = listed.find((l) =>
        name === '#' ? l.name.startsWith('#') && mentions.test(l.error ?? '') : l.name === name,
      );
      assert.ok(item?.error, `${name}: listed with an error (${JSON.stringify(listed.map((l) => [l.name, l.error]))})`);
      assert.match(item.error, mentions);
      if (name !== '#') assert.ok(item.error.includes(name), `${name}: the message names the entry: ${item.error}`);
      assert.ok(!item.error.includes('sk-should-never-show'));
    }
    assert.ok(
      listed.some((l) => l.name === 'GPT' && l.error === undefined),
      'the first GPT entry stays usable despite the duplicate',
    );
    assert.ok(
      problems.some((p) => /duplicate|more than once|already/i.test(p)),
      `the duplicate name is reported: ${problems.join(' | ')}`,
    );

    for (const { name } of broken.filter((b) => b.name !== '#')) {
      assert.throws(
        () => registry.get(name),
        (e: unknown) => GeneratorError.isInstance(e) && (e.code === 'configuration' || e.code === 'deserialization'),
      );
    }

    const posts = new PostRecorder();
    const store = new ConversationStore(directory, () => assert.fail('no corrupt files'));
    const controller = new ChatController({
      registry,
      store,
      post: posts.post,
      log: { info: () => {}, warn: () => {}, error: () => {} },
    });
    await controller.state();
    await controller.send('broken', controller.currentConversationId()!, 'Number model', { text: 'hi' });
    const failed = await posts.next('error', 'broken');
    assert.match(failed.message?.error?.message ?? '', /Number model.*init_parameters\.model/);
    assert.equal(failed.message?.error?.code, 'configuration');

    await controller.newChat();
    await controller.send('good', controller.currentConversationId()!, 'GPT', { text: 'still there?' });
    assert.equal((await posts.next('done', 'good')).message.text, 'Echo: still there?');
    await controller.dispose();
  });

  it('refuses an attached image whose bytes are not an image, handing the typed text back; the next message goes through', async () => {
    const registry = new GeneratorRegistry({
      generators: [
        {
          name: 'GPT',
          type: CHAT,
          init_parameters: { api_base_url: `${server.url}/v1`, api_key: key, max_retries: 0 },
        },
      ],
      defaults: { chat: 'GPT' },
    });
    const posts = new PostRecorder();
    const store = new ConversationStore(directory, () => assert.fail('no corrupt files'));
    const controller = new ChatController({
      registry,
      store,
      post: posts.post,
      log: { info: () => {}, warn: () => {}, error: () => {} },
    });
    await controller.state();
    const conversationId = controller.currentConversationId()!;
    const notAnImage = Buffer.from('#!/bin/sh\nrm -rf ~\n').toString('base64');
    const requestsBefore = server.requests.length;
    await controller.send('fake-image', conversationId, 'GPT', {
      text: 'what is in this picture?',
      images: [{ mimeType: 'image/png', base64: notAnImage }],
    });
    const refused = await posts.next('error', 'fake-image');
    assert.equal(refused.userText, 'what is in this picture?');
    assert.match(refused.reason ?? '', /png|image/i);
    assert.equal(refused.message, undefined, 'nothing was added to the conversation');
    assert.equal(server.requests.length, requestsBefore, 'nothing was sent to the provider');

    await controller.send('after', conversationId, 'GPT', { text: 'and now?' });
    assert.equal((await posts.next('done', 'after')).message.text, 'Echo: and now?');
    await controller.dispose();
  });
});
