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
  readonly #parameters: JsonSchema;
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
    this.#parameters = options.parameters;
    this.function = options.function;
    this.functionRef = options.functionRef ?? null;
    this.outputsToString = options.outputsToString ?? null;
    this.inputsFromState = options.inputsFromState ?? null;
    this.outputsToState = options.outputsToState ?? null;
  }

  /** The JSON schema of the tool's arguments. */
  get parameters(): JsonSchema {
    return this.#parameters;
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
  toDict(): { type: string; data: Record<string, unknown> } {
    return { type: TOOLSET_TYPE, data: { tools: this.tools.map((t) => t.toDict()) } };
  }
}

/** A tool or toolset dict of another Haystack class: `{"type": "<module>.<Class>", "data": {...}}`. */
export interface SerializedToolDict {
  type: string;
  data: Record<string, unknown>;
}

/**
 * A tool of another Haystack class (ComponentTool, PipelineTool, an integration's tool), kept as its dict so that
 * the pipeline it came from round-trips unchanged. Its name, description and parameters are offered to models;
 * when Haystack derives the parameters from Python code (a ComponentTool without `parameters`), asking for them
 * (that is, sending the tool to a model) is an error that says why.
 */
export class SerializedTool extends Tool {
  readonly #dict: SerializedToolDict;
  readonly #unusable: string | undefined;

  /** `unusable` says why the tool cannot be sent to a model, when it cannot. */
  constructor(
    options: { name: string; description: string; parameters?: JsonSchema },
    dict: SerializedToolDict,
    unusable?: string,
  ) {
    super({ ...options, parameters: options.parameters ?? {} });
    this.#dict = structuredClone(dict);
    this.#unusable =
      unusable ??
      (options.parameters
        ? undefined
        : `${className(dict.type)} "${options.name}" takes its parameters from Python code, which the editor cannot read. Give the tool "parameters" (a JSON schema) to use it here; the tool is kept as it is for export.`);
  }

  override get parameters(): JsonSchema {
    if (this.#unusable) throw new ConfigurationError(`tools.${this.name}`, this.#unusable);
    return super.parameters;
  }

  override toDict(): SerializedToolDict {
    return structuredClone(this.#dict);
  }
}

/** A toolset of another Haystack class (SearchableToolset, an integration's toolset), kept as its dict. */
export class SerializedToolset extends Toolset {
  readonly #dict: SerializedToolDict;

  constructor(dict: SerializedToolDict, tools: Tool[]) {
    super(tools);
    this.#dict = structuredClone(dict);
  }

  override toDict(): SerializedToolDict {
    return structuredClone(this.#dict);
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
  // Array.from, not .map: .map would build its result through the input's own `constructor` key, if it has one.
  if (Array.isArray(value)) return Array.from(value, (item, i) => toolOrToolsetFromDict(item, `${field}[${i}]`));
  const single = toolOrToolsetFromDict(value, field);
  if (single instanceof Toolset) return single;
  throw new DeserializationError(field, 'expected a list of tools or a Toolset.');
}

function toolOrToolsetFromDict(value: unknown, field: string): Tool | Toolset {
  const dict = asRecord(value, field);
  if (dict.type === TOOL_TYPE || dict.type === undefined) return Tool.fromDict(value, field);
  if (typeof dict.type !== 'string') throw new DeserializationError(`${field}.type`, 'expected a tool type string.');
  const data = asRecord(dict.data, `${field}.data`);
  const serialized = { type: dict.type, data };
  const tools = (key: string) =>
    Array.from(data[key] as unknown[], (item, i) => toolOrToolsetFromDict(item, `${field}.data.${key}[${i}]`));
  if (dict.type === TOOLSET_TYPE) {
    if (!Array.isArray(data.tools)) throw new DeserializationError(`${field}.data.tools`, 'expected a list of tools.');
    return new Toolset(flattenTools(tools('tools')));
  }
  if (Array.isArray(data.tools)) return new SerializedToolset(serialized, flattenTools(tools('tools')));
  if (Array.isArray(data.catalog)) return searchableToolset(serialized, flattenTools(tools('catalog')), field);
  if (typeof data.name === 'string') {
    const parameters = data.parameters;
    if (parameters !== undefined && parameters !== null) asRecord(parameters, `${field}.data.parameters`);
    return new SerializedTool(
      {
        name: data.name,
        description: typeof data.description === 'string' ? data.description : '',
        parameters: (parameters ?? undefined) as JsonSchema | undefined,
      },
      serialized,
    );
  }
  return new SerializedToolset(serialized, [
    unavailableTool(serialized, className(dict.type), 'defines its tools in Python'),
  ]);
}

/**
 * Haystack's SearchableToolset: below `search_threshold` tools it passes its catalog through, as here; above, it
 * lets the model search the catalog with a tool of its own, which only runs in Python.
 */
function searchableToolset(dict: SerializedToolDict, catalog: Tool[], field: string): Toolset {
  const threshold = typeof dict.data.search_threshold === 'number' ? dict.data.search_threshold : 8;
  if (catalog.length < threshold) return new SerializedToolset(dict, catalog);
  const name = typeof dict.data.search_tool_name === 'string' ? dict.data.search_tool_name : 'search_tools';
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name))
    throw new DeserializationError(`${field}.data.search_tool_name`, 'expected 1-64 letters, digits, _ or -.');
  const reason = `lets the model search ${catalog.length} tools (search_threshold ${threshold}) through a tool that runs in Python`;
  return new SerializedToolset(dict, [unavailableTool(dict, name, reason)]);
}

/** Stands for tools the editor cannot offer: the dict round-trips, a request that would send it explains why. */
function unavailableTool(dict: SerializedToolDict, name: string, reason: string): Tool {
  const why = `${className(dict.type)} ${reason}, which the editor cannot do. Remove it from tools to use this generator here; it is kept as it is for export.`;
  return new SerializedTool({ name, description: '' }, dict, why);
}

function className(type: string): string {
  return (
    type
      .split('.')
      .at(-1)!
      .replace(/[^a-zA-Z0-9_-]/g, '_')
      .slice(0, 64) || 'Toolset'
  );
}
