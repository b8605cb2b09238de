import assert from 'node:assert/strict';
import {
  ChatMessage,
  chatMessageFromChunks,
  DeserializationError,
  GeneratorError,
  Secret,
  setSecretResolver,
  type StreamingChunk,
} from '../../../src/index';

describe('ChatMessage', () => {
  it("serializes to Haystack's dict and back, for every content part", () => {
    const call = { toolName: 'weather', arguments: { city: 'Oslo' }, id: 'c1' };
    const messages = [
      ChatMessage.fromSystem('sys'),
      ChatMessage.fromUser('look', {
        images: [{ base64Image: 'AAAA', mimeType: 'image/png', detail: 'high' }],
        meta: { source: 'editor' },
      }),
      ChatMessage.fromAssistant('thinking done', { toolCalls: [call], reasoning: 'because', meta: { model: 'm' } }),
      ChatMessage.fromTool('sunny', call),
    ];
    const dicts = messages.map((m) => m.toDict());
    assert.deepEqual(dicts[0], { role: 'system', meta: {}, name: null, content: [{ text: 'sys' }] });
    assert.deepEqual(dicts[1]!.content[1], {
      image: { base64_image: 'AAAA', mime_type: 'image/png', detail: 'high', meta: {}, validation: true },
    });
    assert.deepEqual(dicts[2]!.content, [
      { reasoning: { reasoning_text: 'because', extra: {} } },
      { text: 'thinking done' },
      { tool_call: { tool_name: 'weather', arguments: { city: 'Oslo' }, id: 'c1', extra: null } },
    ]);
    assert.deepEqual(dicts[3]!.content, [
      {
        tool_call_result: {
          result: 'sunny',
          origin: { tool_name: 'weather', arguments: { city: 'Oslo' }, id: 'c1', extra: null },
          error: false,
        },
      },
    ]);
    const back = dicts.map((d) => ChatMessage.fromDict(JSON.parse(JSON.stringify(d))));
    assert.deepEqual(
      back.map((m) => m.toDict()),
      dicts,
    );
    assert.equal(back[2]!.reasoning?.reasoningText, 'because');
    assert.equal(back[3]!.toolCallResult?.origin.id, 'c1');
    assert.equal(back[1]!.images[0]!.detail, 'high');
  });

  it('rejects malformed dicts with the path of the bad field', () => {
    const cases: [unknown, string][] = [
      [{ role: 'robot', content: [] }, 'message.role'],
      [{ role: 'user', content: 'hi' }, 'message.content'],
      [{ role: 'user', content: [{ text: 5 }] }, 'message.content[0].text'],
      [
        { role: 'assistant', content: [{ tool_call: { tool_name: 'x', arguments: [] } }] },
        'message.content[0].tool_call.arguments',
      ],
      [{ role: 'user', content: [{ video: {} }] }, 'message.content[0]'],
      [null, 'message'],
    ];
    for (const [input, field] of cases) {
      assert.throws(
        () => ChatMessage.fromDict(input),
        (e: unknown) => e instanceof DeserializationError && e.field === field,
        JSON.stringify(input),
      );
    }
  });
});

describe('Secret', () => {
  it('resolves env vars in order through the installed resolver', () => {
    const restore = setSecretResolver((name) => ({ SECOND: 'from-storage' })[name]);
    try {
      assert.equal(Secret.fromEnvVar(['FIRST', 'SECOND']).resolveValue(), 'from-storage');
      assert.equal(Secret.fromEnvVar('MISSING', { strict: false }).resolveValue(), undefined);
      assert.throws(
        () => Secret.fromEnvVar('MISSING').resolveValue(),
        (e: unknown) => GeneratorError.isInstance(e) && e.code === 'missing_secret' && /MISSING/.test(e.message),
      );
    } finally {
      restore();
    }
  });

  it('serializes env-var secrets, refuses token secrets both ways', () => {
    assert.deepEqual(Secret.fromEnvVar('A', { strict: false }).toDict(), {
      type: 'env_var',
      env_vars: ['A'],
      strict: false,
    });
    assert.deepEqual(Secret.fromDict({ type: 'env_var', env_vars: ['A', 'B'], strict: true }).toDict(), {
      type: 'env_var',
      env_vars: ['A', 'B'],
      strict: true,
    });
    assert.throws(() => Secret.fromToken('tok').toDict(), /Cannot serialize token-based secret/);
    assert.throws(() => Secret.fromDict({ type: 'token', token: 'tok' }), /token secrets cannot be deserialized/);
    assert.equal(JSON.stringify({ s: Secret.fromToken('tok-value') }).includes('tok-value'), false);
  });
});

describe('chatMessageFromChunks', () => {
  it('joins text, groups tool-call fragments by index, keeps the last finish reason and usage', () => {
    const chunks: StreamingChunk[] = [
      { content: '', meta: { model: 'm', received_at: 't0' } },
      { content: 'Hel', meta: { model: 'm' }, index: 0, start: true },
      { content: 'lo', meta: { model: 'm' } },
      { content: '', meta: {}, toolCalls: [{ index: 1, id: 'b', toolName: 'two', arguments: '{"y"' }] },
      { content: '', meta: {}, toolCalls: [{ index: 0, id: 'a', toolName: 'one', arguments: '{}' }] },
      { content: '', meta: {}, toolCalls: [{ index: 1, arguments: ': 2}' }] },
      { content: '', meta: {}, finishReason: 'tool_calls' },
      { content: '', meta: { model: 'm', usage: { total_tokens: 3 } } },
    ];
    const message = chatMessageFromChunks(chunks);
    assert.equal(message.text, 'Hello');
    assert.deepEqual(message.toolCalls, [
      { toolName: 'one', arguments: {}, id: 'a' },
      { toolName: 'two', arguments: { y: 2 }, id: 'b' },
    ]);
    assert.deepEqual(message.meta, {
      model: 'm',
      index: 0,
      finish_reason: 'tool_calls',
      completion_start_time: 't0',
      usage: { total_tokens: 3 },
    });
  });

  it('skips a tool call whose arguments are not valid JSON and says so in meta', () => {
    const message = chatMessageFromChunks([
      { content: '', meta: {}, toolCalls: [{ index: 0, id: 'x', toolName: 'bad', arguments: '{"a": ' }] },
    ]);
    assert.deepEqual(message.toolCalls, []);
    assert.deepEqual(message.meta.malformed_tool_calls, ['bad']);
  });
});
