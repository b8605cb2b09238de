import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { ImageAttachment, TextAttachment } from '../../../src/shared/protocol';
import { Composer, type ComposerHandlers } from '../../../webview/composer';

describe('chat composer', () => {
  let dom: JSDOM;
  const saved: Record<string, unknown> = {};

  before(() => {
    dom = new JSDOM('<!DOCTYPE html><body></body>');
    for (const name of ['document', 'window']) saved[name] = (globalThis as Record<string, unknown>)[name];
    Object.assign(globalThis, { document: dom.window.document, window: dom.window });
  });

  after(() => Object.assign(globalThis, saved));

  function setup(accept = true) {
    const calls: {
      sent: [string, TextAttachment[], ImageAttachment[]][];
      edited: string[];
      stops: number;
      drafts: string[];
      notices: string[];
    } = { sent: [], edited: [], stops: 0, drafts: [], notices: [] };
    const handlers: ComposerHandlers = {
      send: (text, attachments, images) => (calls.sent.push([text, [...attachments], [...images]]), accept),
      editLast: (text) => (calls.edited.push(text), accept),
      stop: () => calls.stops++,
      requestAttachment: () => {},
      acceptsImages: () => false,
      notice: (text) => calls.notices.push(text),
      draftChanged: (text) => calls.drafts.push(text),
    };
    const composer = new Composer(handlers);
    document.body.replaceChildren(composer.element);
    const input = composer.element.querySelector('textarea')!;
    const key = (key: string, init: KeyboardEventInit = {}) =>
      input.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
    const type = (text: string) => {
      input.value = text;
      input.dispatchEvent(new dom.window.Event('input'));
    };
    return { composer, input, key, type, calls };
  }

  it('sends on Enter with the attachments, keeps Shift+Enter and IME composition for new lines', () => {
    const { composer, input, key, type, calls } = setup();
    type('line one');
    assert.equal(key('Enter', { shiftKey: true }), true, 'Shift+Enter is left to the textarea');
    assert.equal(key('Enter', { isComposing: true }), true);
    assert.equal(calls.sent.length, 0);
    composer.addAttachment({ kind: 'selection', label: 'a.ts:1-3', languageId: 'typescript', text: 'x' });
    assert.equal(key('Enter'), false, 'Enter is consumed');
    assert.deepEqual(calls.sent, [
      ['line one', [{ kind: 'selection', label: 'a.ts:1-3', languageId: 'typescript', text: 'x' }], []],
    ]);
    assert.equal(input.value, '');
    assert.equal(calls.drafts.at(-1), '');
    key('Enter');
    assert.equal(calls.sent.length, 1, 'an empty message is not sent');
  });

  it('keeps the text when the message could not be sent, and while a reply streams Enter does not send but Escape stops', () => {
    const refused = setup(false);
    refused.type('do not lose me');
    refused.key('Enter');
    assert.equal(refused.input.value, 'do not lose me');

    const { composer, input, key, type, calls } = setup();
    composer.setBusy(true);
    type('next question');
    key('Enter');
    assert.equal(calls.sent.length, 0);
    assert.equal(input.value, 'next question');
    key('Escape');
    assert.equal(calls.stops, 1);
  });

  it('hands back refused text without overwriting what was typed since', () => {
    const { composer, input, type } = setup();
    composer.restore('first');
    assert.equal(input.value, 'first');
    type('new draft');
    composer.restore('first');
    assert.equal(input.value, 'new draft\n\nfirst');
  });

  it('edits the last message: Enter resends through editLast, Escape cancels', () => {
    const { composer, input, key, calls } = setup();
    composer.startEdit('old text');
    assert.equal(input.value, 'old text');
    input.value = 'new text';
    key('Enter');
    assert.deepEqual(calls.edited, ['new text']);
    assert.equal(calls.sent.length, 0);
    composer.startEdit('again');
    key('Escape');
    input.value = 'plain send';
    key('Enter');
    assert.deepEqual(
      calls.sent.map((s) => s[0]),
      ['plain send'],
    );
  });
});
