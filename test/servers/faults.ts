// Faults any provider can show, independent of its wire format: connections dropped before or during a reply,
// replies that stall, raw bytes that are not what the format promises. Each is a handler for `enqueue`.
import type { ServerResponse } from 'node:http';
import { startSse, watchingClose, type Disconnect, type Handler } from './testServer';

/** Drops the connection as soon as the request arrives, before any status line (a reset or crashed proxy). */
export function resetBeforeHeaders(): Handler {
  return (_request, response) => {
    response.socket?.destroy();
  };
}

/** Sends no status line and waits for the client to give up; `closed` resolves when it does. */
export function stallBeforeHeaders(): Handler & Disconnect {
  return watchingClose(() => {});
}

/** One SSE frame as raw text; `event` adds an `event:` line (the Responses API names its events). */
export interface RawFrame {
  data: string;
  event?: string;
}

export function frame(data: unknown, event?: string): RawFrame {
  return { data: typeof data === 'string' ? data : JSON.stringify(data), event };
}

function writeFrame(response: ServerResponse, f: RawFrame): void {
  response.write(`${f.event ? `event: ${f.event}\n` : ''}data: ${f.data}\n\n`);
}

/**
 * Writes `frames`, then ends the reply as `ending` says: `end` closes it cleanly, `reset` drops the connection,
 * `stall` keeps it open without another byte until the client leaves (`closed` resolves then).
 */
export function sseThen(frames: RawFrame[], ending: 'end' | 'reset' | 'stall'): Handler & Disconnect {
  return watchingClose((_request, response) => {
    startSse(response);
    for (const f of frames) writeFrame(response, f);
    if (ending === 'end') response.end();
    // The bytes written above must leave before the socket is destroyed, or the client sees no chunk at all.
    else if (ending === 'reset') response.write('', () => setImmediate(() => response.socket?.destroy()));
  });
}

/** Writes raw SSE text as it is (lines that are not `data:` frames, broken framing), then ends the reply. */
export function rawSse(text: string): Handler {
  return (_request, response) => {
    startSse(response);
    response.end(text);
  };
}

/** A 200 reply whose body is `body` byte for byte, e.g. truncated JSON or nothing at all. */
export function rawBody(body: string, contentType = 'application/json'): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    response.end(body);
  };
}
