import assert from 'node:assert/strict';
import { LIMITS, type WebviewMessage } from '../../../src/shared/protocol';
import { parseWebviewMessage } from '../../../src/shared/webviewMessageParser';

const ID = 'a1b2c3d4-e5f6-4711-8000-123456789abc';

function accepted(value: unknown): WebviewMessage {
  const result = parseWebviewMessage(value);
  assert.ok(result.ok, `expected acceptance, got ${result.ok ? '' : result.reason}`);
  return result.message;
}

function rejected(value: unknown): string {
  const result = parseWebviewMessage(value);
  assert.equal(result.ok, false, `expected rejection of ${JSON.stringify(value)?.slice(0, 200)}`);
  return result.ok ? '' : result.reason;
}

describe('chat protocol: webview message validation', () => {
  it('accepts every well-formed message and rebuilds it as a fresh object', () => {
    const send = {
      type: 'send',
      requestId: ID,
      conversationId: 'conv_1',
      generator: 'GPT',
      text: 'hello',
      attachments: [{ kind: 'selection', label: 'a.ts:1-2', languageId: 'typescript', text: 'const a = 1;' }],
      images: [{ mimeType: 'image/png', base64: 'iVBORw0KGgo=', name: 'x.png' }],
    };
    const parsed = accepted(send);
    assert.deepEqual(parsed, send);
    assert.notEqual(parsed, send);
    for (const message of [
      { type: 'ready' },
      { type: 'newChat' },
      { type: 'stop', requestId: ID },
      { type: 'retry', requestId: ID, conversationId: ID },
      { type: 'editLast', requestId: ID, conversationId: ID, text: 'again' },
      { type: 'openConversation', conversationId: ID },
      { type: 'deleteConversation', conversationId: ID },
      { type: 'setGenerator', conversationId: ID, generator: 'Local chat' },
      {
        type: 'updateSettings',
        conversationId: ID,
        settings: { temperature: 0.2, maxTokens: 256, systemPrompt: 'Be brief.' },
      },
      { type: 'updateSettings', conversationId: ID, settings: {} },
      { type: 'requestAttachment', kind: 'file' },
      { type: 'copy', text: 'x' },
      { type: 'insertCode', code: 'x', mode: 'replace' },
      { type: 'openLink', href: 'https://example.com' },
      { type: 'export', conversationId: ID, format: 'haystack' },
    ]) {
      assert.deepEqual(accepted(message), message);
    }
  });

  it('drops malformed messages with a reason naming the field', () => {
    assert.match(rejected(null), /message: expected an object/);
    assert.match(rejected('ready'), /message: expected an object/);
    assert.match(rejected([{ type: 'ready' }]), /expected an object/);
    assert.match(rejected({}), /unknown message type/);
    assert.match(rejected({ type: 'launchMissiles' }), /unknown message type "launchMissiles"/);
    assert.match(rejected({ type: 42 }), /unknown message type number/);
    assert.match(rejected({ type: 'stop' }), /requestId/);
    assert.match(rejected({ type: 'stop', requestId: '../../etc/passwd' }), /requestId: expected an id/);
    assert.match(rejected({ type: 'stop', requestId: 'x'.repeat(65) }), /requestId/);
    assert.match(rejected({ type: 'openConversation', conversationId: 'a/b' }), /conversationId/);
    assert.match(rejected({ type: 'ready', extra: 1 }), /unexpected field "extra"/);
    assert.match(
      rejected({
        type: 'send',
        requestId: ID,
        conversationId: ID,
        generator: '',
        text: 'x',
        attachments: [],
        images: [],
      }),
      /generator: must not be empty/,
    );
    assert.match(
      rejected({
        type: 'send',
        requestId: ID,
        conversationId: ID,
        generator: 'g',
        text: 7,
        attachments: [],
        images: [],
      }),
      /text: expected a string/,
    );
    assert.match(
      rejected({
        type: 'send',
        requestId: ID,
        conversationId: ID,
        generator: 'g',
        text: 'x',
        attachments: {},
        images: [],
      }),
      /attachments: expected a list/,
    );
    assert.match(
      rejected({
        type: 'send',
        requestId: ID,
        conversationId: ID,
        generator: 'g',
        text: 'x',
        attachments: [{ kind: 'disk', label: 'a', languageId: 'x', text: '' }],
        images: [],
      }),
      /attachments\[0\]\.kind/,
    );
    assert.match(
      rejected({
        type: 'send',
        requestId: ID,
        conversationId: ID,
        generator: 'g',
        text: 'x',
        attachments: [],
        images: [{ mimeType: 'image/svg+xml', base64: 'AAAA' }],
      }),
      /images\[0\]\.mimeType/,
    );
    assert.match(
      rejected({
        type: 'send',
        requestId: ID,
        conversationId: ID,
        generator: 'g',
        text: 'x',
        attachments: [],
        images: [{ mimeType: 'image/png', base64: '<script>' }],
      }),
      /images\[0\]\.base64: not base64/,
    );
    assert.match(
      rejected({ type: 'updateSettings', conversationId: ID, settings: { temperature: 3 } }),
      /settings.temperature/,
    );
    assert.match(
      rejected({ type: 'updateSettings', conversationId: ID, settings: { temperature: Number.NaN } }),
      /settings.temperature/,
    );
    assert.match(
      rejected({ type: 'updateSettings', conversationId: ID, settings: { maxTokens: 1.5 } }),
      /settings.maxTokens/,
    );
    assert.match(
      rejected({ type: 'updateSettings', conversationId: ID, settings: { apiKey: 'sk-x' } }),
      /unexpected field "apiKey"/,
    );
    assert.match(rejected({ type: 'insertCode', code: 'x', mode: 'delete' }), /mode: expected one of insert, replace/);
    assert.match(rejected({ type: 'export', conversationId: ID, format: 'pdf' }), /format/);
  });

  it('enforces size limits so a compromised webview cannot make the host hold unbounded data', () => {
    const base = { type: 'send', requestId: ID, conversationId: ID, generator: 'g', attachments: [], images: [] };
    assert.match(rejected({ ...base, text: 'x'.repeat(LIMITS.text + 1) }), /text: longer than/);
    const attachment = { kind: 'file', label: 'a', languageId: 'x', text: '' };
    assert.match(
      rejected({ ...base, text: '', attachments: Array(LIMITS.attachments + 1).fill(attachment) }),
      /more than 20 items/,
    );
    assert.match(rejected({ type: 'openLink', href: `https://x/${'a'.repeat(LIMITS.href)}` }), /href: longer than/);
  });

  it('rejects prototype-pollution keys and exotic objects without touching Object.prototype', () => {
    const polluted = JSON.parse('{"type":"ready","__proto__":{"polluted":true}}');
    assert.match(rejected(polluted), /unexpected field "__proto__"/);
    assert.match(
      rejected(JSON.parse('{"type":"updateSettings","conversationId":"c","settings":{"__proto__":{"x":1}}}')),
      /unexpected field "__proto__"/,
    );
    assert.match(rejected({ type: 'ready', constructor: { prototype: {} } }), /unexpected field "constructor"/);
    assert.match(rejected(Object.assign(Object.create({ inherited: 1 }), { type: 'ready' })), /plain object/);
    assert.match(rejected(new Date()), /plain object/);
    assert.match(rejected({ type: 'ready', [Symbol('s')]: 1 }), /unexpected field/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('never throws on thousands of generated malformed inputs', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values: unknown[] = [
      null,
      undefined,
      0,
      -1,
      Number.NaN,
      Infinity,
      '',
      'x'.repeat(300),
      true,
      [],
      {},
      [1, 2],
      { a: 1 },
      '__proto__',
      ID,
    ];
    const keys = [
      'type',
      'requestId',
      'conversationId',
      'generator',
      'text',
      'attachments',
      'images',
      'settings',
      'kind',
      'mode',
      'href',
      'format',
      'code',
      '__proto__',
      'constructor',
    ];
    const types = [
      'ready',
      'send',
      'stop',
      'retry',
      'editLast',
      'newChat',
      'openConversation',
      'deleteConversation',
      'setGenerator',
      'updateSettings',
      'requestAttachment',
      'copy',
      'insertCode',
      'openLink',
      'export',
      'bogus',
    ];
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    let accepts = 0;
    for (let i = 0; i < 5000; i++) {
      const message: Record<string, unknown> = { type: pick(types) };
      const fields = Math.floor(random() * 6);
      for (let f = 0; f < fields; f++) message[pick(keys)] = random() < 0.5 ? pick(values) : pick(types);
      const result = parseWebviewMessage(message);
      if (result.ok) accepts++;
      else assert.equal(typeof result.reason, 'string');
    }
    assert.ok(accepts < 5000);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
});
