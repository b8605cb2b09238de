/** Something that paints what arrived since its last frame. */
export interface Paintable {
  /** Returns true when it stopped early to keep the frame short and has more to paint in the next one. */
  paint(): boolean | void;
}

/** Main-thread time (ms) a frame's paint callbacks may spend before cheap work is deferred to the next frame. */
export const FRAME_BUDGET_MS = 8;

/**
 * Coalesces DOM work to animation frames: however many chunks arrive between two frames, each streaming view paints
 * once, so the main thread does one small append per view per frame. A frame that comes late (a busy machine, a
 * hidden panel) would otherwise have to render everything that arrived meanwhile in one long task, so views ask
 * `hasTimeLeft()` before each costly step and carry the rest over; the frame's budget is shared by all views.
 */
export class FrameScheduler {
  private readonly dirty = new Set<Paintable>();
  private scheduled = false;
  private frameStart = 0;

  constructor(
    private readonly requestFrame: (callback: () => void) => unknown = (cb) => requestAnimationFrame(cb),
    private readonly now: () => number = () => performance.now(),
    private readonly budgetMs = FRAME_BUDGET_MS,
  ) {}

  request(view: Paintable): void {
    this.dirty.add(view);
    if (this.scheduled) return;
    this.scheduled = true;
    this.requestFrame(() => this.flush());
  }

  /** Whether the frame being painted still has budget left for costly work. */
  hasTimeLeft(): boolean {
    return this.now() - this.frameStart < this.budgetMs;
  }

  /** Paints now (a reply finishing must not wait a frame to show its last text). */
  flush(): void {
    this.scheduled = false;
    this.frameStart = this.now();
    const views = [...this.dirty];
    this.dirty.clear();
    let unfinished = false;
    for (const view of views) unfinished = view.paint() === true || unfinished;
    // Every view of this frame paints again in the next one, not only the unfinished ones: views painted after a
    // reply (the list that follows its end) depend on what it paints.
    if (unfinished) for (const view of views) this.request(view);
  }
}
