import assert from 'node:assert/strict';
import { WebviewChannel } from '../../../../src/host/chat/webviewChannel';
import { chatWebviewHtml, contentSecurityPolicy } from '../../../../src/host/chat/webviewHtml';
import type { HostMessage } from '../../../../src/shared/protocol';

const CONVERSATION = { id: 'c1', title: 't', settings: {}, messages: [], createdAt: 0, updatedAt: 0 };
const snapshot: HostMessage = { type: 'state', generators: [], conversation: CONVERSATION, history: [] };

describe('chat webview channel and page', () => {
  it('queues commands until ready, sends the snapshot first, and drops stream messages the snapshot already covers', () => {
    const delivered: HostMessage[] = [];
    const channel = new WebviewChannel((m) => delivered.push(m));
    channel.post({
      type: 'attachment',
      attachment: { kind: 'selection', label: 'a.ts:1-1', languageId: 'ts', text: 'x' },
    });
    channel.post({ type: 'chunk', requestId: 'r1', text: 'already in the snapshot' });
    channel.post({ type: 'focusInput' });
    assert.equal(delivered.length, 0);
    channel.connect(snapshot);
    assert.deepEqual(
      delivered.map((m) => m.type),
      ['state', 'attachment', 'focusInput'],
    );
    channel.post({ type: 'chunk', requestId: 'r1', text: 'live' });
    assert.equal(delivered.length, 4);

    // The view is hidden (its webview destroyed): nothing is sent until its replacement says ready.
    channel.disconnect();
    channel.post({ type: 'chunk', requestId: 'r1', text: 'while hidden' });
    channel.post({ type: 'notice', level: 'info', text: 'saved' });
    assert.equal(delivered.length, 4);
    channel.connect(snapshot);
    assert.deepEqual(
      delivered.slice(4).map((m) => m.type),
      ['state', 'notice'],
    );
  });

  it('serves a page with a nonce-only script policy: no inline code, no eval, no remote images', () => {
    const csp = contentSecurityPolicy('https://webview.example', 'N0nce');
    assert.equal(
      csp,
      "default-src 'none'; img-src https://webview.example data:; style-src https://webview.example 'nonce-N0nce'; font-src https://webview.example; script-src 'nonce-N0nce'; connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'",
    );
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const html = chatWebviewHtml(
      {
        cspSource: 'https://webview.example',
        scriptUri: 'https://webview.example/dist/webview.js',
        styleUri: 'https://webview.example/media/chat.css',
      },
      'N0nce',
    );
    assert.match(html, /<script nonce="N0nce" src="https:\/\/webview.example\/dist\/webview.js"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<meta property="csp-nonce" content="N0nce">/);
    assert.doesNotMatch(html, /style=|<style|\son\w+=/);
    const nonces = new Set(
      [
        chatWebviewHtml({ cspSource: 's', scriptUri: 'a', styleUri: 'b' }),
        chatWebviewHtml({ cspSource: 's', scriptUri: 'a', styleUri: 'b' }),
      ].map((page) => /nonce-([^']+)/.exec(page)?.[1]),
    );
    assert.equal(nonces.size, 2, 'each page gets a fresh nonce');
  });
});
