// Compare mode through the chat controller: the lanes' messages, the comparison kept with the conversation until a
// reply is picked, stop by any lane id, and the protocol's checks on the webview's compare messages.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Generator } from '../../../../../src/core/generator';
import { Secret, setSecretResolver } from '../../../../../src/core/secret';
import { OpenAIChatGenerator } from '../../../../../src/generators/openai/openAIChatGenerator';
import { OpenAIGenerator } from '../../../../../src/generators/openai/openAIGenerator';
import { ChatController } from '../../../../../src/host/chat/chatController';
import { ConversationStore } from '../../../../../src/host/chat/conversations/conversationStore';
import type { ConfiguredGenerator } from '../../../../../src/host/registry/registryService';
import type { HostMessage } from '../../../../../src/shared/protocol';
import { parseWebviewMessage } from '../../../../../src/shared/webviewMessageParser';
import { completionReply, startOpenAIServer, streamEvents } from '../../../../servers/openaiChatCompletions';
import { startSse, writeSse, type RecordedRequest } from '../../../../servers/testServer';
import { useTestServer } from '../../../../helpers/suiteServer';

const KEY_NAME = 'COMPARE_CONTROLLER_KEY';

describe('chat controller: compare mode', function () {
  this.timeout(15_000);
  const openai = useTestServer(startOpenAIServer);
  let directory: string;
  let restoreResolver: () => void;
  let posts: HostMessage[];
  let controller: ChatController;
  let store: ConversationStore;
  let generators: Record<string, Generator>;

  before(async () => {
    restoreResolver = setSecretResolver((name) => (name === KEY_NAME ? 'sk-compare-controller-0123' : undefined));
  });
  after(() => restoreResolver());
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'compare-controller-'));
    posts = [];
    openai.requests.length = 0;
    const common = { apiKey: Secret.fromEnvVar(KEY_NAME), apiBaseUrl: `${openai.url}/v1`, maxRetries: 0, timeout: 5 };
    generators = {
      Mini: new OpenAIChatGenerator({ ...common, model: 'gpt-4o-mini' }),
      Big: new OpenAIChatGenerator({ ...common, model: 'gpt-4o' }),
      Completion: new OpenAIGenerator({ ...common, model: 'gpt-4o-mini' }),
    };
    const entries = (): ConfiguredGenerator[] =>
      Object.entries(generators).map(([name, g]) => ({ name, type: g.typeName, kind: g.kind }));
    store = new ConversationStore(directory, () => assert.fail('no conversation file should be corrupt'));
    controller = new ChatController({
      registry: { list: entries, get: (name) => generators[name], defaultName: () => 'Mini' },
      store,
      post: (message) => posts.push(structuredClone(message)),
      log: { info: () => {}, warn: () => {}, error: () => {} },
      saveIntervalMs: 0,
    });
  });
  afterEach(async () => {
    await controller.dispose();
    await rm(directory, { recursive: true, force: true });
  });

  const ends = (id: string) => posts.filter((m) => (m.type === 'done' || m.type === 'error') && m.requestId === id);

  it('streams every lane, keeps the comparison out of the messages until one reply is picked, then continues with it', async () => {
    const conversation = (await controller.conversation())!;
    openai.enqueue(
      completionReply({ text: 'Small answer' }),
      completionReply({ text: 'Big answer' }),
      completionReply({ text: 'Completed answer' }),
    );
    await controller.compare('cmp', conversation.id, ['Mini', 'Big', 'Completion'], { text: 'Which is best?' });
    const started = posts.find((m) => m.type === 'compareStarted');
    assert.ok(started && started.type === 'compareStarted');
    assert.deepEqual(
      started.lanes.map((l) => [l.laneId, l.generator]),
      [
        ['cmp_lane0', 'Mini'],
        ['cmp_lane1', 'Big'],
        ['cmp_lane2', 'Completion'],
      ],
    );
    assert.equal(started.userMessage.text, 'Which is best?');
    for (const lane of started.lanes) assert.equal(ends(lane.laneId).length, 1);
    assert.deepEqual(openai.requests.map((r) => [r.path, r.body.model]).sort(), [
      ['/v1/chat/completions', 'gpt-4o'],
      ['/v1/chat/completions', 'gpt-4o-mini'],
      ['/v1/chat/completions', 'gpt-4o-mini'],
    ]);

    const live = (await controller.conversation(conversation.id))!;
    assert.deepEqual(
      live.messages.map((m) => m.role),
      ['user'],
    );
    assert.deepEqual(
      live.comparison?.lanes.map((l) => [l.reply.status, l.reply.text]),
      [
        ['complete', 'Small answer'],
        ['complete', 'Big answer'],
        ['complete', 'Completed answer'],
      ],
    );
    await store.idle();
    assert.equal(
      (await store.load(conversation.id))?.comparison?.lanes.length,
      3,
      'the comparison is saved with the conversation',
    );

    await controller.pickCompared(conversation.id, 'cmp', 'cmp_lane1');
    const picked = posts.at(-1) as Extract<HostMessage, { type: 'conversation' }>;
    assert.equal(picked.type, 'conversation');
    assert.equal(picked.conversation.comparison, undefined);
    assert.equal(picked.conversation.generator, 'Big');
    assert.deepEqual(
      picked.conversation.messages.map((m) => [m.role, m.text]),
      [
        ['user', 'Which is best?'],
        ['assistant', 'Big answer'],
      ],
    );

    openai.enqueue(completionReply({ text: 'Going on' }));
    await controller.send('next', conversation.id, 'Big', { text: 'Go on' });
    assert.deepEqual(
      openai.requests.at(-1)?.body.messages.map((m: { role: string; content: string }) => [m.role, m.content]),
      [
        ['user', 'Which is best?'],
        ['assistant', 'Big answer'],
        ['user', 'Go on'],
      ],
    );
  });

  it('stops every lane when any one lane is stopped, and blocks sends meanwhile', async () => {
    const conversation = (await controller.conversation())!;
    let closed = 0;
    const held = (request: RecordedRequest, response: ServerResponse) => {
      startSse(response);
      for (const event of streamEvents(request, { text: 'Partial words here', chunkSize: 5 }).slice(0, 2))
        writeSse(response, event);
      response.on('close', () => closed++);
    };
    openai.enqueue(held, held);
    const running = controller.compare('cmp2', conversation.id, ['Mini', 'Big'], { text: 'Slow please' });
    await waitFor(() => posts.filter((m) => m.type === 'chunk').length >= 2);
    assert.equal(controller.currentRequestId()?.startsWith('cmp2_lane'), true, 'the Stop shortcut sees the comparison');
    await controller.send('blocked', conversation.id, 'Mini', { text: 'Meanwhile' });
    assert.match((posts.at(-1) as { reason?: string }).reason ?? '', /still streaming/);
    controller.stop('cmp2_lane1');
    await running;
    const lanes = (await controller.conversation(conversation.id))!.comparison!.lanes;
    assert.deepEqual(
      lanes.map((l) => [l.reply.status, l.reply.text]),
      [
        ['stopped', 'Parti'],
        ['stopped', 'Parti'],
      ],
    );
    await waitFor(() => closed === 2);
    assert.equal(controller.currentRequestId(), undefined);
  });

  it('refuses fewer than two different generators, picks of unknown lanes, and drops the comparison when the user goes on', async () => {
    const conversation = (await controller.conversation())!;
    await controller.compare('one', conversation.id, ['Mini', 'Mini'], { text: 'Only one' });
    assert.deepEqual(posts.at(-1), {
      type: 'error',
      requestId: 'one',
      reason: 'Compare needs 2 to 4 different generators.',
      userText: 'Only one',
    });
    openai.enqueue(completionReply({ text: 'A' }), completionReply({ text: 'B' }));
    await controller.compare('cmp3', conversation.id, ['Mini', 'Big'], { text: 'Two' });
    await controller.pickCompared(conversation.id, 'cmp3', 'cmp3_lane7');
    assert.deepEqual(posts.at(-1), {
      type: 'notice',
      level: 'error',
      text: 'That comparison is no longer open, or is still streaming.',
    });
    openai.enqueue(completionReply({ text: 'Plain' }));
    await controller.send('plain', conversation.id, 'Mini', { text: 'Never mind' });
    const live = (await controller.conversation(conversation.id))!;
    assert.equal(live.comparison, undefined);
    assert.deepEqual(
      live.messages.map((m) => m.text),
      ['Two', 'Never mind', 'Plain'],
    );
  });

  it('validates compare and pick messages from the webview', () => {
    const compare = {
      type: 'compare',
      requestId: 'r1',
      conversationId: 'c1',
      generators: ['A', 'B'],
      text: 'hi',
      attachments: [],
      images: [],
    };
    assert.deepEqual(parseWebviewMessage(compare), { ok: true, message: compare });
    assert.deepEqual(parseWebviewMessage({ ...compare, generators: ['A'] }), {
      ok: false,
      reason: 'generators: compare needs at least 2',
    });
    assert.deepEqual(parseWebviewMessage({ ...compare, generators: ['A', 'B', 'C', 'D', 'E'] }), {
      ok: false,
      reason: 'generators: more than 4 items',
    });
    assert.equal(parseWebviewMessage({ ...compare, generators: ['A', ''] }).ok, false);
    assert.deepEqual(
      parseWebviewMessage({ type: 'pickCompared', conversationId: 'c1', requestId: 'r1', laneId: 'r1_lane0' }).ok,
      true,
    );
    assert.equal(
      parseWebviewMessage({ type: 'pickCompared', conversationId: 'c1', requestId: 'r1', laneId: 'r1#0' }).ok,
      false,
    );
  });
});

/** Resolves once `condition` holds, checking every 10 ms for at most 10 s. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('Timed out waiting for the condition.');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
