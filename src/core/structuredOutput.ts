// Structured output: the request shapes that make a model answer in a given JSON schema, and the generation_kwargs
// that ask for it. Which generator uses which shape is in its descriptor. Haystack passes generation_kwargs through
// unchanged, so the kwargs built here are exactly what reaches the provider.
import { ConfigurationError } from './errors';

/** A JSON schema the reply must follow, with the name the APIs that take one show the model. */
export interface ResponseSchema {
  /** `^[a-zA-Z0-9_-]{1,64}$`, as OpenAI requires. */
  name: string;
  schema: Record<string, unknown>;
}

/**
 * The request shapes that ask a model for JSON following a schema; each API spells it one of these ways.
 * - `response_format_json_schema`: `response_format: {type: "json_schema", json_schema: {name, schema, strict}}`
 *   (Chat Completions, Hugging Face Inference Providers)
 * - `response_format_json`: `response_format: {type: "json", value: schema}` (TGI's chat grammar)
 * - `text_format`: `text_format: {type: "json_schema", name, schema, strict}`, which the Responses generators turn
 *   into `text.format`
 * - `grammar_json`: `grammar: {type: "json", value: schema}` (TGI's text generation)
 */
export type StructuredOutputRequest =
  'response_format_json_schema' | 'response_format_json' | 'text_format' | 'grammar_json';

/** How a generator honours a schema, or why it cannot. */
export type StructuredOutputSupport =
  | {
      supported: true;
      /** The generation_kwargs key the request goes in. */
      kwarg: 'response_format' | 'text_format' | 'grammar';
      request: StructuredOutputRequest;
      /** The wire format in words, for messages and the UI. */
      wire: string;
    }
  | { supported: false; reason: string };

/** A supported structured output of the given request shape, described as `wire`. */
export function structuredOutputVia(request: StructuredOutputRequest, wire: string): StructuredOutputSupport {
  const kwarg = request === 'text_format' ? 'text_format' : request === 'grammar_json' ? 'grammar' : 'response_format';
  return { supported: true, kwarg, request, wire };
}

/**
 * The run-time generation_kwargs that ask for a reply following `responseSchema`, given how the generator supports
 * it; they are merged over the init-time kwargs like any other. Throws a ConfigurationError naming the reason when
 * `support` says it cannot; `generatorName` names the generator in that message.
 */
export function structuredOutputRequestKwargs(
  support: StructuredOutputSupport,
  responseSchema: ResponseSchema,
  generatorName: string,
): Record<string, unknown> {
  checkResponseSchema(responseSchema);
  if (!support.supported)
    throw new ConfigurationError('response_schema', `${generatorName} cannot follow a JSON schema: ${support.reason}`);
  const { name, schema } = responseSchema;
  const strict = isStrictCompatible(schema);
  switch (support.request) {
    case 'text_format':
      return { text_format: { type: 'json_schema', name, schema, strict } };
    case 'grammar_json':
      return { grammar: { type: 'json', value: schema } };
    case 'response_format_json':
      return { response_format: { type: 'json', value: schema } };
    case 'response_format_json_schema':
      return { response_format: { type: 'json_schema', json_schema: { name, schema, strict } } };
  }
}

/** Rejects a schema name the APIs refuse and a schema that is not a JSON object. */
export function checkResponseSchema(responseSchema: ResponseSchema): void {
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(responseSchema.name)) {
    throw new ConfigurationError(
      'response_schema.name',
      'use 1 to 64 letters, digits, "_" or "-" (the name OpenAI shows the model).',
    );
  }
  const schema: unknown = responseSchema.schema;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new ConfigurationError(
      'response_schema.schema',
      'expected a JSON schema object such as {"type": "object", "properties": {...}}.',
    );
  }
}

/**
 * OpenAI's strict mode guarantees the schema but accepts only a subset: every object lists all its properties as
 * required and forbids others. A schema outside that subset is sent non-strict rather than refused.
 */
export function isStrictCompatible(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return true;
  if (Array.isArray(schema)) return schema.every(isStrictCompatible);
  const node = schema as Record<string, unknown>;
  const properties = node.properties;
  if (node.type === 'object' || (typeof properties === 'object' && properties !== null)) {
    if (node.additionalProperties !== false) return false;
    const names = Object.keys((properties as Record<string, unknown> | undefined) ?? {});
    const required = Array.isArray(node.required) ? node.required : [];
    if (!names.every((n) => required.includes(n))) return false;
  }
  for (const key of ['properties', '$defs', 'definitions'] as const) {
    const children = node[key];
    if (typeof children === 'object' && children !== null && !Object.values(children).every(isStrictCompatible))
      return false;
  }
  for (const key of ['items', 'anyOf', 'allOf', 'oneOf'] as const)
    if (node[key] !== undefined && !isStrictCompatible(node[key])) return false;
  return true;
}
