// A real HTTP server on 127.0.0.1 for tests: routes requests to wire-format modules, records every request,
// and lets a test queue canned replies or faults for the next requests.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the server received it; `body` is parsed JSON when the request was JSON. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: any;
  rawBody: Buffer;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface Route {
  method: string;
  /** An exact path, or a pattern for paths with parameters (Azure deployments). */
  path: string | RegExp;
  handle: Handler;
}

/** A canned reply: a status with a JSON body, or a handler for anything stranger (stalls, resets). */
export type QueuedReply = { status: number; body?: unknown; headers?: Record<string, string> } | Handler;

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replies to the next matching requests, in order, before the routes are asked. */
  enqueue(...replies: QueuedReply[]): void;
  close(): Promise<void>;
}

/** Resolves when the client closed the connection; a test uses it to see an abort reach the wire. */
export interface Disconnect {
  readonly closed: Promise<void>;
}

/**
 * `handler`, which also tells when the client closes the connection it answers: for stalled replies, whose only
 * end is the client giving up. For one request (enqueue it once).
 */
export function watchingClose(handler: Handler): Handler & Disconnect {
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const watched: Handler = (request, response) => {
    response.on('close', () => resolveClosed());
    return handler(request, response);
  };
  return Object.assign(watched, { closed });
}

export async function startTestServer(routes: Route[]): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const queue: QueuedReply[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseBody(rawBody, req.headers['content-type']),
      rawBody,
    };
    requests.push(recorded);
    try {
      const queued = queue.shift();
      if (queued)
        return typeof queued === 'function'
          ? await queued(recorded, res)
          : sendJson(res, queued.status, queued.body ?? {}, queued.headers);
      const route = routes.find(
        (r) =>
          r.method === recorded.method &&
          (typeof r.path === 'string' ? r.path === recorded.path : r.path.test(recorded.path)),
      );
      if (!route)
        return sendJson(res, 404, {
          error: { message: `No route for ${recorded.method} ${recorded.path}`, type: 'not_found' },
        });
      await route.handle(recorded, res);
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'server_error' } });
      else res.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Starts a `text/event-stream` reply. */
export function startSse(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
}

/** Writes one SSE event: `data: <json>` (strings are sent as they are), with an optional `event:` line. */
export function writeSse(res: ServerResponse, data: unknown, event?: string): void {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  res.write(`${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
