// Types of vscodeStub.cjs for the TypeScript tests and benchmarks that use it.

/** The stub's Uri: a file path and its parts. */
export interface StubUri {
  scheme: string;
  authority: string;
  path: string;
  query: string;
  fragment: string;
  readonly fsPath: string;
  with(change: Partial<Pick<StubUri, 'scheme' | 'authority' | 'path' | 'query' | 'fragment'>>): StubUri;
  toString(): string;
}

interface Disposable {
  dispose(): void;
}

/** What the code under test registered, by kind; `webviewViews` keeps each provider. */
export declare const registrations: {
  commands: string[];
  webviewViews: { id: string; provider: unknown }[];
  other: string[];
};

/** The `vscode` module's stand-in; members not listed are permissive stubs. */
export declare const vscode: {
  Uri: {
    file(fsPath: string): StubUri;
    parse(text: string): StubUri;
    joinPath(base: StubUri, ...segments: string[]): StubUri;
  };
  [member: string]: unknown;
};

/** An ExtensionContext for an extension installed at `root`, with empty state and SecretStorage. */
export declare function extensionContext(root: string): {
  subscriptions: Disposable[];
  extensionUri: StubUri;
  globalStorageUri: StubUri;
  [member: string]: unknown;
};

/** Makes `require('vscode')` return the stub until the returned function is called. */
export declare function installVscodeStub(): () => void;
