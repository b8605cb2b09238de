// Every request the host starts gets an AbortController here, so deactivation can cancel them all at once.

export class InFlightRequests {
  private readonly controllers = new Set<AbortController>();

  /** A new controller, tracked until `done` is called. */
  start(): { signal: AbortSignal; abort: (reason?: unknown) => void; done: () => void } {
    const controller = new AbortController();
    this.controllers.add(controller);
    return { signal: controller.signal, abort: (reason) => controller.abort(reason), done: () => this.controllers.delete(controller) };
  }

  get size(): number {
    return this.controllers.size;
  }

  abortAll(reason = 'The extension is shutting down.'): void {
    for (const controller of this.controllers) controller.abort(reason);
    this.controllers.clear();
  }
}
