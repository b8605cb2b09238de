import type { WorkerFailure } from './localModelProtocol';

/** A failure the worker explains to the host; anything else is reported with code `unknown`. */
export class WorkerRequestError extends Error {
  constructor(
    message: string,
    readonly code: WorkerFailure['code'],
  ) {
    super(message);
    this.name = 'WorkerRequestError';
  }
}

/** The IPC form of any error thrown while serving a request. */
export function toWorkerFailure(error: unknown): WorkerFailure {
  if (error instanceof WorkerRequestError) return { message: error.message, code: error.code };
  return { message: error instanceof Error ? error.message : String(error), code: 'unknown' };
}
