// Connects the SecretStorage cache to VS Code and installs it as the core's secret resolver.
import * as vscode from 'vscode';
import { setSecretResolver } from '../../core/secret';
import { SecretCache } from './secretCache';

/** Loads stored keys, installs the resolver (SecretStorage before the environment) and follows changes. */
export async function installSecretCache(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): Promise<SecretCache> {
  const cache = new SecretCache(context.secrets);
  try {
    await cache.load();
  } catch (error) {
    log.error(
      `Reading stored API keys failed; environment variables still work: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const restore = setSecretResolver(cache.resolve);
  context.subscriptions.push(
    { dispose: restore },
    context.secrets.onDidChange((event) => void cache.refresh(event.key)),
  );
  return cache;
}
