// The plain form of what crosses VS Code's language model API, on both sides of the provider. The edge
// (vscodeParts.ts) maps VS Code's part classes to and from these, so the conversion code around them runs in plain
// Node without `vscode`.

/** VS Code's message roles: User and Assistant are stable; System (3) is what VS Code's own Chat sends. */
export const LM_ROLE = { user: 1, assistant: 2, system: 3 } as const;

/** One content part of a request message. */
export type LmInputPart =
  | { kind: 'text'; text: string }
  | { kind: 'data'; mimeType: string; data: Uint8Array }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; content: LmToolResultContent[] };

/** What a tool result holds: text, data, or a value of another kind (prompt-tsx trees), kept as JSON. */
export type LmToolResultContent =
  | { kind: 'text'; text: string }
  | { kind: 'data'; mimeType: string; data: Uint8Array }
  | { kind: 'other'; value: unknown };

/** A request message: its role number as VS Code sends it, its parts and the optional participant name. */
export interface LmMessage {
  role: number;
  content: LmInputPart[];
  name?: string;
}

/** A tool the caller offers the model (`LanguageModelChatTool`). */
export interface LmTool {
  name: string;
  description: string;
  inputSchema?: object;
}

/** One piece of the reply, reported through the request's progress in the order produced. */
export type LmResponsePart =
  { kind: 'text'; text: string } | { kind: 'toolCall'; callId: string; name: string; input: Record<string, unknown> };
