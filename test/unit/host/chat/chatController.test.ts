import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, setSecretResolver } from '../../../../src/core/secret';
import type { Generator } from '../../../../src/core/generator';
import { OpenAIChatGenerator } from '../../../../src/generators/openai/openAIChatGenerator';
import { FallbackChatGenerator } from '../../../../src/generators/fallback/fallbackChatGenerator';
import { OpenAIGenerator } from '../../../../src/generators/openai/openAIGenerator';
import { ChatController } from '../../../../src/host/chat/chatController';
import { ConversationStore } from '../../../../src/host/chat/conversations/conversationStore';
import type { ConfiguredGenerator } from '../../../../src/host/registry/registryService';
import type { Conversation, ConversationMessage, HostMessage } from '../../../../src/shared/protocol';
import {
  apiError,
  completionReply,
  openAIChatRoutes,
  resetAfter,
  stallAfter,
} from '../../../servers/openaiChatCompletions';
import { encodePng } from '../../../servers/png';
import { startTestServer, watchingClose } from '../../../servers/testServer';
import { useTestServer } from '../../../helpers/suiteServer';
import { PostRecorder } from '../../../helpers/postRecorder';

const KEY_NAME = 'CHAT_PANEL_TEST_KEY';
const KEY_VALUE = 'sk-chat-panel-planted-0123456789';

describe('chat controller against the offline OpenAI server', function () {
  this.timeout(15000);
  const server = useTestServer(() => startTestServer(openAIChatRoutes()));
  let directory: string;
  let restoreResolver: () => void;
  let posts: PostRecorder;
  let store: ConversationStore;
  let controller: ChatController;
  let generators: Record<string, Generator>;

  const entries = (): ConfiguredGenerator[] => [
    { name: 'GPT', type: OpenAIChatGenerator.typeName, kind: 'chat', model: 'gpt-4o-mini' },
    { name: 'Completion', type: OpenAIGenerator.typeName, kind: 'text', model: 'gpt-4o-mini' },
    {
      name: 'Broken',
      type: OpenAIChatGenerator.typeName,
      kind: 'chat',
      error: 'Broken: init_parameters.model: expected a string, got number.',
    },
    { name: 'Fallback', type: FallbackChatGenerator.typeName, kind: 'chat' },
  ];

  function newController(): ChatController {
    return new ChatController({
      registry: {
        list: entries,
        get: (name) => {
          const generator = generators[name];
          if (!generator) throw new Error(`no generator ${name}`);
          return generator;
        },
        defaultName: (kind) => (kind === 'chat' ? 'GPT' : undefined),
      },
      store,
      post: posts.post,
      log: { info: () => {}, warn: () => {}, error: () => {} },
      saveIntervalMs: 0,
    });
  }

  before(async () => {
    restoreResolver = setSecretResolver((name) => (name === KEY_NAME ? KEY_VALUE : undefined));
  });

  after(async () => {
    restoreResolver();
  });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'chat-controller-'));
    store = new ConversationStore(directory, () => assert.fail('no conversation file should be corrupt'));
    posts = new PostRecorder();
    const common = {
      apiKey: Secret.fromEnvVar(KEY_NAME),
      apiBaseUrl: `${server.url}/v1`,
      model: 'gpt-4o-mini',
      maxRetries: 0,
      timeout: 5,
    };
    generators = {
      GPT: new OpenAIChatGenerator(common),
      Completion: new OpenAIGenerator(common),
      Fallback: new FallbackChatGenerator({
        chatGenerators: [
          new OpenAIChatGenerator({ ...common, model: 'primary' }),
          new OpenAIChatGenerator({ ...common, model: 'backup' }),
        ],
      }),
    };
    server.requests.length = 0;
    controller = newController();
  });

  afterEach(async () => {
    await controller.dispose();
    await rm(directory, { recursive: true, force: true });
  });

  async function openConversation(): Promise<Conversation> {
    const state = await controller.state();
    assert.equal(state.type, 'state');
    return (state as Extract<HostMessage, { type: 'state' }>).conversation;
  }

  it('lists chat and text generators for the picker, without secrets, marking broken entries', async () => {
    const state = (await controller.state()) as Extract<HostMessage, { type: 'state' }>;
    assert.deepEqual(state.generators, [
      { name: 'GPT', kind: 'chat', model: 'gpt-4o-mini', acceptsImages: true },
      { name: 'Completion', kind: 'text', model: 'gpt-4o-mini', acceptsImages: false },
      {
        name: 'Broken',
        kind: 'chat',
        acceptsImages: false,
        error: 'Broken: init_parameters.model: expected a string, got number.',
      },
      { name: 'Fallback', kind: 'chat', acceptsImages: true },
    ]);
    assert.equal(state.conversation.generator, 'GPT');
    assert.deepEqual(state.history, []);
  });

  it('streams the reply chunk by chunk, in order, then ends with one done carrying model, finish reason, usage and timings', async () => {
    const text = 'Streaming **works**: every chunk arrives in order.';
    server.enqueue(
      completionReply({ text, chunkSize: 3, usage: { prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 } }),
    );
    const conversation = await openConversation();
    await controller.updateSettings(conversation.id, {
      temperature: 0.3,
      maxTokens: 64,
      systemPrompt: 'Answer briefly.',
    });
    await controller.send('req-1', conversation.id, 'GPT', {
      text: 'Hello?',
      attachments: [{ kind: 'selection', label: 'a.ts:1-1', languageId: 'typescript', text: 'let x = 1;' }],
    });

    const request = server.requests[0];
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, `Bearer ${KEY_VALUE}`);
    assert.equal(request.body.stream, true);
    assert.equal(request.body.temperature, 0.3);
    assert.equal(request.body.max_completion_tokens, 64);
    assert.deepEqual(request.body.messages, [
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'Hello?\n\na.ts:1-1:\n```typescript\nlet x = 1;\n```' },
    ]);

    const started = await posts.next('replyStarted', 'req-1');
    assert.equal(started.userMessage?.text, 'Hello?');
    assert.equal(started.reply.status, 'streaming');
    const chunks = posts
      .ofRequest('req-1')
      .filter((m): m is Extract<HostMessage, { type: 'chunk' }> => m.type === 'chunk');
    assert.ok(chunks.length >= Math.ceil(text.length / 3), `only ${chunks.length} chunks`);
    assert.equal(chunks.map((c) => c.text).join(''), text);
    posts.assertSingleEnd('req-1');
    const done = await posts.next('done', 'req-1');
    assert.equal(done.message.status, 'complete');
    assert.equal(done.message.text, text);
    const stats = done.message.stats!;
    assert.equal(stats.generator, 'GPT');
    assert.equal(stats.model, 'gpt-4o-mini');
    assert.equal(stats.finishReason, 'stop');
    assert.deepEqual([stats.promptTokens, stats.completionTokens, stats.totalTokens], [11, 9, 20]);
    assert.ok(stats.timeToFirstTokenMs! >= 0 && stats.totalMs! >= stats.timeToFirstTokenMs!);

    const saved = await store.load(conversation.id);
    assert.equal(saved?.title, 'Hello?');
    assert.deepEqual(
      saved?.messages.map((m) => [m.role, m.status, m.text]),
      [
        ['user', 'complete', 'Hello?'],
        ['assistant', 'complete', text],
      ],
    );
  });

  it('stops a reply mid-stream end to end: the provider connection closes and the partial text is kept, marked stopped', async () => {
    const stalled = watchingClose(stallAfter({ text: 'partial answer that never ends', chunkSize: 8 }, 3));
    server.enqueue(stalled);
    const conversation = await openConversation();
    const sending = controller.send('req-stop', conversation.id, 'GPT', { text: 'Tell me a long story' });
    await posts.until(() => posts.ofRequest('req-stop').filter((m) => m.type === 'chunk').length === 2);
    const midStream = (await controller.state()) as Extract<HostMessage, { type: 'state' }>;
    assert.equal(midStream.streamingRequestId, 'req-stop', 'a reloaded webview is told which reply is still streaming');
    assert.equal(midStream.conversation.messages.at(-1)?.text, 'partial answer t');
    controller.stop('req-stop');
    await stalled.closed;
    await sending;
    const done = await posts.next('done', 'req-stop');
    assert.equal(done.message.status, 'stopped');
    assert.equal(done.message.text, 'partial answer t');
    posts.assertSingleEnd('req-stop');
    await controller.dispose();
    assert.equal((await store.load(conversation.id))?.messages.at(-1)?.status, 'stopped');
  });

  it('shows a provider error inline with the next step, keeps the typed message, and Retry replaces the failed reply', async () => {
    server.enqueue(apiError(401, 'Incorrect API key provided.'));
    const conversation = await openConversation();
    await controller.send('req-err', conversation.id, 'GPT', { text: 'Is my key fine?' });
    const error = await posts.next('error', 'req-err');
    assert.equal(error.message?.status, 'error');
    assert.equal(error.message?.error?.code, 'authentication');
    assert.match(error.message!.error!.nextStep, /Set API Key/);
    assert.equal(error.message?.error?.retryable, true);
    posts.assertSingleEnd('req-err');
    const saved = await store.load(conversation.id);
    assert.deepEqual(
      saved?.messages.map((m) => [m.role, m.status]),
      [
        ['user', 'complete'],
        ['assistant', 'error'],
      ],
    );
    assert.equal(saved?.messages[0].text, 'Is my key fine?');

    await controller.retry('req-retry', conversation.id);
    const done = await posts.next('done', 'req-retry');
    assert.equal(done.message.text, 'Echo: Is my key fine?');
    const retried = await store.load(conversation.id);
    assert.deepEqual(
      retried?.messages.map((m) => [m.role, m.status]),
      [
        ['user', 'complete'],
        ['assistant', 'complete'],
      ],
    );
    assert.ok(!JSON.stringify(posts.messages).includes(KEY_VALUE), 'the key was posted to the webview');
  });

  it('clears the text of a fallback attempt that failed mid-stream and shows which generator answered after which failures', async () => {
    server.enqueue(resetAfter({ text: 'the primary starts to answer and then', chunkSize: 6 }, 4));
    const conversation = await openConversation();
    await controller.send('req-fb', conversation.id, 'Fallback', { text: 'Anyone there?' });
    const done = await posts.next('done', 'req-fb');
    assert.deepEqual(
      server.requests.map((r) => r.body.model),
      ['primary', 'backup'],
    );
    const chunks = posts
      .ofRequest('req-fb')
      .filter((m): m is Extract<HostMessage, { type: 'chunk' }> => m.type === 'chunk');
    const restartAt = chunks.findIndex((c) => c.restart);
    assert.ok(restartAt > 0, 'the primary streamed before failing, then a restart chunk followed');
    assert.equal(
      chunks
        .slice(0, restartAt)
        .map((c) => c.text)
        .join(''),
      'the primary starts',
    );
    assert.equal(
      chunks
        .slice(restartAt)
        .map((c) => c.text ?? '')
        .join(''),
      'Echo: Anyone there?',
    );
    assert.equal(done.message.text, 'Echo: Anyone there?');
    assert.equal(done.message.stats?.model, 'backup');
    assert.equal(done.message.stats?.answeredBy, 'OpenAIChatGenerator');
    assert.equal(done.message.stats?.failedAttempts?.length, 1);
    assert.equal(done.message.stats?.failedAttempts?.[0].generator, 'OpenAIChatGenerator');
    assert.notEqual(done.message.stats?.failedAttempts?.[0].error, '');
  });

  it('hands the typed text back when a request is refused before it starts', async () => {
    await controller.send('req-lost', 'no-such-conversation', 'GPT', { text: 'do not lose me' });
    const error = await posts.next('error', 'req-lost');
    assert.equal(error.message, undefined);
    assert.equal(error.userText, 'do not lose me');
    assert.match(error.reason!, /no longer exists/);
    assert.equal(server.requests.length, 0);
  });

  it('refuses an image for a text generator with an error that says what to do', async () => {
    const conversation = await openConversation();
    await controller.send('req-img', conversation.id, 'Completion', {
      text: 'What is this?',
      images: [{ mimeType: 'image/png', base64: 'iVBORw0KGgo=' }],
    });
    const error = await posts.next('error', 'req-img');
    assert.match(error.message!.error!.message, /does not accept images/);
    assert.equal(server.requests.length, 0);
  });

  it('sends a pasted image to a chat generator that reads images, and refuses bytes that are not the image type claimed', async () => {
    const conversation = await openConversation();
    const png = encodePng(2, 2, () => [255, 0, 0]).toString('base64');
    await controller.send('req-png', conversation.id, 'GPT', {
      text: 'Which colour?',
      images: [{ mimeType: 'image/png', base64: png, name: 'red.png' }],
    });
    await posts.next('done', 'req-png');
    assert.deepEqual(server.requests[0].body.messages[0].content, [
      { type: 'text', text: 'Which colour?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
    ]);

    const notAnImage = Buffer.from('just some text pretending to be a picture').toString('base64');
    await controller.send('req-fake', conversation.id, 'GPT', {
      text: 'And this?',
      images: [{ mimeType: 'image/jpeg', base64: notAnImage, name: 'photo.jpg' }],
    });
    const refused = await posts.next('error', 'req-fake');
    assert.equal(refused.reason, 'photo.jpg is not a valid JPEG image. Attach a PNG, JPEG, GIF or WebP file.');
    assert.equal(refused.userText, 'And this?');
    assert.equal(server.requests.length, 1);
  });

  it('sends a question from an editor command into the open conversation with the selection attached', async () => {
    const conversation = await openConversation();
    await controller.sendFromCommand({
      text: 'Explain this',
      attachments: [{ kind: 'selection', label: 'main.py', languageId: 'python', text: 'print(1)' }],
    });
    const started = await posts.next('replyStarted');
    assert.equal(started.conversationId, conversation.id);
    await posts.next('done', started.requestId);
    assert.deepEqual(server.requests[0].body.messages, [
      { role: 'user', content: 'Explain this\n\nmain.py:\n```python\nprint(1)\n```' },
    ]);
  });

  it("sends an editor command question with the default generator when the open conversation's one was removed or broke", async () => {
    const conversation = await openConversation();
    for (const stale of ['Removed', 'Broken']) {
      await controller.setGenerator(conversation.id, stale);
      const before = server.requests.length;
      // The command's send resolves once the reply has ended.
      await controller.sendFromCommand({ text: `After ${stale}` });
      const end = posts.messages.find((m) => m.type === 'done' || m.type === 'error');
      assert.equal(end?.type, 'done', JSON.stringify(end));
      assert.equal(end.message.stats?.generator, 'GPT');
      assert.equal(conversation.generator, 'GPT', 'the conversation now shows the generator that answered');
      assert.equal(server.requests.length, before + 1);
      assert.equal(server.requests.at(-1)!.body.messages.at(-1).content, `After ${stale}`);
      posts.messages.splice(0);
    }
  });

  it('runs a text generator through its prompt form with the system prompt and settings', async () => {
    const conversation = await openConversation();
    await controller.updateSettings(conversation.id, { systemPrompt: 'You are terse.', maxTokens: 5 });
    await controller.send('req-text', conversation.id, 'Completion', { text: 'Say hi' });
    const done = await posts.next('done', 'req-text');
    assert.equal(done.message.text, 'Echo: Say hi');
    assert.deepEqual(server.requests[0].body.messages, [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Say hi' },
    ]);
    assert.equal(server.requests[0].body.max_tokens, 5);
  });

  it('edits the last message and sends the conversation again without the old reply', async () => {
    const conversation = await openConversation();
    await controller.send('req-a', conversation.id, 'GPT', { text: 'first wording' });
    await controller.editLast('req-b', conversation.id, 'second wording');
    const done = await posts.next('done', 'req-b');
    assert.equal(done.message.text, 'Echo: second wording');
    assert.deepEqual(server.requests[1].body.messages, [{ role: 'user', content: 'second wording' }]);
    const saved = await store.load(conversation.id);
    assert.deepEqual(
      saved?.messages.map((m) => m.text),
      ['second wording', 'Echo: second wording'],
    );
  });

  it('sends the history of the conversation on the next turn', async () => {
    const conversation = await openConversation();
    await controller.send('turn-1', conversation.id, 'GPT', { text: 'one' });
    await controller.send('turn-2', conversation.id, 'GPT', { text: 'two' });
    assert.deepEqual(server.requests[1].body.messages, [
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'Echo: one' },
      { role: 'user', content: 'two' },
    ]);
  });

  it('finds the conversation again after a reload; a reply that was streaming is shown as interrupted', async () => {
    const conversation = await openConversation();
    await controller.send('req-1', conversation.id, 'GPT', { text: 'remember me' });
    const onDisk = (await store.load(conversation.id))!;
    const streamingAtReload: ConversationMessage = {
      id: 'r2',
      role: 'assistant',
      text: 'half a rep',
      status: 'streaming',
      createdAt: Date.now(),
    };
    await store.save({
      ...onDisk,
      messages: [
        ...onDisk.messages,
        { id: 'u2', role: 'user', text: 'more', status: 'complete', createdAt: Date.now() },
        streamingAtReload,
      ],
      updatedAt: Date.now(),
    });

    const reloaded = newController();
    const state = (await reloaded.state()) as Extract<HostMessage, { type: 'state' }>;
    assert.equal(state.conversation.id, conversation.id);
    assert.equal(state.streamingRequestId, undefined);
    assert.deepEqual(
      state.conversation.messages.map((m) => [m.text, m.status]),
      [
        ['remember me', 'complete'],
        ['Echo: remember me', 'complete'],
        ['more', 'complete'],
        ['half a rep', 'interrupted'],
      ],
    );
    assert.deepEqual(
      state.history.map((h) => h.id),
      [conversation.id],
    );
    await reloaded.dispose();
  });

  it('exports a conversation as Markdown and as Haystack ChatMessage dicts', async () => {
    const conversation = await openConversation();
    await controller.updateSettings(conversation.id, { systemPrompt: 'Be kind.' });
    await controller.send('req-x', conversation.id, 'GPT', { text: 'Hi there' });
    const markdown = await controller.exportConversation(conversation.id, 'markdown');
    assert.equal(
      markdown?.content,
      '# Hi there\n\nGenerator: GPT\n\n## System\n\nBe kind.\n\n## User\n\nHi there\n\n## Assistant\n\nEcho: Hi there\n',
    );
    const json = JSON.parse((await controller.exportConversation(conversation.id, 'haystack'))!.content);
    assert.deepEqual(json[0], { role: 'system', meta: {}, name: null, content: [{ text: 'Be kind.' }] });
    assert.deepEqual(json[1], { role: 'user', meta: {}, name: null, content: [{ text: 'Hi there' }] });
    assert.equal(json[2].role, 'assistant');
    assert.deepEqual(json[2].content, [{ text: 'Echo: Hi there' }]);
    assert.equal(json[2].meta.model, 'gpt-4o-mini');
    assert.equal(json[2].meta.finish_reason, 'stop');
  });

  it('keeps concurrent requests in different conversations apart', async () => {
    const first = await openConversation();
    await controller.newChat();
    const second = (posts.messages.at(-1) as Extract<HostMessage, { type: 'conversation' }>).conversation;
    await Promise.all([
      controller.send('c-1', first.id, 'GPT', { text: 'alpha alpha alpha' }),
      controller.send('c-2', second.id, 'GPT', { text: 'beta beta beta' }),
    ]);
    const text = (id: string) =>
      posts
        .ofRequest(id)
        .flatMap((m) => (m.type === 'chunk' && m.text ? [m.text] : []))
        .join('');
    assert.equal(text('c-1'), 'Echo: alpha alpha alpha');
    assert.equal(text('c-2'), 'Echo: beta beta beta');
    posts.assertSingleEnd('c-1');
    posts.assertSingleEnd('c-2');
  });
});
