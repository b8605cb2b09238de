// API keys stored by 'Generators: Set API Key'. VS Code's SecretStorage is async while secrets resolve
// synchronously at call time, so values are cached in memory: loaded at activation, updated on every change.
import type { SecretResolver } from '../../core/secret';

/** The subset of `vscode.SecretStorage` the cache needs. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** SecretStorage cannot list its keys, so the names of stored secrets are kept under this key. */
const INDEX_KEY = 'generators.secretNames';
const PREFIX = 'generators.secret.';

/** Env-var names are what Haystack configs reference; anything else is refused before it is stored. */
export function validateSecretName(name: string): string | undefined {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
    ? undefined
    : 'Use an environment variable name: letters, digits and underscores, not starting with a digit (e.g. OPENAI_API_KEY).';
}

export class SecretCache {
  // Private fields keep values out of util.inspect and JSON output of the cache.
  readonly #values = new Map<string, string>();
  readonly #store: SecretStore;
  readonly #environment: NodeJS.ProcessEnv;

  constructor(store: SecretStore, environment: NodeJS.ProcessEnv = process.env) {
    this.#store = store;
    this.#environment = environment;
  }

  /** Reads every stored secret into memory. */
  async load(): Promise<void> {
    const loaded = new Map<string, string>();
    for (const name of await this.storedNames()) {
      const value = await this.#store.get(PREFIX + name);
      if (value) loaded.set(name, value);
    }
    // Swapped in at once, so a request resolving a key meanwhile never sees a half-loaded cache.
    this.#values.clear();
    for (const [name, value] of loaded) this.#values.set(name, value);
  }

  /** SecretStorage first, then the environment; empty values count as unset. */
  readonly resolve: SecretResolver = (name) => {
    const stored = this.#values.get(name);
    if (stored) return stored;
    const fromEnv = this.#environment[name];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };

  /** Names with a value in SecretStorage (never the values). */
  names(): string[] {
    return [...this.#values.keys()].sort();
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  async set(name: string, value: string): Promise<void> {
    const invalid = validateSecretName(name);
    if (invalid) throw new Error(`"${name}" is not a valid secret name. ${invalid}`);
    if (value === '') throw new Error(`The value for ${name} is empty; to remove it run 'Generators: Clear API Key'.`);
    await this.#store.store(PREFIX + name, value);
    this.#values.set(name, value);
    await this.writeIndex();
  }

  async clear(name: string): Promise<void> {
    await this.#store.delete(PREFIX + name);
    this.#values.delete(name);
    await this.writeIndex();
  }

  /** Re-reads one SecretStorage key after another window changed it (`SecretStorage.onDidChange`). */
  async refresh(key: string): Promise<void> {
    if (key === INDEX_KEY) return this.load();
    if (!key.startsWith(PREFIX)) return;
    const name = key.slice(PREFIX.length);
    const value = await this.#store.get(key);
    if (value) this.#values.set(name, value);
    else this.#values.delete(name);
  }

  private async storedNames(): Promise<string[]> {
    const raw = await this.#store.get(INDEX_KEY);
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
    } catch {
      return [];
    }
  }

  private async writeIndex(): Promise<void> {
    await this.#store.store(INDEX_KEY, JSON.stringify(this.names()));
  }
}
