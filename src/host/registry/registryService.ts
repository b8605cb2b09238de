// What the rest of the host sees of the generator registry: the configured entries and the generators built from them.
import type * as vscode from 'vscode';
import type { Generator } from '../../core/generator';

/** One `generators.generators` settings entry as the UI lists it. */
export interface ConfiguredGenerator {
  name: string;
  /** Haystack type string. */
  type: string;
  kind: Generator['kind'];
  /** The model or deployment, for display. */
  model?: string;
  /** Why the entry cannot be built (names the entry and field); the others keep working. */
  error?: string;
}

/** The host-side generator registry. */
export interface GeneratorRegistryService {
  list(): ConfiguredGenerator[];
  /** Builds (once, lazily) and returns the named generator; throws a GeneratorError naming the bad field. */
  get(name: string): Generator;
  /** The name configured as default for a kind, if that entry exists. */
  defaultName(kind: Generator['kind']): string | undefined;
  readonly onDidChange: vscode.Event<void>;
}
