// Structured output: which generators can make a model answer in a given JSON schema, and the generation_kwargs
// that ask for it. Each API spells the request differently; Haystack passes generation_kwargs through unchanged,
// so the kwargs built here are exactly what reaches the provider.
import { ConfigurationError } from './errors';
import type { ComponentDict } from './serialization';

/** A JSON schema the reply must follow, with the name the APIs that take one show the model. */
export interface ResponseSchema {
  /** `^[a-zA-Z0-9_-]{1,64}$`, as OpenAI requires. */
  name: string;
  schema: Record<string, unknown>;
}

/** How a generator honours a schema, or why it cannot. */
export type StructuredOutputSupport =
  | {
      supported: true;
      /** The generation_kwargs key the request goes in. */ kwarg: 'response_format' | 'text_format' | 'grammar';
      wire: string;
    }
  | { supported: false; reason: string };

const OPENAI_FAMILY = new Set([
  'OpenAIChatGenerator',
  'AzureOpenAIChatGenerator',
  'AIMLAPIChatGenerator',
  'OpenAIGenerator',
  'AzureOpenAIGenerator',
]);

/**
 * Whether the generator a component dict describes can be asked for JSON following a schema. Decided from the
 * dict (not a built generator) so that the answer comes before anything is sent, and for nested generators too.
 */
export function structuredOutputSupport(component: ComponentDict): StructuredOutputSupport {
  const className = component.type.split('.').at(-1) ?? component.type;
  if (OPENAI_FAMILY.has(className))
    return { supported: true, kwarg: 'response_format', wire: 'Chat Completions response_format (json_schema)' };
  if (className === 'OpenAIResponsesChatGenerator' || className === 'AzureOpenAIResponsesChatGenerator') {
    return { supported: true, kwarg: 'text_format', wire: 'Responses text.format (json_schema)' };
  }
  if (className === 'HuggingFaceAPIChatGenerator') {
    return isTgi(component)
      ? { supported: true, kwarg: 'response_format', wire: 'TGI chat response_format (json grammar)' }
      : { supported: true, kwarg: 'response_format', wire: 'Inference Providers response_format (json_schema)' };
  }
  if (className === 'HuggingFaceAPIGenerator') {
    if (isTgi(component)) return { supported: true, kwarg: 'grammar', wire: 'TGI grammar (json)' };
    return {
      supported: false,
      reason:
        'Hugging Face text generation through Inference Providers takes no JSON grammar; use a TGI endpoint or a HuggingFaceAPIChatGenerator.',
    };
  }
  if (className === 'HuggingFaceLocalChatGenerator' || className === 'HuggingFaceLocalGenerator') {
    return {
      supported: false,
      reason: 'local models run without constrained decoding, so they cannot be held to a JSON schema.',
    };
  }
  if (className === 'DALLEImageGenerator')
    return { supported: false, reason: 'an image generator does not answer in text.' };
  if (className === 'FallbackChatGenerator') return fallbackSupport(component);
  return { supported: false, reason: `${className} has no known way to request a JSON schema.` };
}

/**
 * The run-time generation_kwargs that ask `component`'s generator for a reply following `schema`; they are merged
 * over the init-time kwargs like any other. Throws a ConfigurationError naming the reason when it cannot.
 */
export function structuredOutputKwargs(
  component: ComponentDict,
  responseSchema: ResponseSchema,
): Record<string, unknown> {
  checkResponseSchema(responseSchema);
  const support = structuredOutputSupport(component);
  if (!support.supported)
    throw new ConfigurationError(
      'response_schema',
      `${component.type.split('.').at(-1)} cannot follow a JSON schema: ${support.reason}`,
    );
  const { name, schema } = responseSchema;
  const strict = isStrictCompatible(schema);
  switch (support.kwarg) {
    case 'text_format':
      // Our Responses generators turn `text_format` into `text.format`, keeping any other `text` settings.
      return { text_format: { type: 'json_schema', name, schema, strict } };
    case 'grammar':
      return { grammar: { type: 'json', value: schema } };
    case 'response_format':
      if (component.type.endsWith('.HuggingFaceAPIChatGenerator') && isTgi(component))
        return { response_format: { type: 'json', value: schema } };
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

function isTgi(component: ComponentDict): boolean {
  const apiType = component.init_parameters.api_type;
  return apiType === 'text_generation_inference' || apiType === 'inference_endpoints';
}

/** A fallback chain can follow a schema only if every generator in it reads the same kwargs the same way. */
function fallbackSupport(component: ComponentDict): StructuredOutputSupport {
  const nested = component.init_parameters.chat_generators;
  if (!Array.isArray(nested) || nested.length === 0) return { supported: false, reason: 'it has no chat_generators.' };
  const supports = nested.map((child) => {
    const dict = child as Partial<ComponentDict> | null;
    return typeof dict?.type === 'string'
      ? structuredOutputSupport({ type: dict.type, init_parameters: dict.init_parameters ?? {} })
      : undefined;
  });
  const first = supports[0];
  if (!first?.supported)
    return {
      supported: false,
      reason: `its first generator cannot: ${first?.reason ?? 'it is not a component dict.'}`,
    };
  if (!supports.every((s) => s?.supported && s.wire === first.wire)) {
    return {
      supported: false,
      reason: 'its generators ask for JSON in different ways, and one generation_kwargs dict goes to all of them.',
    };
  }
  return first;
}
