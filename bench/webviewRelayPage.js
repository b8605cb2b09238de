// Runs inside the chat webview page for bench/webviewRelay.ts, installed before the page's own scripts.
// It stands in for VS Code's side of the webview (acquireVsCodeApi) and delivers host messages the way VS Code
// does, as `message` events on the window, at a given rate. It records long tasks (PerformanceObserver
// 'longtask') and animation-frame intervals. Plain browser JavaScript: it is sent to the page as text.
(() => {
  const posted = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => posted.push(message),
    getState: () => undefined,
    setState: () => {},
  });

  const longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });

  const deliver = (data) => window.dispatchEvent(new MessageEvent('message', { data }));
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  /** Resolves after the frame that paints the current DOM: a task queued from a frame callback runs after its paint. */
  const afterPaint = () =>
    new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));

  /** Resolves with the time right after the frame in which `predicate` first became true, checked on each DOM change. */
  function renderedWhen(predicate) {
    return new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!predicate()) return;
        observer.disconnect();
        // The observer runs at the end of the task that changed the DOM (the frame callback that painted the text);
        // a task queued now runs once that frame has been rendered.
        setTimeout(() => resolve(performance.now()), 0);
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }

  const replyText = (id) => document.querySelector(`article[data-id="${id}"] .content`)?.textContent ?? '';

  window.benchRelay = {
    posted,
    deliver,
    /** Waits until the app has asked the host for its state (`ready`). */
    ready: () => posted.some((m) => m.type === 'ready'),

    /** One reply whose first chunk carries `marker`: time from delivering that chunk to the frame showing it. */
    async firstToken(started, firstChunk, done) {
      deliver(started);
      await afterPaint();
      await nextFrame();
      // Chunks arrive at any point of a frame; delivering right after a frame callback would always wait a whole
      // frame, so the delivery is spread over the frame interval.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 16.7));
      const shown = renderedWhen(() => replyText(started.reply.id).includes(firstChunk.text));
      const t0 = performance.now();
      deliver(firstChunk);
      const rendered = await shown;
      deliver(done);
      await afterPaint();
      return rendered - t0;
    },

    /** Keeps a reply's messages in the page, so that handing them over is not part of what `stream` measures. */
    load(started, chunks, done) {
      this.loaded = { started, chunks, done };
    },

    /**
     * Streams the loaded reply's chunks between `started` and `done` at `perSecond`, on a timer (browsers run it every
     * ~4 ms, so chunks arrive in small batches, as VS Code's relay also delivers them). Returns when the finished
     * reply is painted.
     */
    async stream(perSecond) {
      const { started, chunks, done } = this.loaded;
      this.loaded = undefined;
      deliver(started);
      await afterPaint();
      const frames = [];
      let recording = true;
      const onFrame = (time) => {
        frames.push(time);
        if (recording) requestAnimationFrame(onFrame);
      };
      requestAnimationFrame(onFrame);
      const firstLongTask = longTasks.length;
      const t0 = performance.now();
      let sent = 0;
      await new Promise((resolve) => {
        const tick = () => {
          const due = Math.min(chunks.length, Math.floor(((performance.now() - t0) * perSecond) / 1000) + 1);
          while (sent < due) deliver(chunks[sent++]);
          if (sent < chunks.length) setTimeout(tick, 1);
          else resolve();
        };
        tick();
      });
      const lastChunk = performance.now();
      deliver(done);
      const finished = await afterPaint();
      recording = false;
      let longestFrame = 0;
      for (let i = 1; i < frames.length; i++) longestFrame = Math.max(longestFrame, frames[i] - frames[i - 1]);
      const tasks = longTasks.slice(firstLongTask);
      return {
        streamMs: lastChunk - t0,
        totalMs: finished - t0,
        finishMs: finished - lastChunk,
        longestFrameMs: longestFrame,
        longTasks: tasks.length,
        longestTaskMs: tasks.reduce((max, task) => Math.max(max, task.duration), 0),
        renderedCharacters: replyText(started.reply.id).length,
      };
    },
  };
})();
