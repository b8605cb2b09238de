// The language model chat provider of the `haystack` vendor: every configured chat and text generator, in VS Code's
// Chat and to every extension through `vscode.lm`.
import * as vscode from 'vscode';
import type { Generator } from '../../core/generator';
import type { GeneratorRegistry } from '../registry/generatorRegistry';
import type { KeyApprovalCheck } from './keyApproval';
import { keyNotApprovedError, toLanguageModelError } from './languageModelErrors';
import { runLanguageModelRequest } from './languageModelRequest';
import { listModels, type HaystackModelInformation } from './modelInformation';
import { countTokens } from './tokenCounting';
import { fromVscodeMessage, toVscodePart } from './vscodeParts';

/** The vendor id of package.json's `languageModelChatProviders` entry. */
export const HAYSTACK_VENDOR = 'haystack';

export interface HaystackChatProviderDependencies {
  registry: GeneratorRegistry;
  log: vscode.LogOutputChannel;
  /** Asked before every request; see keyApproval.ts. */
  mayKeyGoToEndpoint: KeyApprovalCheck;
}

export class HaystackChatProvider
  implements vscode.LanguageModelChatProvider<HaystackModelInformation>, vscode.Disposable
{
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the generators' settings change: VS Code then asks for the list again. */
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly registrySubscription: vscode.Disposable;

  constructor(private readonly deps: HaystackChatProviderDependencies) {
    this.registrySubscription = deps.registry.onDidChange(() => this.changed.fire());
  }

  provideLanguageModelChatInformation(): HaystackModelInformation[] {
    return listModels(this.deps.registry);
  }

  async provideLanguageModelChatResponse(
    model: HaystackModelInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const { registry, log } = this.deps;
    // The one place a CancellationToken becomes the AbortSignal that reaches the SDK call or the worker.
    const abort = new AbortController();
    const cancellation = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    const started = performance.now();
    try {
      const generator = registry.get(model.id);
      const entry = registry.entry(model.id);
      const approved = await this.deps.mayKeyGoToEndpoint({ generatorName: model.id, entry, signal: abort.signal });
      if (!approved) throw keyNotApprovedError(model.id);
      log.info(
        `Language model request to "${model.id}": ${messages.length} messages, ${options.tools?.length ?? 0} tools.`,
      );
      await runLanguageModelRequest({
        name: model.id,
        generator,
        component: entry ?? { type: generator.typeName, init_parameters: {} },
        messages: messages.map(fromVscodeMessage),
        modelOptions: options.modelOptions,
        tools: options.tools,
        toolMode: options.toolMode,
        signal: abort.signal,
        emit: (part) => token.isCancellationRequested || progress.report(toVscodePart(part)),
      });
      log.info(`Language model request to "${model.id}" finished in ${Math.round(performance.now() - started)} ms.`);
    } catch (error) {
      const reported = error instanceof vscode.LanguageModelError ? error : toLanguageModelError(error);
      if (reported instanceof vscode.CancellationError) log.info(`Language model request to "${model.id}" cancelled.`);
      else log.warn(`Language model request to "${model.id}" failed: ${reported.message}`);
      throw reported;
    } finally {
      cancellation.dispose();
    }
  }

  async provideTokenCount(
    model: HaystackModelInformation,
    text: string | vscode.LanguageModelChatRequestMessage,
    token: vscode.CancellationToken,
  ): Promise<number> {
    const abort = new AbortController();
    const cancellation = token.onCancellationRequested(() => abort.abort());
    try {
      let generator: Generator | undefined;
      try {
        generator = this.deps.registry.get(model.id);
      } catch {
        // Counting is for budgeting a prompt: a generator that cannot be built still gets the estimate.
      }
      return await countTokens(generator, typeof text === 'string' ? text : fromVscodeMessage(text), abort.signal);
    } finally {
      cancellation.dispose();
    }
  }

  dispose(): void {
    this.registrySubscription.dispose();
    this.changed.dispose();
  }
}
