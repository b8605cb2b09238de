import * as vscode from 'vscode';
import type { GeneratorRegistry } from '../registry/generatorRegistry';
import type { ChatViewService } from '../chat/chatViewService';
import type { HostServices } from './hostServices';
import type { InFlightRequests } from './inFlightRequests';
import type { SecretCache } from '../secrets/secretCache';
import { withHostHint } from './hostErrorMessage';

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
  // `never`: a handler may declare any options type; what a script passes is whatever it passes.
  commands: Record<string, (options?: never) => unknown>,
  onError: (error: unknown) => void,
): void {
  for (const [name, typed] of Object.entries(commands)) {
    const handler = typed as (options?: unknown) => unknown;
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
