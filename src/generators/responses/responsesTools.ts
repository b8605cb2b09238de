// Tools for the Responses API: Haystack tools become function tools; raw OpenAI/MCP tool dicts pass through.
import { ConfigurationError } from '../../core/errors';
import { Tool, Toolset, deserializeTools, flattenTools, serializeTools, type ToolsType } from '../../core/tool';

/** A tool definition in OpenAI's own shape (`{"type": "function" | "mcp" | "web_search", ...}`), sent as given. */
export type RawResponsesTool = Record<string, unknown>;

/** What the Responses generators accept as `tools`: Haystack tools/toolsets, or raw OpenAI/MCP tool dicts. */
export type ResponsesToolsInput = ToolsType | RawResponsesTool[];

/**
 * Tells Haystack tools from raw tool dicts. A list mixing both is refused, as in Haystack, because the raw dicts
 * would have to be sent next to definitions the generator builds itself and neither side could be checked.
 */
export function isRawToolList(tools: ResponsesToolsInput, field = 'tools'): tools is RawResponsesTool[] {
  if (tools instanceof Toolset) return false;
  if (!Array.isArray(tools))
    throw new ConfigurationError(field, 'expected a list of tools, a Toolset, or a list of OpenAI tool definitions.');
  const haystack = tools.filter((t) => t instanceof Tool || t instanceof Toolset).length;
  if (haystack === 0 && tools.length > 0) {
    tools.forEach((t, i) => {
      if (typeof t !== 'object' || t === null || Array.isArray(t))
        throw new ConfigurationError(`${field}[${i}]`, 'expected an OpenAI tool definition object.');
    });
    return true;
  }
  if (haystack !== tools.length) {
    throw new ConfigurationError(
      field,
      'cannot mix Haystack tools (Tool/Toolset) with raw OpenAI/MCP tool definitions; pass either only Haystack tools or only tool dicts.',
    );
  }
  return false;
}

/**
 * The `tools` request field. Haystack tools become `{"type": "function", name, description, parameters}` with
 * `additionalProperties: false` on the parameters (Haystack always sets it); without `tools_strict` they say
 * `strict: false`, with it they leave `strict` to the API, whose default for function tools is strict. The tool's
 * own schema is copied, never modified.
 */
export function toResponsesTools(
  tools: ResponsesToolsInput | undefined,
  strict: boolean,
): RawResponsesTool[] | undefined {
  if (!tools) return undefined;
  if (isRawToolList(tools)) return tools.length > 0 ? tools.map((t) => ({ ...t })) : undefined;
  const flat = flattenTools(tools);
  if (flat.length === 0) return undefined;
  return flat.map((tool) => ({
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: { ...tool.parameters, additionalProperties: false },
    ...(strict ? {} : { strict: false }),
  }));
}

/** `tools` for `init_parameters`: raw dicts stay as they are, Haystack tools use Haystack's serialization. */
export function serializeResponsesTools(tools: ResponsesToolsInput | undefined): unknown {
  if (!tools) return null;
  return isRawToolList(tools) ? tools.map((t) => ({ ...t })) : serializeTools(tools);
}

/**
 * Reads `tools` from `init_parameters`. Serialized Haystack tools carry a Python type string
 * (`haystack.tools.tool.Tool`, `...Toolset`, subclasses); OpenAI tool types (`function`, `mcp`) never contain a dot.
 */
export function deserializeResponsesTools(
  value: unknown,
  field = 'init_parameters.tools',
): ResponsesToolsInput | undefined {
  if (value === undefined || value === null) return undefined;
  const isHaystackDict = (item: unknown) =>
    typeof item === 'object' &&
    item !== null &&
    typeof (item as Record<string, unknown>).type === 'string' &&
    ((item as Record<string, unknown>).type as string).includes('.');
  if (!Array.isArray(value)) return deserializeTools(value, field);
  const haystack = value.filter(isHaystackDict).length;
  if (haystack === value.length) return deserializeTools(value, field);
  if (haystack > 0) {
    throw new ConfigurationError(field, 'cannot mix serialized Haystack tools with raw OpenAI/MCP tool definitions.');
  }
  value.forEach((t, i) => {
    if (typeof t !== 'object' || t === null || Array.isArray(t))
      throw new ConfigurationError(`${field}[${i}]`, 'expected an OpenAI tool definition object.');
  });
  return value.map((t) => ({ ...(t as RawResponsesTool) }));
}
