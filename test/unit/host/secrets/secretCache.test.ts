import assert from 'node:assert/strict';
import { hostErrorMessage } from '../../../../src/host/platform/hostErrorMessage';
import { inspect } from 'node:util';
import { GeneratorError } from '../../../../src/core/errors';
import { Secret, setSecretResolver } from '../../../../src/core/secret';
import { SecretCache, type SecretStore } from '../../../../src/host/secrets/secretCache';
import { formatRequest, logRequest } from '../../../../src/host/platform/requestLog';

/** An in-memory stand-in for vscode.SecretStorage that records every call. */
class MemoryStore implements SecretStore {
  readonly data = new Map<string, string>();
  async get(key: string) {
    return this.data.get(key);
  }
  async store(key: string, value: string) {
    this.data.set(key, value);
  }
  async delete(key: string) {
    this.data.delete(key);
  }
}

describe('host secrets: SecretStorage cache and resolution order', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('resolves SecretStorage before the environment, and the environment when nothing is stored', async () => {
    const cache = new SecretCache(new MemoryStore(), { OPENAI_API_KEY: 'env-key', HF_TOKEN: 'hf-env', EMPTY: '' });
    await cache.set('OPENAI_API_KEY', 'stored-key');
    assert.equal(cache.resolve('OPENAI_API_KEY'), 'stored-key');
    assert.equal(cache.resolve('HF_TOKEN'), 'hf-env');
    assert.equal(cache.resolve('EMPTY'), undefined);
    assert.equal(cache.resolve('MISSING'), undefined);
    await cache.clear('OPENAI_API_KEY');
    assert.equal(cache.resolve('OPENAI_API_KEY'), 'env-key');
  });

  it('is what Secret.fromEnvVar reads once installed as the resolver', async () => {
    const cache = new SecretCache(new MemoryStore(), {});
    restore = setSecretResolver(cache.resolve);
    const secret = Secret.fromEnvVar(['AZURE_OPENAI_API_KEY']);
    assert.throws(
      () => secret.resolveValue(),
      (e: GeneratorError) => e.code === 'missing_secret' && /Generators: Set API Key/.test(hostErrorMessage(e)),
    );
    await cache.set('AZURE_OPENAI_API_KEY', 'sk-azure-123');
    assert.equal(secret.resolveValue(), 'sk-azure-123');
    assert.deepEqual(secret.toDict(), { type: 'env_var', env_vars: ['AZURE_OPENAI_API_KEY'], strict: true });
  });

  it('loads stored secrets at activation and follows changes made by another window', async () => {
    const store = new MemoryStore();
    const first = new SecretCache(store, {});
    await first.set('HF_TOKEN', 'hf-1');
    await first.set('AIMLAPI_API_KEY', 'aiml-1');
    const second = new SecretCache(store, {});
    await second.load();
    assert.deepEqual(second.names(), ['AIMLAPI_API_KEY', 'HF_TOKEN']);
    assert.equal(second.resolve('HF_TOKEN'), 'hf-1');
    await first.clear('HF_TOKEN');
    await second.refresh('generators.secret.HF_TOKEN');
    assert.equal(second.resolve('HF_TOKEN'), undefined);
    await first.set('OPENAI_API_KEY', 'sk-2');
    await second.refresh('generators.secretNames');
    assert.equal(second.resolve('OPENAI_API_KEY'), 'sk-2');
  });

  it('refuses names that are not env-var names and empty values, without echoing the value', async () => {
    const cache = new SecretCache(new MemoryStore(), {});
    await assert.rejects(
      cache.set('not a name', 'sk-secret-value'),
      (e: Error) => /not a valid secret name/.test(e.message) && !e.message.includes('sk-secret-value'),
    );
    await assert.rejects(cache.set('OPENAI_API_KEY', ''), /is empty/);
  });

  it('never lets a stored key reach the log, the serialized config or an inspected object', async () => {
    const cache = new SecretCache(new MemoryStore(), {});
    await cache.set('OPENAI_API_KEY', 'sk-leak-check-999');
    restore = setSecretResolver(cache.resolve);
    const secret = Secret.fromEnvVar('OPENAI_API_KEY');
    const lines: string[] = [];
    const sink = {
      info: (m: string) => lines.push(m),
      debug: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };
    logRequest(
      sink,
      {
        command: 'explain',
        generator: 'GPT',
        model: 'gpt-4o-mini',
        totalMs: 12,
        error: new GeneratorError('401 Incorrect API key provided.', { code: 'authentication', status: 401 }),
      },
      true,
    );
    const everything = [
      JSON.stringify(secret.toDict()),
      inspect(cache, { depth: Infinity }),
      JSON.stringify(cache),
      ...lines,
      JSON.stringify(cache.names()),
    ].join('\n');
    assert.ok(!everything.includes('sk-leak-check-999'));
  });
});

describe('host request log', () => {
  it('records generator, model, timings, usage and errors but no prompt unless asked', () => {
    assert.equal(
      formatRequest({
        command: 'explainSelection',
        generator: 'GPT',
        model: 'gpt-4o-mini',
        totalMs: 1234.4,
        firstTokenMs: 88.6,
        finishReason: 'stop',
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
      'explainSelection "GPT" model=gpt-4o-mini total=1234ms first_token=89ms finish=stop prompt_tokens=10 completion_tokens=5 total_tokens=15',
    );
    const lines: [string, string][] = [];
    const sink = {
      info: (m: string) => lines.push(['info', m]),
      debug: (m: string) => lines.push(['debug', m]),
      error: (m: string) => lines.push(['error', m]),
    };
    logRequest(sink, { command: 'ask', generator: 'G', prompt: 'PROMPT TEXT' }, false);
    logRequest(
      sink,
      {
        command: 'ask',
        generator: 'G',
        prompt: 'PROMPT TEXT',
        error: new GeneratorError('Too many requests.', { code: 'rate_limit', status: 429 }),
      },
      true,
    );
    assert.deepEqual(lines, [
      ['info', 'ask "G"'],
      ['error', 'ask "G" error=[rate_limit 429] Too many requests.'],
      ['debug', 'prompt for ask "G":\nPROMPT TEXT'],
    ]);
  });
});
