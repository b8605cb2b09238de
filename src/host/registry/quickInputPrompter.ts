// The add-generator wizard's questions as VS Code quick picks and input boxes.
import * as vscode from 'vscode';
import type { WizardPrompter } from './addGeneratorWizard';

export const quickInputPrompter: WizardPrompter = {
  async pick(title, items) {
    return (await vscode.window.showQuickPick(items, { title, matchOnDetail: true, ignoreFocusOut: true }))?.value;
  },
  async pickMany(title, items) {
    const picked = await vscode.window.showQuickPick(
      items.map((item) => ({ ...item, picked: true })),
      { title, canPickMany: true, ignoreFocusOut: true },
    );
    return picked?.map((item) => item.value);
  },
  input(title, options) {
    return Promise.resolve(
      vscode.window.showInputBox({
        title,
        value: options.value,
        placeHolder: options.placeHolder,
        ignoreFocusOut: true,
        validateInput: options.validate,
      }),
    );
  },
};
