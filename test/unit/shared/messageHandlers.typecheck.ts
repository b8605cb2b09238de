// Compile-time checks, run by `npm run typecheck` (never by mocha): a handler map needs exactly one handler per
// message type, so a message type added to the protocol without a handler fails the build. Each @ts-expect-error
// line fails the typecheck if the error it expects goes away.
import type { WebviewHandlers } from '../../../src/host/chat/webviewHandlers';
import type { MessageHandlers } from '../../../src/shared/messageHandlers';
import type { HostMessage } from '../../../src/shared/protocol';

type Example = { type: 'ping'; n: number } | { type: 'pong'; text: string };

// @ts-expect-error the `pong` handler is missing
export const missingHandler: MessageHandlers<Example> = { ping: () => {} };

// @ts-expect-error `pang` is not a message type
export const unknownType: MessageHandlers<Example> = { ping: () => {}, pong: () => {}, pang: () => {} };

// @ts-expect-error the host's handlers of webview messages need one for each type, `ready` included
export const hostHandlers: WebviewHandlers = { newChat: () => {} };

// @ts-expect-error the webview's handlers of host messages likewise
export const webviewHandlers: MessageHandlers<HostMessage> = { state: () => {} };

// @ts-expect-error a handler gets the message of its own type: a `ping` has no `text`
export const wrongMessage: MessageHandlers<Example> = { ping: (message) => message.text, pong: () => {} };
