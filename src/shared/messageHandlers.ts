// Dispatch of a message union through one handler per message type. Both directions use it: the host for the
// webview's messages, the webview for the host's. A type added to the protocol without a handler fails the build.

/** One handler per `type` of the union `M`, each given the message of its own type. */
export type MessageHandlers<M extends { type: string }, R = void> = {
  [K in M['type']]: (message: Extract<M, { type: K }>) => R;
};

/** Calls the handler of the message's type. */
export function dispatchMessage<M extends { type: string }, R>(handlers: MessageHandlers<M, R>, message: M): R {
  // TypeScript cannot tie the looked-up handler to the message's own type; the mapped type above guarantees it.
  const handler = handlers[message.type as M['type']] as (message: M) => R;
  return handler(message);
}
