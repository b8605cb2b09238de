// The host side of the local-model worker: starts dist/local-model-worker.js on demand, matches replies to
// requests by id, fails every request in flight when the worker dies, and stops the worker when it sits idle.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { cancelledError, GeneratorError } from '../../core/errors';
import type {
  GenerateRequest,
  GenerateResult,
  HostToWorker,
  ModelProgress,
  PipelineSpec,
  WorkerSettings,
  WorkerToHost,
} from '../../worker/localModelProtocol';

/** How the client starts and manages its worker. */
export interface LocalModelWorkerOptions {
  /** The worker bundle to fork. */
  workerPath: string;
  /** The worker is stopped after this long without a request in flight. */
  idleTimeoutMs: number;
  settings: WorkerSettings;
}

/** How a worker process ended, for listeners that wait for it. */
export interface WorkerExit {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the client stopped it (idle timeout, shutdown) rather than the worker dying by itself. */
  expected: boolean;
}

interface PendingRequest {
  /** For error messages: which model the request was for. */
  model: string;
  resolve(message: WorkerToHost): void;
  reject(error: unknown): void;
  onChunk?(text: string): void;
}

// After a cancel, the worker normally confirms within one token; a model stuck in a long prefill gets this long.
const CANCEL_CONFIRMATION_TIMEOUT_MS = 5000;
const SHUTDOWN_GRACE_MS = 2000;
const STDERR_TAIL_CHARS = 2000;

/** One worker process at a time, started on the first request; see the file comment for its life cycle. */
export class LocalModelWorkerClient {
  private child: ChildProcess | undefined;
  private stopping = new Set<ChildProcess>();
  private stderrTail = '';
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly exitListeners = new Set<(exit: WorkerExit) => void>();
  private readonly progressListeners = new Set<(progress: ModelProgress) => void>();

  constructor(private options: LocalModelWorkerOptions) {}

  /** The running worker's process id, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** New options apply at once (settings are sent to a running worker; a new worker path on the next start). */
  reconfigure(options: LocalModelWorkerOptions): void {
    this.options = options;
    if (this.child) this.post({ type: 'configure', settings: options.settings });
    if (this.idleTimer) this.armIdleTimer();
  }

  onExit(listener: (exit: WorkerExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  onProgress(listener: (progress: ModelProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Loads (or finds cached) the pipeline; resolves with the task, inferred by the worker when not given. */
  async load(spec: PipelineSpec, token: string | undefined): Promise<string> {
    const reply = await this.request(spec.model, (id) => ({ type: 'load', id, pipeline: spec, token }), {});
    if (reply.type !== 'loaded')
      throw new GeneratorError(`Unexpected worker reply "${reply.type}" to a load request.`, { code: 'unknown' });
    return reply.task;
  }

  async generate(
    request: GenerateRequest,
    token: string | undefined,
    options: { signal?: AbortSignal; onChunk?: (text: string) => void },
  ): Promise<GenerateResult> {
    const reply = await this.request(
      request.pipeline.model,
      (id) => ({ type: 'generate', id, request, token }),
      options,
    );
    if (reply.type !== 'done')
      throw new GeneratorError(`Unexpected worker reply "${reply.type}" to a generate request.`, { code: 'unknown' });
    return reply.result;
  }

  /**
   * The number of tokens in `text` by the tokenizer of `spec`'s pipeline, when a running worker has it loaded;
   * undefined otherwise (no worker is started and no model loaded just to count).
   */
  async countTokens(spec: PipelineSpec, text: string, signal?: AbortSignal): Promise<number | undefined> {
    if (!this.child) return undefined;
    const reply = await this.request(spec.model, (id) => ({ type: 'countTokens', id, pipeline: spec, text }), {
      signal,
    });
    if (reply.type !== 'tokenCount')
      throw new GeneratorError(`Unexpected worker reply "${reply.type}" to a token count request.`, {
        code: 'unknown',
      });
    return reply.tokens ?? undefined;
  }

  /** Stops the worker; requests in flight fail with a `cancelled` error. */
  async shutdown(): Promise<void> {
    this.clearIdleTimer();
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    this.failAll(
      () =>
        new GeneratorError('The local model worker was shut down before the request finished.', { code: 'cancelled' }),
    );
    await this.stop(child);
  }

  private request(
    model: string,
    build: (id: number) => HostToWorker,
    options: { signal?: AbortSignal; onChunk?: (text: string) => void },
  ): Promise<WorkerToHost> {
    if (options.signal?.aborted) return Promise.reject(cancelledError(options.signal.reason));
    const child = this.ensureStarted();
    const id = this.nextId++;
    this.clearIdleTimer();
    this.holdOpen(child, true);
    return new Promise<WorkerToHost>((resolve, reject) => {
      let cancelTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        this.post({ type: 'cancel', id });
        // The request stays pending until the worker confirms that generation stopped.
        cancelTimer = setTimeout(
          () => this.settle(id, () => reject(cancelledError(options.signal?.reason))),
          CANCEL_CONFIRMATION_TIMEOUT_MS,
        );
        cancelTimer.unref();
      };
      const cleanup = () => {
        options.signal?.removeEventListener('abort', onAbort);
        if (cancelTimer) clearTimeout(cancelTimer);
      };
      this.pending.set(id, {
        model,
        // Text the worker produced between the abort and its confirmation is not the caller's any more.
        onChunk: options.onChunk && ((text) => options.signal?.aborted || options.onChunk?.(text)),
        resolve: (message) => {
          cleanup();
          if (options.signal?.aborted) reject(cancelledError(options.signal.reason));
          else resolve(message);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.send(build(id));
    });
  }

  private ensureStarted(): ChildProcess {
    if (this.child) return this.child;
    const { workerPath } = this.options;
    if (!existsSync(workerPath)) {
      throw new GeneratorError(
        `The local model worker bundle was not found at ${workerPath}. Build it with 'npm run build', or pass its path as configureLocalModels({ workerPath }).`,
        { code: 'configuration' },
      );
    }
    this.stderrTail = '';
    const child = fork(workerPath, [], {
      // The extension host's own flags (inspector, loaders) must not leak into the worker.
      execArgv: [],
      // Inside VS Code, process.execPath is Electron: this makes it run the worker as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
    });
    child.on('message', (message: WorkerToHost) => this.handle(message));
    // A worker that never started emits only 'error'; one that ran reports through 'exit'.
    child.on('error', (error) => {
      if (child.pid === undefined) this.handleExit(child, `could not be started (${error.message})`, null, null);
    });
    child.once('exit', (code, signal) =>
      this.handleExit(child, signal ? `was killed by ${signal}` : `exited with code ${code}`, code, signal),
    );
    // A process using the core (a script, the test runner) may exit while the worker is idle: nothing of the
    // child keeps the event loop alive except the IPC channel while a request is in flight (see `holdOpen`).
    child.unref();
    (child.stderr as Socket | null)?.unref();
    this.child = child;
    this.post({ type: 'configure', settings: this.options.settings });
    return child;
  }

  private handle(message: WorkerToHost): void {
    if (message.type === 'progress') {
      for (const listener of this.progressListeners) listener(message.progress);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'chunk':
        pending.onChunk?.(message.text);
        return;
      case 'cancelled':
        this.settle(message.id, () => pending.reject(cancelledError({ completionTokens: message.completionTokens })));
        return;
      case 'error':
        this.settle(message.id, () =>
          pending.reject(
            new GeneratorError(message.error.message, {
              code: message.error.code === 'unknown' ? 'unknown' : message.error.code,
              isRetryable: message.error.code === 'network',
            }),
          ),
        );
        return;
      default:
        this.settle(message.id, () => pending.resolve(message));
    }
  }

  /** Removes a request and runs its completion; arms the idle timer when it was the last one. */
  private settle(id: number, complete: () => void): void {
    if (!this.pending.delete(id)) return;
    complete();
    if (this.pending.size === 0 && this.child) {
      this.holdOpen(this.child, false);
      this.armIdleTimer();
    }
  }

  /** Refs the IPC channel while requests are in flight, so their replies are awaited even in a bare script. */
  private holdOpen(child: ChildProcess, hold: boolean): void {
    if (hold) child.channel?.ref();
    else child.channel?.unref();
  }

  private handleExit(child: ChildProcess, how: string, code: number | null, signal: NodeJS.Signals | null): void {
    const expected = this.stopping.delete(child);
    if (this.child === child) {
      this.child = undefined;
      this.clearIdleTimer();
      const output = this.stderrTail.trim();
      this.failAll(
        (request) =>
          new GeneratorError(
            `The local model worker ${how} while running ${request.model}; the request did not finish. ` +
              `The next request starts a new worker. If this repeats, the model may need more memory than is available.` +
              (output ? ` Worker output: ${output.slice(-500)}` : ''),
            { code: 'worker_crashed', isRetryable: true },
          ),
      );
    }
    for (const listener of this.exitListeners) listener({ pid: child.pid, code, signal, expected });
  }

  private failAll(makeError: (request: PendingRequest) => Error): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    for (const request of requests) request.reject(makeError(request));
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => void this.shutdown(), this.options.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private post(message: HostToWorker): void {
    if (this.child?.connected) this.child.send(message);
  }

  /** Asks the worker to exit, and kills it if it does not within the grace period. */
  private stop(child: ChildProcess): Promise<void> {
    this.stopping.add(child);
    return new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      if (child.connected) child.send({ type: 'shutdown' } satisfies HostToWorker);
      else child.kill();
    });
  }
}
