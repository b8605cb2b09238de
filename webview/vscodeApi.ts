import type { WebviewMessage } from '../src/shared/protocol';

/** What the webview keeps across its own reloads (VS Code stores it while the view is hidden). */
export interface PersistedState {
  draft?: string;
}

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PersistedState | undefined;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The one handle on the host; `acquireVsCodeApi` may only be called once per page. */
export const host: VsCodeApi = acquireVsCodeApi();
