// Every request the host starts gets an AbortController here, so 'Generators: Stop' and deactivation can
// cancel them all at once.

export class InFlightRequests {
  private readonly controllers = new Set<AbortController>();
  private readonly listeners = new Set<(running: number) => void>();

  /** A new controller, tracked until `done` is called. */
  start(): { signal: AbortSignal; abort: (reason?: unknown) => void; done: () => void } {
    const controller = new AbortController();
    this.controllers.add(controller);
    this.changed();
    return {
      signal: controller.signal,
      abort: (reason) => controller.abort(reason),
      done: () => {
        if (this.controllers.delete(controller)) this.changed();
      },
    };
  }

  get size(): number {
    return this.controllers.size;
  }

  /** Hears the number of running requests whenever it changes (for the `when` context of the Stop key). */
  onDidChange(listener: (running: number) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  abortAll(reason = 'The extension is shutting down.'): void {
    for (const controller of this.controllers) controller.abort(reason);
    this.controllers.clear();
    this.changed();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener(this.controllers.size);
  }
}
