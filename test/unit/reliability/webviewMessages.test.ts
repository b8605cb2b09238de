// The chat view's VS Code edge (chatViewProvider.ts) with a stand-in `vscode` module: messages from a compromised
// webview that do not match the protocol are dropped and logged, nothing reaches the controller or a provider,
// and well-formed messages still work. Also checks the webview options the edge sets.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneratorRegistry } from '../../../src/host/registry/generatorRegistry';
import type { HostServices } from '../../../src/host/platform/hostServices';
import type { HostMessage } from '../../../src/shared/protocol';
import { openAIChatRoutes } from '../../servers/openaiChatCompletions';
import { startTestServer } from '../../servers/testServer';
import { useTestServer } from '../../helpers/suiteServer';
import { InputGenerator } from '../../helpers/fuzzInputs';
import { installVscodeStub, registrations, vscode, type StubUri } from '../../helpers/vscodeStub.cjs';

const KEY_NAME = 'GENERATORS_WEBVIEW_EDGE_TEST_KEY';
const INVALID = 300;

interface FakeView {
  webview: {
    options: { enableScripts?: boolean; enableCommandUris?: boolean; localResourceRoots?: StubUri[] };
    html: string;
    cspSource: string;
    asWebviewUri(uri: StubUri): StubUri;
    postMessage(message: HostMessage): Promise<boolean>;
    onDidReceiveMessage(listener: (message: unknown) => void): { dispose(): void };
  };
  visible: boolean;
  show(): void;
  onDidChangeVisibility(): { dispose(): void };
  onDidDispose(): { dispose(): void };
}

describe('reliability: the chat view drops and logs messages that break the protocol', function () {
  this.timeout(20_000);
  let restoreVscode: () => void;
  let storage: string;
  const server = useTestServer(() => startTestServer(openAIChatRoutes()));

  before(async () => {
    restoreVscode = installVscodeStub();
    storage = await mkdtemp(join(tmpdir(), 'reliability-webview-edge-'));
    process.env[KEY_NAME] = 'sk-webview-edge-test';
  });
  after(async () => {
    restoreVscode();
    delete process.env[KEY_NAME];
    await rm(storage, { recursive: true, force: true });
  });

  it(`drops ${INVALID} invalid messages with a log line each, answers the valid ones, never opens a script link`, async () => {
    const { registerChatView } = await import('../../../src/host/chat/registerChatView');
    const { CHAT_VIEW_ID } = await import('../../../src/host/chat/chatViewProvider');
    const logged: { level: string; message: string }[] = [];
    const line = (level: string) => (message: string) => void logged.push({ level, message });
    const registry = new GeneratorRegistry({
      generators: [
        {
          name: 'GPT',
          type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator',
          init_parameters: {
            api_base_url: `${server.url}/v1`,
            api_key: { type: 'env_var', env_vars: [KEY_NAME] },
            max_retries: 0,
          },
        },
      ],
      defaults: { chat: 'GPT' },
    });
    const subscriptions: { dispose(): unknown }[] = [];
    const services = {
      context: {
        extensionUri: vscode.Uri.file('/extension'),
        globalStorageUri: vscode.Uri.file(storage),
        subscriptions,
      },
      log: { info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug'), trace: line('trace') },
      registry,
    } as unknown as HostServices;
    registerChatView(services);
    const provider = registrations.webviewViews.find((view) => view.id === CHAT_VIEW_ID)?.provider as {
      resolveWebviewView(view: FakeView): void;
    };

    const posted: HostMessage[] = [];
    let receive!: (message: unknown) => void;
    const view: FakeView = {
      webview: {
        options: {},
        html: '',
        cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
        asWebviewUri: (uri) => uri,
        postMessage: async (message) => (posted.push(structuredClone(message)), true),
        onDidReceiveMessage: (listener) => ((receive = listener), { dispose() {} }),
      },
      visible: true,
      show() {},
      onDidChangeVisibility: () => ({ dispose() {} }),
      onDidDispose: () => ({ dispose() {} }),
    };
    provider.resolveWebviewView(view);
    assert.equal(view.webview.options.enableCommandUris, false, 'command: links in replies cannot run commands');
    assert.deepEqual(
      view.webview.options.localResourceRoots?.map((u) => u.fsPath),
      ['/extension/dist', '/extension/media'],
    );
    assert.match(view.webview.html, /script-src 'nonce-[^']+'/);
    assert.doesNotMatch(view.webview.html, /unsafe-inline|unsafe-eval/);

    // Invalid messages: mutated valid ones, random values, pollution keys. Each is dropped at once and logged.
    const gen = new InputGenerator(0x5eed);
    const valid = [
      {
        type: 'send',
        requestId: 'r1',
        conversationId: 'c1',
        generator: 'GPT',
        text: 'hi',
        attachments: [],
        images: [],
      },
      { type: 'openLink', href: 'https://example.com' },
      { type: 'stop', requestId: 'r1' },
    ];
    let dropped = 0;
    for (let i = 0; i < INVALID; i++) {
      const message = i % 3 === 0 ? gen.value(3) : gen.mutate(gen.pick(valid));
      const warnings = logged.filter((l) => l.level === 'warn').length;
      receive(message);
      const added = logged.filter((l) => l.level === 'warn').slice(warnings);
      if (added.length === 0) continue; // the mutation happened to leave the message valid
      dropped++;
      assert.equal(added.length, 1);
      assert.match(added[0]!.message, /^Chat webview: dropped an invalid message \(.+\)\.$/);
      assert.ok(added[0]!.message.length < 400, 'the log line does not echo a huge message');
    }
    assert.ok(dropped > INVALID * 0.8, `only ${dropped} of ${INVALID} were invalid`);
    assert.equal(server.requests.length, 0, 'no invalid message reached a provider');

    // A well-formed but hostile request: a script link is refused with a notice, not opened.
    receive({ type: 'openLink', href: 'javascript:alert(document.cookie)' });
    // Valid messages still work: the snapshot on `ready`, then a chat turn streamed back.
    receive({ type: 'ready' });
    const state = await until(posted, (m) => m.type === 'state');
    assert.ok(state.type === 'state');
    assert.ok(
      posted.some((m) => m.type === 'notice' && /"javascript:" are not opened/.test(m.text)),
      JSON.stringify(posted.filter((m) => m.type === 'notice')),
    );
    receive({
      type: 'send',
      requestId: 'ok-1',
      conversationId: state.conversation.id,
      generator: 'GPT',
      text: 'after the noise',
      attachments: [],
      images: [],
    });
    const done = await until(posted, (m) => m.type === 'done' && m.requestId === 'ok-1');
    assert.ok(done.type === 'done' && done.message.text === 'Echo: after the noise');
    assert.equal(server.requests.length, 1);

    for (const subscription of subscriptions) await subscription.dispose();
    await registry.shutdown();
  });
});

/** Resolves with the first posted message matching `match`, checking after every turn of the event loop. */
async function until(posted: HostMessage[], match: (m: HostMessage) => boolean): Promise<HostMessage> {
  for (;;) {
    const found = posted.find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
