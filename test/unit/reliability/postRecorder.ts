// Records what the host posts to the webview (as the structured clone the webview would receive) and lets a test
// wait for a particular message.
import type { HostMessage } from '../../../src/shared/protocol';

export class PostRecorder {
  readonly messages: HostMessage[] = [];
  private waiters: { match: (m: HostMessage) => boolean; resolve: (m: HostMessage) => void }[] = [];

  readonly post = (message: HostMessage): void => {
    const copy = structuredClone(message);
    this.messages.push(copy);
    this.waiters = this.waiters.filter((w) => (w.match(copy) ? (w.resolve(copy), false) : true));
  };

  /** The first message of `type` (for `requestId`, when given), already posted or still to come. */
  next<T extends HostMessage['type']>(type: T, requestId?: string): Promise<Extract<HostMessage, { type: T }>> {
    const match = (m: HostMessage) => m.type === type && (requestId === undefined || ('requestId' in m && m.requestId === requestId));
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen as Extract<HostMessage, { type: T }>);
    return new Promise((resolve) => this.waiters.push({ match, resolve: resolve as (m: HostMessage) => void }));
  }

  ofRequest(requestId: string): HostMessage[] {
    return this.messages.filter((m) => 'requestId' in m && m.requestId === requestId);
  }
}
