// Haystack ChatMessages and Tools <-> the chat-completion wire format TGI and Inference Providers speak.
import { ChatMessage, type ContentPart, type ToolCall } from '../../core/chatMessage';
import { ConfigurationError } from '../../core/errors';
import { parseToolArguments } from '../../core/streamAssembly';
import type { FinishReason } from '../../core/streamingChunk';
import type { Tool } from '../../core/tool';

/** A message as sent in `messages`. */
export interface HFChatMessage {
  role: string;
  content: string | HFContentPart[];
  tool_call_id?: string;
  tool_calls?: { type: 'function'; id?: string; function: { name: string; arguments: Record<string, unknown> } }[];
}

export type HFContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

/** A tool definition as sent in `tools`. */
export interface HFTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** A tool call in a reply; TGI sends `arguments` as a JSON object, OpenAI-style providers as a JSON string. */
export interface HFReplyToolCall {
  id?: string;
  function: { name: string; arguments: unknown };
}

/** The non-streamed reply, as far as a generator reads it. */
export interface HFChatCompletion {
  model?: string;
  choices?: {
    index?: number;
    finish_reason?: string | null;
    message: {
      content?: string | null;
      reasoning?: string | null;
      tool_calls?: HFReplyToolCall[] | null;
      tool_call_id?: string | null;
    };
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/** Haystack's `convert_message_to_hf_format`: text and images in order, tool calls, or one tool result. */
export function toHFChatMessage(message: ChatMessage, field: string): HFChatMessage {
  const nonReasoning = message.content.filter((part) => part.type !== 'reasoning');
  if (!nonReasoning.some((part) => part.type !== 'file')) {
    throw new ConfigurationError(
      field,
      'A `ChatMessage` must contain at least one `TextContent`, `ToolCall`, `ToolCallResult`, or `ImageContent`.',
    );
  }
  const result = message.toolCallResult;
  if (result) {
    if (nonReasoning.length > 1) {
      throw new ConfigurationError(
        field,
        'For compatibility with the Hugging Face API, a `ChatMessage` with a `ToolCallResult` cannot contain any other content.',
      );
    }
    // The wire format has no way to flag a failed tool run, so `error` is not sent (as in Haystack).
    return {
      role: message.role,
      content: typeof result.result === 'string' ? result.result : toHFParts(result.result),
      ...(result.origin.id ? { tool_call_id: result.origin.id } : {}),
    };
  }
  // File parts (Haystack 2.24+) have no Hugging Face form and are left out, as in Haystack.
  const parts = toHFParts(message.content);
  const hf: HFChatMessage = { role: message.role, content: '' };
  if (parts.length === 1 && parts[0].type === 'text') hf.content = parts[0].text;
  else if (parts.length > 0) hf.content = parts;
  const toolCalls = message.toolCalls;
  if (toolCalls.length > 0) {
    hf.tool_calls = toolCalls.map((call) => ({
      type: 'function',
      ...(call.id !== undefined ? { id: call.id } : {}),
      function: { name: call.toolName, arguments: call.arguments },
    }));
  }
  return hf;
}

function toHFParts(content: readonly ContentPart[]): HFContentPart[] {
  return content.flatMap((part): HFContentPart[] => {
    if (part.type === 'text') return [{ type: 'text', text: part.text }];
    if (part.type !== 'image') return [];
    const url = `data:${part.image.mimeType ?? 'image/jpeg'};base64,${part.image.base64Image}`;
    return [{ type: 'image_url', image_url: { url } }];
  });
}

/** Tool definitions for the request; `$defs`/`$ref` are inlined because the Hugging Face API rejects them. */
export function toHFTools(tools: readonly Tool[]): HFTool[] | undefined {
  if (tools.length === 0) return undefined;
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: resolveSchemaRefs(tool.parameters) },
  }));
}

/** Inlines `#/$defs/<name>` references and drops `$defs`; a reference to a definition being expanded stays as is. */
export function resolveSchemaRefs(schema: Record<string, unknown>): Record<string, unknown> {
  const defs = schema.$defs;
  if (typeof defs !== 'object' || defs === null || Object.keys(defs).length === 0) return schema;
  const definitions = defs as Record<string, unknown>;
  const resolve = (value: unknown, expanding: ReadonlySet<string>): unknown => {
    if (Array.isArray(value)) return value.map((item) => resolve(item, expanding));
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, unknown>;
    const match = typeof record.$ref === 'string' ? /^#\/\$defs\/([^/]+)$/.exec(record.$ref) : null;
    if (match && match[1] in definitions && !expanding.has(match[1]))
      return resolve(definitions[match[1]], new Set([...expanding, match[1]]));
    return Object.fromEntries(
      Object.entries(record)
        .filter(([key]) => key !== '$defs')
        .map(([key, item]) => [key, resolve(item, expanding)]),
    );
  };
  return resolve(schema, new Set()) as Record<string, unknown>;
}

/**
 * Haystack's `_map_hf_finish_reason_to_haystack`: tool calls win, TGI's `eos_token`/`stop_sequence` are a natural
 * stop, `length` stays, and anything else counts as a stop.
 */
export function hfFinishReason(reason: string | null | undefined, hasToolCalls = false): FinishReason | undefined {
  if (!reason) return undefined;
  if (hasToolCalls) return 'tool_calls';
  return reason === 'length' ? 'length' : 'stop';
}

/** The reply of a non-streamed chat completion, with Haystack's meta (`model`, `finish_reason`, `index`, `usage`). */
export function chatMessageFromCompletion(completion: HFChatCompletion, model: string): ChatMessage | undefined {
  const choice = completion.choices?.[0];
  if (!choice) return undefined;
  const message = choice.message;
  const hasToolCalls =
    (message.tool_calls !== undefined && message.tool_calls !== null) ||
    (message.tool_call_id !== undefined && message.tool_call_id !== null);
  return ChatMessage.fromAssistant(message.content ?? null, {
    toolCalls: toolCallsFromReply(message.tool_calls ?? []),
    reasoning: message.reasoning ? message.reasoning : undefined,
    meta: {
      model,
      finish_reason: hfFinishReason(choice.finish_reason, hasToolCalls) ?? null,
      index: choice.index ?? 0,
      usage: {
        prompt_tokens: completion.usage?.prompt_tokens ?? 0,
        completion_tokens: completion.usage?.completion_tokens ?? 0,
      },
    },
  });
}

/** Reply tool calls with object or JSON-string arguments; calls whose arguments are not a JSON object are dropped, as Haystack does. */
function toolCallsFromReply(calls: readonly HFReplyToolCall[]): ToolCall[] {
  const result: ToolCall[] = [];
  for (const call of calls) {
    const raw = call.function.arguments;
    const args =
      typeof raw === 'string'
        ? parseToolArguments(raw)
        : typeof raw === 'object' && raw !== null && !Array.isArray(raw)
          ? (raw as Record<string, unknown>)
          : undefined;
    if (args === undefined) continue;
    result.push({ toolName: call.function.name, arguments: args, ...(call.id ? { id: call.id } : {}) });
  }
  return result;
}
