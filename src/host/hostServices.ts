// The contracts between the host-side pieces: the registry built from settings, the chat view, the commands.
import type * as vscode from 'vscode';
import type { Generator } from '../core/generator';
import type { Conversation, ResponseSchemaView } from '../shared/protocol';

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

/** Selection context sent to the chat panel by editor commands. */
export interface EditorContext {
  text: string;
  languageId: string;
  fileName: string;
}

/** What the chat view offers to commands. */
export interface ChatViewService {
  /** Opens the panel and sends `question` with the selection attached, streaming the answer there. */
  ask(question: string, context?: EditorContext): Promise<void>;
  reveal(): Promise<void>;
  /** A conversation by id, or the one the panel shows. */
  conversation(conversationId?: string): Promise<Conversation | undefined>;
  /** Sets or clears the JSON schema the conversation's replies are requested in and checked against. */
  setResponseSchema(conversationId: string, responseSchema: ResponseSchemaView | undefined): Promise<void>;
}

/** Everything `activate` builds and hands to the pieces that need it. */
export interface HostServices {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  registry: GeneratorRegistryService;
}
