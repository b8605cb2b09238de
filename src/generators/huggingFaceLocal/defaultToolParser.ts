import type { ToolCall } from '../../core/chatMessage';

/**
 * Haystack's `DEFAULT_TOOL_PATTERN`: an optional `<tool_call>` tag, then either `{"name": ..., "arguments": {...}}`
 * or `{"function": {"name": ..., "arguments": {...}}}`. Arguments are one flat JSON object (no nested braces).
 */
export const DEFAULT_TOOL_PATTERN =
  /(?:<tool_call>)?(?:\s*\{.*?"name"\s*:\s*"([^"]+)".*?"arguments"\s*:\s*(\{[^}]+\}).*?\}|\{.*?"function"\s*:\s*\{.*?"name"\s*:\s*"([^"]+)".*?"arguments"\s*:\s*(\{[^}]+\}).*?\})/s;

/** Turns a chat model's reply text into tool calls, or undefined when it holds none. */
export type ToolParsingFunction = (text: string) => ToolCall[] | null | undefined;

/** Haystack's `default_tool_parser`: the first match of {@link DEFAULT_TOOL_PATTERN}, as a single tool call. */
export const defaultToolParser: ToolParsingFunction = (text) => {
  const match = DEFAULT_TOOL_PATTERN.exec(text);
  if (!match) return undefined;
  const name = match[1] ?? match[3];
  const argumentsJson = match[2] ?? match[4];
  try {
    const args: unknown = JSON.parse(argumentsJson);
    if (typeof args !== 'object' || args === null || Array.isArray(args)) return undefined;
    return [{ toolName: name, arguments: args as Record<string, unknown> }];
  } catch {
    return undefined;
  }
};

/** The Python name Haystack serializes the default parser as. */
export const DEFAULT_TOOL_PARSER_NAME = 'haystack.components.generators.chat.hugging_face_local.default_tool_parser';
