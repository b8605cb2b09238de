/** Something that paints what arrived since its last frame. */
export interface Paintable {
  paint(): void;
}

/**
 * Coalesces DOM work to animation frames: however many chunks arrive between two frames, each streaming view paints
 * once, so the main thread does one small append per view per frame.
 */
export class FrameScheduler {
  private readonly dirty = new Set<Paintable>();
  private scheduled = false;

  constructor(private readonly requestFrame: (callback: () => void) => unknown = (cb) => requestAnimationFrame(cb)) {}

  request(view: Paintable): void {
    this.dirty.add(view);
    if (this.scheduled) return;
    this.scheduled = true;
    this.requestFrame(() => this.flush());
  }

  /** Paints now (a reply finishing must not wait a frame to show its last text). */
  flush(): void {
    this.scheduled = false;
    const views = [...this.dirty];
    this.dirty.clear();
    for (const view of views) view.paint();
  }
}
