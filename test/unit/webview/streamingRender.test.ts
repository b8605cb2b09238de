import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { ConversationMessage } from '../../../src/shared/protocol';
import { FrameScheduler } from '../../../webview/frameScheduler';
import { createMarkdownRenderer, type MarkdownRenderer } from '../../../webview/markdown';
import { MarkdownBlockSplitter } from '../../../webview/markdownBlocks';
import { ReplyView } from '../../../webview/replyView';

describe('chat streaming render', () => {
  describe('MarkdownBlockSplitter', () => {
    it('completes blocks at blank lines and keeps the rest as the tail', () => {
      const splitter = new MarkdownBlockSplitter();
      assert.deepEqual(splitter.push('# Ti'), []);
      assert.equal(splitter.tail, '# Ti');
      assert.deepEqual(splitter.push('tle\n\nFirst para'), ['# Title\n']);
      assert.equal(splitter.tail, 'First para');
      assert.deepEqual(splitter.push('graph.\n\n\n- a\n- b'), ['First paragraph.\n']);
      assert.equal(splitter.finish(), '- a\n- b');
    });

    it('keeps fenced code whole, blank lines included, and completes it at the closing fence', () => {
      const splitter = new MarkdownBlockSplitter();
      const blocks = [...splitter.push('Intro\n```py\ndef f():\n\n    return 1\n'), ...splitter.push('```\nAfter')];
      assert.deepEqual(blocks, ['Intro\n', '```py\ndef f():\n\n    return 1\n```\n']);
      assert.equal(splitter.finish(), 'After');
    });

    it('gives the same blocks however the text is chunked', () => {
      const text = 'Para one\nstill one\n\n~~~\ncode\n\n~~~\n\n> quote\n\n```\nunclosed\n\nfence';
      const whole = new MarkdownBlockSplitter();
      const expected = [...whole.push(text), whole.finish()];
      for (const size of [1, 2, 3, 7]) {
        const splitter = new MarkdownBlockSplitter();
        const blocks: (string | undefined)[] = [];
        for (let i = 0; i < text.length; i += size) blocks.push(...splitter.push(text.slice(i, i + size)));
        blocks.push(splitter.finish());
        assert.deepEqual(blocks, expected, `chunk size ${size}`);
      }
    });
  });

  describe('ReplyView', () => {
    let dom: JSDOM;
    let frames: (() => void)[];
    let scheduler: FrameScheduler;
    let rendered: string[];
    let renderer: MarkdownRenderer;
    const saved: Record<string, unknown> = {};

    before(() => {
      dom = new JSDOM('<!DOCTYPE html><body></body>');
      for (const name of ['document', 'window']) saved[name] = (globalThis as Record<string, unknown>)[name];
      Object.assign(globalThis, { document: dom.window.document, window: dom.window });
      const real = createMarkdownRenderer(dom.window as unknown as Window & typeof globalThis);
      renderer = { render: (markdown) => (rendered.push(markdown), real.render(markdown)) };
    });

    after(() => Object.assign(globalThis, saved));

    beforeEach(() => {
      frames = [];
      rendered = [];
      scheduler = new FrameScheduler((callback) => frames.push(callback));
    });

    const frame = () => frames.splice(0).forEach((callback) => callback());
    const streaming = (): ConversationMessage => ({
      id: 'r1',
      role: 'assistant',
      text: '',
      status: 'streaming',
      createdAt: 0,
    });
    const actions = { copy: () => {}, retry: () => {}, code: () => {} };

    it('paints once per frame however many chunks arrived, appending without re-rendering earlier blocks', () => {
      const view = new ReplyView(streaming(), { renderer, scheduler, actions });
      const content = view.element.querySelector('.content')!;
      view.appendText('Hel');
      view.appendText('lo');
      assert.equal(frames.length, 1, 'one frame requested for two chunks');
      assert.equal(content.textContent, '', 'nothing painted before the frame');
      frame();
      assert.equal(content.querySelector('.tail')?.textContent, 'Hello');
      view.appendText(' world.\n\nSecond');
      frame();
      const firstBlock = content.querySelector('p');
      assert.equal(firstBlock?.textContent, 'Hello world.');
      assert.equal(content.querySelector('.tail')?.textContent, 'Second');
      view.appendText(' paragraph.\n\nThird');
      frame();
      assert.equal(content.querySelector('p'), firstBlock, 'the first block was not rendered again');
      assert.deepEqual(rendered, ['Hello world.\n', 'Second paragraph.\n']);
      view.finish({
        ...streaming(),
        text: 'Hello world.\n\nSecond paragraph.\n\nThird',
        status: 'complete',
        stats: {
          generator: 'GPT',
          model: 'gpt-4o-mini',
          finishReason: 'stop',
          promptTokens: 3,
          completionTokens: 5,
          timeToFirstTokenMs: 42,
          totalMs: 1500,
        },
      });
      assert.equal(content.querySelector('p'), firstBlock);
      assert.equal(content.querySelector('.tail'), null);
      assert.deepEqual(
        Array.from(content.querySelectorAll('p'), (p) => p.textContent),
        ['Hello world.', 'Second paragraph.', 'Third'],
      );
      assert.equal(
        view.element.querySelector('.stats')?.textContent,
        'GPT (gpt-4o-mini) · finish: stop · tokens: 3 in / 5 out · first token 42 ms · total 1.5 s',
      );
    });

    it('renders each part of a long reply exactly once: total work is linear in its length', () => {
      const view = new ReplyView(streaming(), { renderer, scheduler, actions });
      const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. ';
      let text = '';
      for (let i = 0; i < 400; i++) {
        const chunk = i % 10 === 9 ? '\n\n' : paragraph.slice(0, 8) + ' ';
        text += chunk;
        view.appendText(chunk);
        if (i % 5 === 0) frame();
      }
      view.finish({ ...streaming(), text, status: 'complete' });
      while (frames.length > 0) frame();
      const renderedChars = rendered.reduce((sum, block) => sum + block.length, 0);
      assert.ok(
        renderedChars <= text.length,
        `rendered ${renderedChars} characters for a ${text.length}-character reply`,
      );
      assert.equal(rendered.length, 40);
      assert.equal(
        view.element.querySelector('.content')!.childElementCount,
        3,
        'finished blocks are grouped, not one child each',
      );
    });

    it('renders the blocks of a late frame within its time budget, shows the rest as text and ends up the same', () => {
      let clock = 0;
      const budgeted = new FrameScheduler(
        (callback) => frames.push(callback),
        () => clock,
      );
      const slowRenderer: MarkdownRenderer = { render: (markdown) => ((clock += 3), renderer.render(markdown)) };
      const view = new ReplyView(streaming(), { renderer: slowRenderer, scheduler: budgeted, actions });
      const content = view.element.querySelector('.content')!;
      const blocks = Array.from({ length: 7 }, (_, i) => `Paragraph ${i} with *emphasis*.\n\n`);
      const text = `${blocks.join('')}Tail`;
      view.appendText(text);
      frame();
      // 3 ms per block against an 8 ms budget: three blocks in this frame, the rest as plain text, in order.
      assert.deepEqual(
        Array.from(content.querySelectorAll('p'), (p) => p.textContent),
        ['Paragraph 0 with emphasis.', 'Paragraph 1 with emphasis.', 'Paragraph 2 with emphasis.'],
      );
      assert.equal(content.querySelector('.tail')?.textContent, `${blocks.slice(3).join('')}Tail`);
      assert.equal(frames.length, 1, 'the rest is carried over to the next frame');
      // The reply ends before that frame: its status shows at once, its last blocks still render a budget at a time.
      view.finish({ ...streaming(), text, status: 'complete' });
      assert.equal(view.element.dataset.status, 'complete');
      assert.equal(content.querySelectorAll('p').length, 7);
      assert.equal(content.querySelector('.tail')?.textContent, 'Tail');
      while (frames.length > 0) frame();
      assert.equal(content.querySelector('.tail'), null);

      const reference = new ReplyView({ ...streaming(), id: 'r0' }, { renderer, scheduler, actions });
      reference.appendText(text);
      frame();
      reference.finish({ ...streaming(), id: 'r0', text, status: 'complete' });
      while (frames.length > 0) frame();
      assert.equal(content.innerHTML, reference.element.querySelector('.content')!.innerHTML);
      assert.equal(view.displayedText, reference.displayedText);
    });

    it('paints the first token in the next frame even when the frame has no budget left', () => {
      let clock = 0;
      const budgeted = new FrameScheduler(
        (callback) => frames.push(callback),
        () => clock,
      );
      const hog = { paint: () => void (clock += 100) };
      const view = new ReplyView(streaming(), { renderer, scheduler: budgeted, actions });
      budgeted.request(hog);
      view.appendText('First');
      frame();
      assert.equal(view.element.querySelector('.tail')?.textContent, 'First');
      assert.equal(frames.length, 0, 'nothing left for another frame');
    });

    it('clears the partial text when a fallback attempt restarts, and shows a stop as stopped with the text kept', () => {
      const view = new ReplyView(streaming(), { renderer, scheduler, actions });
      view.appendText('failed attempt text');
      frame();
      view.restart();
      view.appendText('Winner');
      frame();
      assert.equal(view.element.querySelector('.content')?.textContent, 'Winner');
      view.finish({ ...streaming(), text: 'Winner', status: 'stopped' });
      assert.equal(view.element.querySelector('.content')?.textContent?.trim(), 'Winner');
      assert.equal(view.element.querySelector('.status')?.textContent, 'Stopped');
    });

    it('shows an error inline with its next step and a Retry button', () => {
      let retried = 0;
      const view = new ReplyView(streaming(), { renderer, scheduler, actions: { ...actions, retry: () => retried++ } });
      view.finish({
        ...streaming(),
        status: 'error',
        error: {
          message: 'Incorrect API key provided.',
          code: 'authentication',
          nextStep: "Update it with 'Generators: Set API Key', then Retry.",
          retryable: true,
        },
      });
      const error = view.element.querySelector('[role="alert"]');
      assert.match(error?.textContent ?? '', /Incorrect API key provided\..*Set API Key/);
      const retry = view.element.querySelector('vscode-button[aria-label="Retry after the error"]') as HTMLElement;
      retry.click();
      assert.equal(retried, 1);
    });

    it('adds Copy / Insert / Replace buttons to code blocks', () => {
      const calls: [string, string][] = [];
      const view = new ReplyView(
        { id: 'r2', role: 'assistant', text: '```js\nlet a = 1;\n```', status: 'complete', createdAt: 0 },
        { renderer, scheduler, actions: { ...actions, code: (code, mode) => calls.push([code, mode]) } },
      );
      for (const label of ['Copy code', 'Insert code at cursor', 'Replace selection with code'])
        (view.element.querySelector(`vscode-button[aria-label="${label}"]`) as HTMLElement).click();
      assert.deepEqual(calls, [
        ['let a = 1;\n', 'copy'],
        ['let a = 1;\n', 'insert'],
        ['let a = 1;\n', 'replace'],
      ]);
    });
  });
});
