// The host-side registry: named generators built lazily from the `generators.generators` setting. Kept free of
// the `vscode` module (only its types) so unit tests drive it in plain Node; extension.ts feeds it settings.
import type * as vscode from 'vscode';
import { GeneratorError } from '../../core/errors';
import type { Generator, GeneratorClass } from '../../core/generator';
import { generatorClassFor, registeredTypes } from '../../generators/registry';
import type { ConfiguredGenerator, GeneratorRegistryService } from './registryService';
import {
  displayModel,
  formatProblem,
  parseGeneratorEntries,
  type EntryProblem,
  type GeneratorEntry,
} from './generatorSettings';
import { shortTypeName } from './generatorCatalog';

/** The settings the registry is built from. */
export interface RegistrySettings {
  /** The raw `generators.generators` value. */
  generators: unknown;
  /** `generators.default{Chat,Text,Image}Generator`. */
  defaults: Partial<Record<Generator['kind'], string>>;
}

/** How the registry finds generator classes (the core's registry unless a test passes its own). */
export interface RegistryDependencies {
  classFor?(typeName: string): GeneratorClass | undefined;
  knownTypes?(): GeneratorClass[];
  /** Called with problems found while building (for the log); never given secret values. */
  onProblem?(message: string): void;
}

interface Slot {
  entry: GeneratorEntry;
  /** The entry's JSON, to tell whether a settings change touched it. */
  fingerprint: string;
  generator?: Generator;
  error?: GeneratorError;
}

export class GeneratorRegistry implements GeneratorRegistryService, vscode.Disposable {
  private slots = new Map<string, Slot>();
  private problems: EntryProblem[] = [];
  private defaults: RegistrySettings['defaults'] = {};
  private readonly listeners = new Set<() => void>();

  private readonly deps: Required<RegistryDependencies>;

  constructor(settings: RegistrySettings, dependencies: RegistryDependencies = {}) {
    this.deps = { classFor: generatorClassFor, knownTypes: registeredTypes, onProblem: () => {}, ...dependencies };
    this.update(settings);
  }

  readonly onDidChange: vscode.Event<void> = (listener, thisArgs, disposables) => {
    const bound = () => listener.call(thisArgs);
    this.listeners.add(bound);
    const disposable = { dispose: () => this.listeners.delete(bound) };
    disposables?.push(disposable);
    return disposable;
  };

  /** Applies new settings: entries whose dict changed (or vanished) are shut down and rebuilt on next use. */
  update(settings: RegistrySettings): void {
    const parsed = parseGeneratorEntries(settings.generators);
    const next = new Map<string, Slot>();
    for (const entry of parsed.entries) {
      const fingerprint = JSON.stringify([entry.type, entry.init_parameters]);
      const previous = this.slots.get(entry.name);
      next.set(entry.name, previous && previous.fingerprint === fingerprint ? previous : { entry, fingerprint });
    }
    for (const [name, slot] of this.slots) if (next.get(name) !== slot) this.release(slot);
    this.slots = next;
    this.problems = parsed.problems;
    this.defaults = { ...settings.defaults };
    for (const problem of parsed.problems) this.deps.onProblem(formatProblem(problem));
    for (const listener of [...this.listeners]) listener();
  }

  list(): ConfiguredGenerator[] {
    const listed: ConfiguredGenerator[] = [];
    for (const slot of this.slots.values()) {
      const { entry } = slot;
      const cls = this.deps.classFor(entry.type);
      const item: ConfiguredGenerator = {
        name: entry.name,
        type: entry.type,
        kind: cls?.kind ?? 'chat',
        model: displayModel(entry.init_parameters),
      };
      const error = this.tryBuild(slot);
      if (error) item.error = error.message;
      listed.push(item);
    }
    for (const problem of this.problems)
      listed.push({ name: problem.name, type: '', kind: 'chat', error: formatProblem(problem) });
    return listed;
  }

  get(name: string): Generator {
    const slot = this.slots.get(name);
    if (!slot) {
      const problem = this.problems.find((p) => p.name === name);
      if (problem) throw new GeneratorError(formatProblem(problem), { code: 'configuration' });
      const known = [...this.slots.keys()].map((n) => `"${n}"`).join(', ') || 'none';
      throw new GeneratorError(
        `No generator named "${name}" in the "generators.generators" setting (configured: ${known}). Run 'Generators: Add Generator' to add one.`,
        {
          code: 'configuration',
        },
      );
    }
    const error = this.tryBuild(slot);
    if (error) throw error;
    return slot.generator!;
  }

  /** The entry's settings dict, for export and for nesting in a FallbackChatGenerator. */
  entry(name: string): GeneratorEntry | undefined {
    return this.slots.get(name)?.entry;
  }

  defaultName(kind: Generator['kind']): string | undefined {
    const name = this.defaults[kind];
    if (!name) return undefined;
    const slot = this.slots.get(name);
    return slot && this.deps.classFor(slot.entry.type)?.kind === kind ? name : undefined;
  }

  /** Shuts every built generator down (local workers included); the registry can still rebuild them. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.slots.values()].map((slot) => this.release(slot)));
  }

  dispose(): void {
    void this.shutdown();
    this.listeners.clear();
  }

  private tryBuild(slot: Slot): GeneratorError | undefined {
    if (slot.generator || slot.error) return slot.error;
    const { entry } = slot;
    const cls = this.deps.classFor(entry.type);
    if (!cls) {
      const supported =
        this.deps
          .knownTypes()
          .map((c) => shortTypeName(c.typeName))
          .join(', ') || 'none yet';
      slot.error = this.problem(entry.name, 'type', `unknown generator type "${entry.type}". Supported: ${supported}.`);
      return slot.error;
    }
    try {
      slot.generator = cls.fromDict({ type: entry.type, init_parameters: entry.init_parameters });
    } catch (error) {
      const field =
        typeof (error as { field?: unknown }).field === 'string'
          ? (error as { field: string }).field
          : 'init_parameters';
      const message = error instanceof Error ? error.message : String(error);
      slot.error = this.problem(entry.name, field, message, error);
    }
    return slot.error;
  }

  private problem(name: string, field: string, message: string, cause?: unknown): GeneratorError {
    const text = formatProblem({ name, field, message });
    this.deps.onProblem(text);
    return new GeneratorError(text, { code: 'configuration', cause });
  }

  private async release(slot: Slot): Promise<void> {
    const generator = slot.generator;
    slot.generator = undefined;
    slot.error = undefined;
    if (!generator?.shutdown) return;
    try {
      await generator.shutdown();
    } catch (error) {
      this.deps.onProblem(
        `Generator "${slot.entry.name}": shutting down failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
