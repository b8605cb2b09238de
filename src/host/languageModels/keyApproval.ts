// The question every request of this provider asks before anything is sent: may this generator's key go to the
// endpoint it names? A workspace-defined generator picked in VS Code's Chat must not carry the user's key to a host
// the user never approved (the security issue's rule); the approval gate plugs in here.
import type { GeneratorEntry } from '../registry/generatorSettings';

/** What the check is told about the request: the generator by its configured name, and its settings entry. */
export interface KeyApprovalRequest {
  generatorName: string;
  /** The `generators.generators` entry (undefined when the name is not a well-formed entry). */
  entry: GeneratorEntry | undefined;
  signal: AbortSignal;
}

/** Resolves true when the request may be sent with the generator's key; false refuses it with a clear error. */
export type KeyApprovalCheck = (request: KeyApprovalRequest) => Promise<boolean>;

/**
 * Today's rule: every configured generator may use its key, as in the chat panel and the editor commands. The
 * approval gate for workspace-defined generators replaces this function; nothing else in the request path changes.
 */
export const mayKeyGoToEndpoint: KeyApprovalCheck = async () => true;
