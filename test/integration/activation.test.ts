// The extension loads from its development path and activates in a real extension host.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'generators-dev.vscode-generators';

describe('extension activation', () => {
  it('is loaded from the development path and activates', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded: is the extensionDevelopmentPath the repository root?`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command its package.json contributes', async () => {
    const extension = vscode.extensions.getExtension(extensionId)!;
    await extension.activate();
    const contributed: { command: string }[] = extension.packageJSON.contributes?.commands ?? [];
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.map((c) => c.command).filter((id) => !registered.has(id)),
      [],
    );
  });
});
