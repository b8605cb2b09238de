// The harness itself: the workbench opens with the extension loaded, the palette runs commands, the Generators
// container shows its webview.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { extensionId, useWorkbench } from './workbench';

describe('e2e harness', () => {
  const workbench = useWorkbench({ files: { 'notes.md': '# Notes\n' } });

  it('opens the Generators view and reaches its webview content', async () => {
    const chat = await workbench().openGeneratorsView();
    assert.ok((await chat.locator('body').innerHTML()).length > 0);
  });

  it('runs a palette command: the running extensions list shows the activated extension', async () => {
    const { page } = workbench();
    await workbench().runCommand('Developer: Show Running Extensions');
    await page.locator('.runtime-extensions-editor').getByText(extensionId, { exact: true }).waitFor();
  });

  it('saves screenshots into test/e2e/artifacts/', async () => {
    assert.ok(existsSync(await workbench().screenshot('harness smoke')));
  });
});
