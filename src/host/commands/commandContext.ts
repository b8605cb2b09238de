import * as vscode from 'vscode';
import type { GeneratorRegistry } from '../generatorRegistry';
import type { ChatViewService, HostServices } from '../hostServices';
import type { InFlightRequests } from '../inFlightRequests';
import type { SecretCache } from '../secretCache';

/** What every command module gets from `activate`. */
export interface CommandContext extends HostServices {
  registry: GeneratorRegistry;
  secrets: SecretCache;
  /** Requests started by commands; 'Generators: Stop' and deactivation abort them. */
  requests: InFlightRequests;
  /** The chat panel, when it is available in this build. */
  chat?: ChatViewService;
}

/** Registers each handler as the command `generators.<name>`; handler failures are shown, not swallowed. */
export function registerCommands(ctx: CommandContext, commands: Record<string, (...args: any[]) => unknown>, onError: (error: unknown) => void): void {
  for (const [name, handler] of Object.entries(commands)) {
    const run = async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        onError(error);
        // Rethrown so scripted callers (executeCommand in tests, other extensions) see the failure too.
        throw error;
      }
    };
    ctx.context.subscriptions.push(vscode.commands.registerCommand(`generators.${name}`, run));
  }
}
