// A stand-in for the `vscode` module, so the chat view's VS Code edge (chatViewProvider.ts) runs in plain Node:
// it records the registered webview view provider and answers the few APIs the edge calls at runtime.
import Module from 'node:module';
import { join } from 'node:path';

export interface StubUri {
  fsPath: string;
  toString(): string;
}

const uri = (fsPath: string): StubUri => ({
  fsPath,
  toString: () => `https://file+.vscode-resource.vscode-cdn.net${fsPath}`,
});

export const vscodeStub = {
  registeredViews: new Map<string, unknown>(),
  warnings: [] as string[],
  Uri: {
    file: uri,
    joinPath: (base: StubUri, ...parts: string[]) => uri(join(base.fsPath, ...parts)),
  },
  window: {
    registerWebviewViewProvider(id: string, provider: unknown) {
      vscodeStub.registeredViews.set(id, provider);
      return { dispose() {} };
    },
    showWarningMessage: async (message: string) => void vscodeStub.warnings.push(message),
  },
  commands: {
    registerCommand: () => ({ dispose() {} }),
    executeCommand: async () => undefined,
  },
  env: {},
};

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleWithLoad = Module as unknown as { _load: Load };

/** Makes `require('vscode')` return the stub until the returned function is called. */
export function installVscodeStub(): () => void {
  const original = moduleWithLoad._load;
  moduleWithLoad._load = function (this: unknown, request, parent, isMain) {
    return request === 'vscode' ? vscodeStub : original.call(this, request, parent, isMain);
  };
  return () => {
    moduleWithLoad._load = original;
  };
}
