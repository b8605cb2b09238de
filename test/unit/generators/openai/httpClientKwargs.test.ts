import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { ChatMessage, ConfigurationError, OpenAIChatGenerator, Secret } from '../../../../src/index';
import { startOpenAIServer } from '../../../servers/openaiChatCompletions';
import type { TestServer } from '../../../servers/testServer';

/** An HTTP CONNECT proxy on loopback that records where it tunnelled to. */
async function startConnectProxy(): Promise<{ url: string; targets: string[]; close: () => Promise<void> }> {
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  const proxy: Server = createServer();
  proxy.on('connect', (req, client: Socket, head) => {
    targets.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}

describe('http_client_kwargs', () => {
  let server: TestServer;
  before(async () => {
    server = await startOpenAIServer();
  });
  after(() => server.close());

  it('sends requests through `proxy` and adds `headers`', async () => {
    const proxy = await startConnectProxy();
    try {
      const gen = new OpenAIChatGenerator({
        apiKey: Secret.fromToken('k'),
        apiBaseUrl: `${server.url}/v1`,
        maxRetries: 0,
        httpClientKwargs: { proxy: proxy.url, headers: { 'x-from-kwargs': 'yes' }, limits: { max_connections: 5 } },
      });
      const { replies } = await gen.run([ChatMessage.fromUser('via proxy')]);
      assert.equal(replies[0]!.text, 'Echo: via proxy');
      assert.deepEqual(proxy.targets, [new URL(server.url).host]);
      assert.equal(server.requests.at(-1)!.headers['x-from-kwargs'], 'yes');
    } finally {
      await proxy.close();
    }
  });

  it('explains malformed entries', async () => {
    const run = (kwargs: Record<string, unknown>) =>
      new OpenAIChatGenerator({
        apiKey: Secret.fromToken('k'),
        apiBaseUrl: `${server.url}/v1`,
        httpClientKwargs: kwargs,
      }).run([ChatMessage.fromUser('x')]);
    await assert.rejects(
      run({ proxy: 3128 }),
      (e: unknown) => e instanceof ConfigurationError && e.field === 'http_client_kwargs.proxy',
    );
    await assert.rejects(
      run({ verify: '/nonexistent/ca.pem' }),
      /http_client_kwargs.verify: cannot read the CA bundle/,
    );
    await assert.rejects(run({ headers: ['x'] }), /http_client_kwargs.headers/);
  });
});
