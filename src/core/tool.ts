import { asRecord, describe, quote } from './chatMessage';
import { ConfigurationError, DeserializationError } from './errors';

/** A JSON schema object describing a tool's parameters. */
export type JsonSchema = Record<string, unknown>;

export interface ToolOptions {
  name: string;
  description: string;
  parameters: JsonSchema;
  /** Runs the tool. Optional: the editor can show tool calls without running them. */
  function?: (args: Record<string, unknown>) => unknown;
  /** The Python qualified name of the function, kept so a dict from a Haystack pipeline round-trips. */
  functionRef?: string | null;
  outputsToString?: Record<string, unknown> | null;
  inputsFromState?: Record<string, unknown> | null;
  outputsToState?: Record<string, unknown> | null;
}

const TOOL_TYPE = 'haystack.tools.tool.Tool';
const TOOLSET_TYPE = 'haystack.tools.toolset.Toolset';

/** A function a model can call, after Haystack's `Tool`. */
export class Tool {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
  readonly function?: (args: Record<string, unknown>) => unknown;
  readonly functionRef: string | null;
  readonly outputsToString: Record<string, unknown> | null;
  readonly inputsFromState: Record<string, unknown> | null;
  readonly outputsToState: Record<string, unknown> | null;

  constructor(options: ToolOptions) {
    if (typeof options.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(options.name)) {
      throw new ConfigurationError(
        'tools.name',
        `tool names must be 1-64 letters, digits, '_' or '-', got ${typeof options.name === 'string' ? quote(options.name) : describe(options.name)}.`,
      );
    }
    if (typeof options.parameters !== 'object' || options.parameters === null || Array.isArray(options.parameters)) {
      throw new ConfigurationError(`tools.${options.name}.parameters`, 'expected a JSON schema object.');
    }
    this.name = options.name;
    this.description = options.description ?? '';
    this.parameters = options.parameters;
    this.function = options.function;
    this.functionRef = options.functionRef ?? null;
    this.outputsToString = options.outputsToString ?? null;
    this.inputsFromState = options.inputsFromState ?? null;
    this.outputsToState = options.outputsToState ?? null;
  }

  /** The OpenAI-style function definition every provider in this family understands. */
  get toolSpec(): { name: string; description: string; parameters: JsonSchema } {
    return { name: this.name, description: this.description, parameters: this.parameters };
  }

  async invoke(args: Record<string, unknown>): Promise<unknown> {
    if (!this.function)
      throw new ConfigurationError(`tools.${this.name}`, 'this tool has no function to run in the editor.');
    return await this.function(args);
  }

  toDict(): { type: string; data: Record<string, unknown> } {
    return {
      type: TOOL_TYPE,
      data: {
        name: this.name,
        description: this.description,
        parameters: this.parameters,
        function: this.functionRef,
        outputs_to_string: this.outputsToString,
        inputs_from_state: this.inputsFromState,
        outputs_to_state: this.outputsToState,
      },
    };
  }

  static fromDict(value: unknown, field = 'tool'): Tool {
    const dict = asRecord(value, field);
    const data = asRecord(dict.data, `${field}.data`);
    if (typeof data.name !== 'string')
      throw new DeserializationError(`${field}.data.name`, `expected a string, got ${describe(data.name)}.`);
    const optionalRecord = (key: string) =>
      data[key] === undefined || data[key] === null ? null : asRecord(data[key], `${field}.data.${key}`);
    return new Tool({
      name: data.name,
      description: typeof data.description === 'string' ? data.description : '',
      parameters: asRecord(data.parameters, `${field}.data.parameters`),
      functionRef: typeof data.function === 'string' ? data.function : null,
      outputsToString: optionalRecord('outputs_to_string'),
      inputsFromState: optionalRecord('inputs_from_state'),
      outputsToState: optionalRecord('outputs_to_state'),
    });
  }
}

/** A named group of tools, after Haystack's `Toolset`. */
export class Toolset {
  constructor(readonly tools: Tool[]) {}
  toDict(): { type: string; data: { tools: unknown[] } } {
    return { type: TOOLSET_TYPE, data: { tools: this.tools.map((t) => t.toDict()) } };
  }
}

/** What generators accept as `tools`: a list of tools and toolsets, or one toolset. */
export type ToolsType = (Tool | Toolset)[] | Toolset;

/** The flat list of tools; two tools with one name are an error, as in Haystack. */
export function flattenTools(tools: ToolsType | undefined | null): Tool[] {
  if (!tools) return [];
  const list = tools instanceof Toolset ? tools.tools : tools.flatMap((t) => (t instanceof Toolset ? t.tools : [t]));
  const seen = new Set<string>();
  for (const tool of list) {
    if (seen.has(tool.name))
      throw new ConfigurationError('tools', `duplicate tool name "${tool.name}"; tool names must be unique.`);
    seen.add(tool.name);
  }
  return list;
}

/** Haystack's `serialize_tools_or_toolset`. */
export function serializeTools(tools: ToolsType | undefined | null): unknown {
  if (!tools) return null;
  if (tools instanceof Toolset) return tools.toDict();
  return tools.map((t) => t.toDict());
}

/** Haystack's `deserialize_tools_or_toolset_inplace`, for one field of `init_parameters`. */
export function deserializeTools(value: unknown, field = 'init_parameters.tools'): ToolsType | undefined {
  if (value === undefined || value === null) return undefined;
  const one = (item: unknown, itemField: string): Tool | Toolset => {
    const dict = asRecord(item, itemField);
    if (dict.type === TOOLSET_TYPE) {
      const data = asRecord(dict.data, `${itemField}.data`);
      if (!Array.isArray(data.tools))
        throw new DeserializationError(`${itemField}.data.tools`, 'expected a list of tools.');
      return new Toolset(Array.from(data.tools, (t, i) => Tool.fromDict(t, `${itemField}.data.tools[${i}]`)));
    }
    if (dict.type !== TOOL_TYPE && dict.type !== undefined) {
      // Subclasses such as ComponentTool keep Tool's data shape; their extra behaviour stays in Python.
      if (typeof dict.type !== 'string')
        throw new DeserializationError(`${itemField}.type`, 'expected a tool type string.');
    }
    return Tool.fromDict(item, itemField);
  };
  // Array.from, not .map: .map would build its result through the input's own `constructor` key, if it has one.
  if (Array.isArray(value)) return Array.from(value, (item, i) => one(item, `${field}[${i}]`));
  const single = one(value, field);
  if (single instanceof Toolset) return single;
  throw new DeserializationError(field, 'expected a list of tools or a Toolset.');
}
