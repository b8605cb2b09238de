// The one local-model worker shared by every local generator, and the settings the extension host gives it.
import { join } from 'node:path';
import type { ModelProgress } from '../../worker/localModelProtocol';
import { LocalModelWorkerClient, type LocalModelWorkerOptions } from './localModelWorkerClient';

export type { ModelProgress as LocalModelProgress } from '../../worker/localModelProtocol';

/** What the extension host decides about local models; every field is optional and keeps its current value. */
export interface LocalModelsConfiguration {
  /** Where model files downloaded from the Hugging Face hub are cached (the extension's global storage). */
  cacheDir?: string;
  /** When false, only cached models and local folder paths load; nothing is downloaded. */
  allowRemoteDownloads?: boolean;
  /** The worker bundle; defaults to local-model-worker.js next to the running bundle (dist/). */
  workerPath?: string;
  /** The worker exits after this long with no request in flight (default 5 minutes). */
  idleTimeoutMs?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;

let options: LocalModelWorkerOptions = {
  // dist/core.js and dist/extension.js are bundled next to dist/local-model-worker.js.
  workerPath: join(__dirname, 'local-model-worker.js'),
  idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
  settings: { allowRemoteDownloads: true },
};
let client: LocalModelWorkerClient | undefined;
// Generators that warmed up and have not shut down; the worker is released when the last one shuts down.
const holders = new Set<object>();
const progressListeners = new Set<(progress: ModelProgress) => void>();

/** Called by the extension host at activation (and when settings change). */
export function configureLocalModels(configuration: LocalModelsConfiguration): void {
  options = {
    workerPath: configuration.workerPath ?? options.workerPath,
    idleTimeoutMs: configuration.idleTimeoutMs ?? options.idleTimeoutMs,
    settings: {
      cacheDir: configuration.cacheDir ?? options.settings.cacheDir,
      allowRemoteDownloads: configuration.allowRemoteDownloads ?? options.settings.allowRemoteDownloads,
    },
  };
  client?.reconfigure(options);
}

/** Observes model-file loading (downloads show `progress` events with a percentage); returns an unsubscribe. */
export function onLocalModelProgress(listener: (progress: ModelProgress) => void): () => void {
  progressListeners.add(listener);
  return () => progressListeners.delete(listener);
}

/** The shared worker client, created on first use. */
export function localModelWorker(): LocalModelWorkerClient {
  if (!client) {
    client = new LocalModelWorkerClient(options);
    client.onProgress((progress) => {
      for (const listener of progressListeners) listener(progress);
    });
  }
  return client;
}

/** Marks `holder` as using the worker (from its warm-up until its `shutdown()`). */
export function holdLocalModelWorker(holder: object): LocalModelWorkerClient {
  holders.add(holder);
  return localModelWorker();
}

/** `holder` is done with the worker; the last holder to let go stops it. */
export async function releaseLocalModelWorker(holder: object): Promise<void> {
  if (!holders.delete(holder) || holders.size > 0) return;
  await client?.shutdown();
}

/** Stops the worker (extension deactivation); the next local request starts a new one. */
export async function shutdownLocalModels(): Promise<void> {
  holders.clear();
  await client?.shutdown();
}
