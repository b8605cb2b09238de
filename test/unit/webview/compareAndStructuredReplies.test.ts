// The webview side of compare mode, usage and structured output, in a jsdom document: lanes side by side streaming
// under their lane ids, the pick button, the generator ticks, and a reply's rates and schema check.
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { CompareLaneView, Conversation, ConversationMessage } from '../../../src/shared/protocol';
import { ComparePicker } from '../../../webview/comparePicker';
import { ConversationView } from '../../../webview/conversationView';
import { FrameScheduler } from '../../../webview/frameScheduler';
import { createMarkdownRenderer } from '../../../webview/markdown';
import { ReplyView } from '../../../webview/replyView';

describe('compare mode, usage and structured output in the webview', () => {
  const saved: Record<string, unknown> = {};
  let frames: (() => void)[];
  let deps: ConstructorParameters<typeof ReplyView>[1] & { scheduler: FrameScheduler };

  before(() => {
    const dom = new JSDOM('<!DOCTYPE html><body></body>');
    for (const name of ['document', 'window']) saved[name] = (globalThis as Record<string, unknown>)[name];
    Object.assign(globalThis, { document: dom.window.document, window: dom.window });
    deps = {
      renderer: createMarkdownRenderer(dom.window as unknown as Window & typeof globalThis),
      scheduler: new FrameScheduler((callback) => frames.push(callback)),
      actions: { copy: () => {}, retry: () => {}, code: () => {} },
    };
  });
  after(() => Object.assign(globalThis, saved));
  beforeEach(() => (frames = []));

  const reply = (id: string, extra: Partial<ConversationMessage> = {}): ConversationMessage => ({
    id,
    role: 'assistant',
    text: '',
    status: 'streaming',
    createdAt: 0,
    ...extra,
  });
  const lanes = (): CompareLaneView[] => [
    { laneId: 'r1_lane0', generator: 'GPT', reply: reply('a') },
    { laneId: 'r1_lane1', generator: 'Local', reply: reply('b') },
  ];

  it('streams each lane side by side by its lane id and offers Continue once a lane has a reply', () => {
    const picks: string[][] = [];
    const view = new ConversationView(deps, { copy: () => {}, edit: () => {} }, (requestId, laneId) =>
      picks.push([requestId, laneId]),
    );
    const conversation: Conversation = { id: 'c1', title: 't', settings: {}, messages: [], createdAt: 0, updatedAt: 0 };
    view.show(conversation);
    view.compareStarted(
      'r1',
      'c1',
      { id: 'u', role: 'user', text: 'Which?', status: 'complete', createdAt: 0 },
      lanes(),
    );
    assert.equal(view.activeRequestId, 'r1_lane0', 'Stop targets a lane, which stops the whole comparison');
    view.chunk({ type: 'chunk', requestId: 'r1_lane1', text: 'abc' });
    view.chunk({ type: 'chunk', requestId: 'r1_lane0', text: 'Hello' });
    frames.splice(0).forEach((frame) => frame());
    const laneElements = Array.from(view.element.querySelectorAll('.compare .compare-lane'));
    assert.deepEqual(
      laneElements.map((lane) => [
        lane.querySelector('header')?.textContent,
        lane.querySelector('.content')?.textContent,
      ]),
      [
        ['GPT', 'Hello'],
        ['Local', 'abc'],
      ],
    );
    const continueGpt = view.element.querySelector(
      'vscode-button[aria-label="Continue with \\"GPT\\""]',
    ) as HTMLElement;
    assert.equal(continueGpt.hasAttribute('disabled'), true, 'no pick while streaming');
    view.finish('r1_lane0', {
      ...reply('a'),
      text: 'Hello',
      status: 'complete',
      stats: { generator: 'GPT', completionTokens: 2, tokensPerSecond: 12.5, costUsd: 0.00012 },
    });
    view.finish('r1_lane1', {
      ...reply('b'),
      text: '',
      status: 'error',
      error: { message: 'boom', code: 'server', nextStep: 'Retry', retryable: true },
    });
    assert.equal(continueGpt.hasAttribute('disabled'), false);
    assert.equal(
      view.element.querySelector('vscode-button[aria-label="Continue with \\"Local\\""]')?.hasAttribute('disabled'),
      true,
      'a failed lane cannot be picked',
    );
    assert.equal(view.activeRequestId, undefined);
    assert.equal(laneElements[0].querySelector('.rates')?.textContent, '12.5 tok/s · ≈ $0.00012 (estimate)');
    continueGpt.dispatchEvent(new window.Event('click'));
    assert.deepEqual(picks, [['r1', 'r1_lane0']]);

    // Reopened from the store, the open comparison shows again.
    view.show({
      ...conversation,
      comparison: {
        requestId: 'r1',
        lanes: lanes().map((lane) => ({ ...lane, reply: { ...lane.reply, status: 'complete', text: 'x' } })),
      },
    });
    assert.equal(view.element.querySelectorAll('.compare .compare-lane').length, 2);
  });

  it('ticks two to four generators; only then does the next message go to all of them', () => {
    const picker = new ComparePicker();
    const options = ['A', 'B', 'C', 'D', 'E'].map((name) => ({ name, kind: 'chat' as const, acceptsImages: false }));
    picker.render([
      ...options,
      { name: 'Broken', kind: 'chat', acceptsImages: false, error: 'bad' },
      { name: 'Images', kind: 'image', acceptsImages: false },
    ]);
    const boxes = () => Array.from(picker.element.querySelectorAll('input'));
    assert.deepEqual(
      boxes().map((box) => box.value),
      ['A', 'B', 'C', 'D', 'E'],
    );
    const tick = (name: string) => {
      const box = boxes().find((b) => b.value === name)!;
      box.checked = true;
      box.dispatchEvent(new window.Event('change'));
    };
    tick('A');
    assert.equal(picker.generators, undefined, 'closed');
    picker.toggle();
    assert.equal(picker.generators, undefined, 'one is not a comparison');
    for (const name of ['B', 'C', 'D']) tick(name);
    assert.deepEqual(picker.generators, ['A', 'B', 'C', 'D']);
    assert.equal(boxes().find((b) => b.value === 'E')?.disabled, true, 'at most four');
    assert.match(picker.element.querySelector('.hint')?.textContent ?? '', /goes to 4 generators/);
    picker.toggle();
    assert.equal(picker.generators, undefined, 'closing compare mode sends normally again');
  });

  it('shows a structured reply as valid or lists what failed, with the formatted JSON', () => {
    const view = new ReplyView(
      reply('s', {
        status: 'complete',
        text: '{"a":-1}',
        structuredOutput: {
          schemaName: 'facts',
          valid: false,
          formatted: '{\n  "a": -1\n}',
          errors: ['/a must be >= 0'],
        },
      }),
      deps,
    );
    const block = view.element.querySelector('.structured-output') as HTMLElement;
    assert.equal(block.hidden, false);
    assert.equal(block.classList.contains('invalid'), true);
    assert.equal(block.querySelector('strong')?.textContent, 'Does not match the schema "facts"');
    assert.deepEqual(
      Array.from(block.querySelectorAll('li'), (li) => li.textContent),
      ['/a must be >= 0'],
    );
    assert.equal(block.querySelector('pre')?.textContent, '{\n  "a": -1\n}');
    const plain = new ReplyView(reply('p', { status: 'complete', text: 'hi' }), deps);
    assert.equal((plain.element.querySelector('.structured-output') as HTMLElement).hidden, true);
  });
});
