// The local-model child process: started by LocalModelWorkerClient with child_process.fork, serves every local
// generator of the editor over IPC (see localModelProtocol.ts). Heavy work stays here so that a big model never
// blocks the extension host and a crash cannot take it down.
import { generate } from './generation';
import type { GenerateRequest, HostToWorker, PipelineSpec, WorkerToHost } from './localModelProtocol';
import { PipelineCache } from './pipelineCache';
import { toWorkerFailure } from './workerRequestError';

const pipelines = new PipelineCache();
const queued = new Set<number>();
const cancelled = new Set<number>();
// One generation at a time: concurrent runs on one ONNX session would only compete for the same cores.
let generations: Promise<void> = Promise.resolve();

function send(message: WorkerToHost): void {
  process.send?.(message);
}

async function load(id: number, spec: PipelineSpec, token: string | undefined): Promise<void> {
  try {
    const loaded = await pipelines.get(spec, token, (progress) => send({ type: 'progress', id, progress }));
    send({ type: 'loaded', id, task: loaded.task });
  } catch (error) {
    send({ type: 'error', id, error: toWorkerFailure(error) });
  }
}

/** Counts with the tokenizer of a pipeline already loaded; a model that is not loaded is not loaded for this. */
async function countTokens(id: number, spec: PipelineSpec, text: string): Promise<void> {
  try {
    const loaded = await pipelines.loaded(spec);
    const tokens = loaded ? loaded.pipeline.tokenizer.encode(text, { add_special_tokens: false }).length : null;
    send({ type: 'tokenCount', id, tokens });
  } catch (error) {
    send({ type: 'error', id, error: toWorkerFailure(error) });
  }
}

async function serveGeneration(id: number, request: GenerateRequest, token: string | undefined): Promise<void> {
  try {
    if (cancelled.has(id)) return send({ type: 'cancelled', id, completionTokens: 0 });
    const loaded = await pipelines.get(request.pipeline, token, (progress) => send({ type: 'progress', id, progress }));
    const outcome = await generate(loaded, request, {
      isCancelled: () => cancelled.has(id),
      onText: (text) => send({ type: 'chunk', id, text }),
    });
    if (outcome.kind === 'cancelled') send({ type: 'cancelled', id, completionTokens: outcome.completionTokens });
    else send({ type: 'done', id, result: outcome.result });
  } catch (error) {
    send({ type: 'error', id, error: toWorkerFailure(error) });
  } finally {
    queued.delete(id);
    cancelled.delete(id);
  }
}

process.on('message', (message: HostToWorker) => {
  switch (message.type) {
    case 'configure':
      pipelines.configure(message.settings);
      break;
    case 'load':
      void load(message.id, message.pipeline, message.token);
      break;
    case 'generate':
      queued.add(message.id);
      generations = generations.then(() => serveGeneration(message.id, message.request, message.token));
      break;
    case 'countTokens':
      void countTokens(message.id, message.pipeline, message.text);
      break;
    case 'cancel':
      // A cancel can cross the request's `done` on the way; only requests still here can be cancelled.
      if (queued.has(message.id)) cancelled.add(message.id);
      break;
    case 'shutdown':
      process.exit(0);
  }
});

// The host went away (closed window, crashed extension host): nobody is left to serve.
process.on('disconnect', () => process.exit(0));
