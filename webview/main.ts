// Entry point of the chat webview bundle (dist/webview.js).
import type { HostMessage } from '../src/shared/protocol';
import { ChatApp } from './app';
import { registerToolkit } from './toolkitRegistration';
import { host } from './vscodeApi';

registerToolkit();
const app = new ChatApp(document.getElementById('app') ?? document.body, host);
window.addEventListener('message', (event: MessageEvent<HostMessage>) => app.handle(event.data));
host.postMessage({ type: 'ready' });
