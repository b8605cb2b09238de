// The one stand-in for the `vscode` module, for code that runs the extension's VS Code edge in plain Node: unit
// tests of the chat view and the activation benchmark's probe (CommonJS, so a plain `node` process loads it too).
// Known APIs behave like an empty VS Code (no settings, no stored keys); any other API is a permissive stub, so code
// written after this file still runs. Calls to `register*` APIs are recorded.
'use strict';
const Module = require('node:module');
const path = require('node:path');

/** What activation registered: commands, views, providers (`registrations.webviewViews` holds the providers). */
const registrations = { commands: [], webviewViews: [], other: [] };

const disposable = () => ({ dispose() {} });

/** Any property is another stub; calling or constructing one returns a stub. Not thenable, so `await` works. */
function stub(name) {
  const target = function () {};
  return new Proxy(target, {
    get(_target, key) {
      if (key === 'then' || typeof key === 'symbol') return undefined;
      if (key === 'dispose') return () => {};
      if (key === 'toString') return () => name;
      return stub(`${name}.${String(key)}`);
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

/** An object whose listed members are real and whose other members are stubs. */
function partial(name, members) {
  return new Proxy(members, {
    get(target, key) {
      if (key in target || typeof key === 'symbol' || key === 'then') return target[key];
      if (/^register/.test(String(key)))
        return () => (registrations.other.push(`${name}.${String(key)}`), disposable());
      if (/^onDid|^onWill/.test(String(key))) return () => disposable();
      return stub(`${name}.${String(key)}`);
    },
  });
}

class Uri {
  constructor(scheme, authority, uriPath, query, fragment) {
    Object.assign(this, { scheme, authority, path: uriPath, query, fragment });
  }
  get fsPath() {
    return this.path;
  }
  with(change) {
    const u = { ...this, ...change };
    return new Uri(u.scheme, u.authority, u.path, u.query, u.fragment);
  }
  toString() {
    return `${this.scheme}://${this.authority}${this.path}`;
  }
  toJSON() {
    return this.toString();
  }
  static file(fsPath) {
    return new Uri('file', '', fsPath, '', '');
  }
  static parse(text) {
    const url = new URL(text);
    return new Uri(
      url.protocol.replace(/:$/, ''),
      url.host,
      decodeURIComponent(url.pathname),
      url.search.slice(1),
      url.hash.slice(1),
    );
  }
  static from(parts) {
    return new Uri(parts.scheme, parts.authority ?? '', parts.path ?? '', parts.query ?? '', parts.fragment ?? '');
  }
  static joinPath(base, ...segments) {
    return base.with({ path: path.posix.join(base.path, ...segments) });
  }
}

class StubDisposable {
  constructor(onDispose) {
    this.onDispose = onDispose;
  }
  dispose() {
    this.onDispose?.();
  }
  static from(...items) {
    return new StubDisposable(() => items.forEach((item) => item?.dispose?.()));
  }
}

class EventEmitter {
  listeners = new Set();
  event = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value) {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

const emptyConfiguration = partial('configuration', {
  get: (_key, fallback) => fallback,
  has: () => false,
  inspect: () => undefined,
  update: async () => {},
});

const vscode = {
  Uri,
  Disposable: StubDisposable,
  EventEmitter,
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  window: partial('window', {
    activeTextEditor: undefined,
    visibleTextEditors: [],
    createOutputChannel: (name) => partial(`outputChannel(${name})`, {}),
    registerWebviewViewProvider: (id, provider) => (registrations.webviewViews.push({ id, provider }), disposable()),
  }),
  commands: partial('commands', {
    registerCommand: (id) => (registrations.commands.push(id), disposable()),
    registerTextEditorCommand: (id) => (registrations.commands.push(id), disposable()),
    executeCommand: async () => undefined,
  }),
  workspace: partial('workspace', {
    workspaceFolders: undefined,
    getConfiguration: () => emptyConfiguration,
  }),
  env: partial('env', { language: 'en', appName: 'Visual Studio Code' }),
};

/** An ExtensionContext for an extension installed at `root`, with empty state and SecretStorage. */
function extensionContext(root) {
  const memento = () => ({
    get: (_key, fallback) => fallback,
    update: async () => {},
    keys: () => [],
    setKeysForSync() {},
  });
  const storage = Uri.file(path.join(root, '.bench-storage'));
  return {
    subscriptions: [],
    extensionUri: Uri.file(root),
    extensionPath: root,
    extensionMode: vscode.ExtensionMode.Production,
    globalState: memento(),
    workspaceState: memento(),
    globalStorageUri: storage,
    storageUri: storage,
    logUri: storage,
    asAbsolutePath: (relative) => path.join(root, relative),
    secrets: {
      get: async () => undefined,
      store: async () => {},
      delete: async () => {},
      keys: async () => [],
      onDidChange: () => disposable(),
    },
    environmentVariableCollection: stub('environmentVariableCollection'),
    extension: { id: 'generators-dev.vscode-generators', extensionUri: Uri.file(root), packageJSON: {} },
  };
}

/** A shown webview view; `ready` resolves when the provider has set its HTML. */
function webviewView(viewType) {
  let html = '';
  let markReady;
  const ready = new Promise((resolve) => (markReady = resolve));
  const webview = {
    options: {},
    cspSource: 'vscode-webview://bench',
    asWebviewUri: (uri) => uri,
    postMessage: async () => true,
    onDidReceiveMessage: () => disposable(),
    get html() {
      return html;
    },
    set html(value) {
      html = value;
      markReady();
    },
  };
  const view = {
    viewType,
    webview,
    visible: true,
    title: undefined,
    show() {},
    onDidChangeVisibility: () => disposable(),
    onDidDispose: () => disposable(),
  };
  return { view, ready };
}

/** Makes `require('vscode')` return the stub until the returned function is called. */
function installVscodeStub() {
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  return () => {
    Module._load = load;
  };
}

module.exports = { vscode, registrations, extensionContext, webviewView, installVscodeStub };
