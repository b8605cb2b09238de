import * as vscode from 'vscode';
import type { GeneratorRegistry } from '../generatorRegistry';
import type { ChatViewService, HostServices } from '../hostServices';
import type { InFlightRequests } from '../inFlightRequests';
import type { SecretCache } from '../secretCache';
import { withHostHint } from '../chat/errorView';

/** What every command module gets from `activate`. */
export interface CommandContext extends HostServices {
  registry: GeneratorRegistry;
  secrets: SecretCache;
  /** Requests started by commands; 'Generators: Stop' and deactivation abort them. */
  requests: InFlightRequests;
  /** The chat panel, when it is available in this build. */
  chat?: ChatViewService;
}

/**
 * Registers each handler as the command `generators.<name>`. Interactive runs (palette, menus: no options object)
 * show failures as notifications; scripted runs (`executeCommand` with an options object) get the rejection.
 */
export function registerCommands(
  ctx: CommandContext,
  commands: Record<string, (options?: any) => unknown>,
  onError: (error: unknown) => void,
): void {
  for (const [name, handler] of Object.entries(commands)) {
    const run = async (first?: unknown) => {
      // Menus pass a Uri or the editor's state; only a plain object is taken as options.
      const scripted = isPlainObject(first);
      try {
        return await handler(scripted ? first : undefined);
      } catch (error) {
        if (scripted) throw withHostHint(error);
        onError(error);
        return undefined;
      }
    };
    ctx.context.subscriptions.push(vscode.commands.registerCommand(`generators.${name}`, run));
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
