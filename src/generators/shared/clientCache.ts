/**
 * Keeps one SDK client per resolved credential set: keys are resolved at call time (they may change in
 * SecretStorage), and building a client for every request would throw away its connection pool.
 */
export class ClientCache<T> {
  // #private: the key is a resolved credential and must not show in JSON.stringify or util.inspect.
  #cached?: { key: string; client: Promise<T> };

  get(key: string, create: () => Promise<T>): Promise<T> {
    if (this.#cached?.key !== key) {
      const client = create();
      this.#cached = { key, client };
      // A failed creation must not be cached.
      client.catch(() => {
        if (this.#cached?.client === client) this.#cached = undefined;
      });
    }
    return this.#cached.client;
  }
}
