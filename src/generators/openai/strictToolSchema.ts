// Tool definitions for the Chat Completions API, and the schema OpenAI's strict mode accepts.
import type { JsonSchema, Tool } from '../../core/tool';

/** Rewrites a tool's parameter schema for `tools_strict`; the tool's own schema is never modified. */
export type StrictSchema = (schema: JsonSchema) => JsonSchema;

/**
 * Haystack 2.29+'s `_make_schema_strict`: every object schema gets `additionalProperties: false` and all its
 * properties in `required`, through nested properties, `items`, `$defs` and `anyOf`/`oneOf`/`allOf`, as OpenAI's
 * strict mode demands.
 */
export const makeSchemaStrict: StrictSchema = (schema) => {
  const strict: JsonSchema = { ...schema };
  const properties = isSchema(schema.properties) ? schema.properties : undefined;
  if (schema.type === 'object' || 'properties' in schema) {
    strict.additionalProperties = false;
    if (properties) {
      strict.required = Object.keys(properties);
      strict.properties = mapSchemas(properties);
    }
  }
  if (isSchema(schema.items)) strict.items = makeSchemaStrict(schema.items);
  if (isSchema(schema.$defs)) strict.$defs = mapSchemas(schema.$defs);
  for (const combinator of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[combinator];
    if (Array.isArray(list)) strict[combinator] = list.map((item) => (isSchema(item) ? makeSchemaStrict(item) : item));
  }
  return strict;
};

/** Closes the top-level object only: what the AIMLAPI integration's strict mode does. */
export const closeTopLevelSchema: StrictSchema = (schema) => ({ ...schema, additionalProperties: false });

/** `{"type": "function", "function": {name, description, parameters, strict?}}` for each tool. */
export function toOpenAITools(
  tools: Tool[],
  strict: boolean,
  strictSchema: StrictSchema = makeSchemaStrict,
): { type: 'function'; function: Record<string, unknown> }[] {
  return tools.map((tool) => {
    const spec: Record<string, unknown> = { ...tool.toolSpec };
    if (strict) {
      spec.parameters = strictSchema(tool.parameters);
      spec.strict = true;
    }
    return { type: 'function', function: spec };
  });
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapSchemas(schemas: JsonSchema): JsonSchema {
  return Object.fromEntries(
    Object.entries(schemas).map(([key, value]) => [key, isSchema(value) ? makeSchemaStrict(value) : value]),
  );
}
