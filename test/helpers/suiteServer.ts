// One offline provider server for a whole mocha suite: started in a `before` hook, closed in an `after` hook.
import type { TestServer } from '../servers/testServer';

/** The suite's server as its tests use it; the hooks own its life, so it has no `close`. */
export type SuiteServer = Omit<TestServer, 'close'>;

/**
 * Call inside a `describe`, before hooks that use the server: it starts with `start()` before the suite and closes
 * after it. The returned object stands for the running server in hooks and tests (not at `describe` time).
 */
export function useTestServer(start: () => Promise<TestServer>): SuiteServer {
  let server: TestServer | undefined;
  before(async () => {
    server = await start();
  });
  after(async () => {
    await server?.close();
    server = undefined;
  });
  const running = (): TestServer => {
    if (!server) throw new Error('The suite server runs from the before() hook to the after() hook only.');
    return server;
  };
  return {
    get url() {
      return running().url;
    },
    get requests() {
      return running().requests;
    },
    enqueue: (...replies) => running().enqueue(...replies),
  };
}
