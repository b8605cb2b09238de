// 'Set API Key' and 'Clear API Key': keys go to VS Code SecretStorage under env-var names, never to settings.
import * as vscode from 'vscode';
import { COMMON_SECRET_NAMES, generatorTypeInfo } from '../registry/generatorCatalog';
import { validateSecretName } from './secretCache';
import type { CommandContext } from '../platform/commandContext';

/** Arguments for scripted use (tests, other commands); without them the command asks. */
export interface SetApiKeyArgs {
  envVar?: string;
  value?: string;
}

export function apiKeyCommands(ctx: CommandContext) {
  const suggestedNames = (): string[] => {
    const fromEntries = ctx.registry.list().flatMap((g) => generatorTypeInfo(g.type)?.secretEnvVars ?? []);
    return [...new Set([...fromEntries, ...COMMON_SECRET_NAMES])];
  };

  return {
    async setApiKey(args: SetApiKeyArgs = {}): Promise<boolean> {
      const envVar = args.envVar ?? (await askSecretName(suggestedNames(), ctx));
      if (!envVar) return false;
      const invalid = validateSecretName(envVar);
      if (invalid) throw new Error(`"${envVar}" is not a valid name. ${invalid}`);
      const value =
        args.value ??
        (await vscode.window.showInputBox({
          title: `API key for ${envVar}`,
          prompt: `Stored in VS Code's secret storage; generators that read ${envVar} use it before the environment variable.`,
          password: true,
          ignoreFocusOut: true,
          validateInput: (text) => (text.trim() === '' ? 'Enter the key, or press Escape to cancel.' : undefined),
        }));
      if (value === undefined) return false;
      await ctx.secrets.set(envVar, value.trim());
      ctx.log.info(`Stored a key for ${envVar} in secret storage.`);
      if (args.value === undefined)
        void vscode.window.showInformationMessage(`Stored ${envVar} in VS Code's secret storage.`);
      return true;
    },

    async clearApiKey(args: { envVar?: string } = {}): Promise<boolean> {
      let envVar = args.envVar;
      if (!envVar) {
        const stored = ctx.secrets.names();
        if (stored.length === 0) {
          void vscode.window.showInformationMessage(
            'No API key is stored in VS Code; keys set as environment variables are not affected.',
          );
          return false;
        }
        envVar = await vscode.window.showQuickPick(stored, { title: 'Clear a stored API key' });
      }
      if (!envVar) return false;
      await ctx.secrets.clear(envVar);
      ctx.log.info(`Removed the stored key for ${envVar}.`);
      if (!args.envVar) void vscode.window.showInformationMessage(`Removed ${envVar} from VS Code's secret storage.`);
      return true;
    },
  };
}

async function askSecretName(suggested: string[], ctx: CommandContext): Promise<string | undefined> {
  const other = 'Other environment variable name…';
  const items = [
    ...suggested.map((name) => ({ label: name, description: ctx.secrets.has(name) ? 'stored' : undefined })),
    { label: other },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Which key do you want to set?',
    placeHolder: 'The environment variable name your generator reads',
  });
  if (!picked) return undefined;
  if (picked.label !== other) return picked.label;
  return vscode.window.showInputBox({
    title: 'Environment variable name',
    placeHolder: 'MY_PROVIDER_API_KEY',
    validateInput: (name) => validateSecretName(name),
  });
}
