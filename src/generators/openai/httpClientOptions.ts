// Haystack's `http_client_kwargs` configure an httpx client in Python. The entries with a Node equivalent are
// honoured here (proxy, verify, headers); the rest are kept for round trips and have no effect in the editor.
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../../core/errors';

/** What the `openai` SDK client takes from `http_client_kwargs`. */
export interface HttpClientOptions {
  fetch?: typeof fetch;
  fetchOptions?: Record<string, unknown>;
  defaultHeaders?: Record<string, string>;
}

export async function httpClientOptions(kwargs: Record<string, unknown> | undefined): Promise<HttpClientOptions> {
  if (!kwargs) return {};
  const options: HttpClientOptions = {};
  const headers = kwargs.headers;
  if (headers !== undefined && headers !== null) {
    if (
      typeof headers !== 'object' ||
      Array.isArray(headers) ||
      Object.values(headers).some((v) => typeof v !== 'string')
    ) {
      throw new ConfigurationError(
        'http_client_kwargs.headers',
        'expected an object of header names to string values.',
      );
    }
    options.defaultHeaders = { ...(headers as Record<string, string>) };
  }
  const proxy = kwargs.proxy;
  const verify = kwargs.verify;
  if (proxy === undefined && (verify === undefined || verify === true)) return options;

  if (proxy !== undefined && typeof proxy !== 'string') {
    throw new ConfigurationError(
      'http_client_kwargs.proxy',
      'expected a proxy URL such as "http://proxy.example:3128".',
    );
  }
  if (verify !== undefined && typeof verify !== 'boolean' && typeof verify !== 'string') {
    throw new ConfigurationError('http_client_kwargs.verify', 'expected true, false, or the path of a CA bundle file.');
  }
  const connect: Record<string, unknown> = {};
  if (verify === false) connect.rejectUnauthorized = false;
  if (typeof verify === 'string') {
    try {
      connect.ca = readFileSync(verify);
    } catch {
      throw new ConfigurationError('http_client_kwargs.verify', `cannot read the CA bundle "${verify}".`);
    }
  }
  // undici's own fetch goes with its dispatcher: mixing it with Node's bundled undici is not guaranteed to work.
  const undici = await import('undici');
  const dispatcher = proxy
    ? new undici.ProxyAgent({ uri: proxy, requestTls: connect, proxyTls: connect })
    : new undici.Agent({ connect });
  options.fetch = undici.fetch as unknown as typeof fetch;
  options.fetchOptions = { dispatcher };
  return options;
}
