import type { HostMessage } from '../../shared/protocol';

/** Messages a `state` snapshot replaces: while no webview listens they are dropped, not queued. */
const COVERED_BY_SNAPSHOT = new Set<HostMessage['type']>([
  'state',
  'generators',
  'history',
  'conversation',
  'replyStarted',
  'chunk',
  'done',
  'error',
]);

/**
 * Host -> webview posting that survives the webview loading, hiding and reloading. Posts wait until the webview says
 * `ready`; it then gets a full `state` snapshot first (which includes every chunk streamed so far), so stream messages
 * sent while nobody listened are dropped instead of replayed twice. Commands (attach, focus, notices) are queued.
 */
export class WebviewChannel {
  private ready = false;
  private queue: HostMessage[] = [];

  constructor(private readonly deliver: (message: HostMessage) => void) {}

  post(message: HostMessage): void {
    if (this.ready) this.deliver(message);
    else if (!COVERED_BY_SNAPSHOT.has(message.type)) this.queue.push(message);
  }

  /** The webview is gone (hidden or disposed); its replacement will say `ready` again. */
  disconnect(): void {
    this.ready = false;
  }

  /** The webview said `ready`: deliver the snapshot, then what waited for it. */
  connect(snapshot: HostMessage): void {
    this.deliver(snapshot);
    const queued = this.queue;
    this.queue = [];
    for (const message of queued) this.deliver(message);
    this.ready = true;
  }
}
