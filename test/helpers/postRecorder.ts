// Records what the host posts to the webview (as the structured clone the webview would receive) and lets a test
// wait for a particular message.
import assert from 'node:assert/strict';
import type { HostMessage } from '../../src/shared/protocol';

export class PostRecorder {
  readonly messages: HostMessage[] = [];
  private waiters: { match: (m: HostMessage) => boolean; resolve: (m: HostMessage) => void }[] = [];

  readonly post = (message: HostMessage): void => {
    // The webview receives a structured clone, never the host's live objects.
    const copy = structuredClone(message);
    this.messages.push(copy);
    this.waiters = this.waiters.filter((w) => (w.match(copy) ? (w.resolve(copy), false) : true));
  };

  next<T extends HostMessage['type']>(type: T, requestId?: string): Promise<Extract<HostMessage, { type: T }>> {
    const match = (m: HostMessage) =>
      m.type === type && (requestId === undefined || ('requestId' in m && m.requestId === requestId));
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen as Extract<HostMessage, { type: T }>);
    return new Promise((resolve) => this.waiters.push({ match, resolve: resolve as (m: HostMessage) => void }));
  }

  /** Resolves once `condition` holds, checked after every post. */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ match: () => condition(), resolve: () => resolve() }));
  }

  ofRequest(requestId: string): HostMessage[] {
    return this.messages.filter((m) => 'requestId' in m && m.requestId === requestId);
  }

  /** Every request ends with exactly one `done` or `error`, and nothing follows it. */
  assertSingleEnd(requestId: string): void {
    const messages = this.ofRequest(requestId);
    const ends = messages.filter((m) => m.type === 'done' || m.type === 'error');
    assert.equal(ends.length, 1, `request ${requestId} ended ${ends.length} times`);
    assert.equal(messages.at(-1), ends[0], 'a message followed the end of the request');
  }
}
