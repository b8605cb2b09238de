// Typed message dispatch: each message reaches the handler of its own type. That a handler map missing a type does
// not compile is checked by `npm run typecheck` in messageHandlers.typecheck.ts.
import assert from 'node:assert/strict';
import { dispatchMessage, type MessageHandlers } from '../../../src/shared/messageHandlers';

type Example = { type: 'ping'; n: number } | { type: 'pong'; text: string };

describe('typed message dispatch', () => {
  it('calls the handler of the message type with that message and returns its result', () => {
    const calls: string[] = [];
    const handlers: MessageHandlers<Example, string> = {
      ping: (message) => (calls.push(`ping ${message.n}`), 'pinged'),
      pong: (message) => (calls.push(`pong ${message.text}`), 'ponged'),
    };
    assert.equal(dispatchMessage(handlers, { type: 'pong', text: 'hi' }), 'ponged');
    assert.equal(dispatchMessage(handlers, { type: 'ping', n: 2 }), 'pinged');
    assert.deepEqual(calls, ['pong hi', 'ping 2']);
  });
});
