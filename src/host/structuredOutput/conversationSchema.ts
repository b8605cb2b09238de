// A conversation's response schema: read from what the user typed or picked, turned into the generator's request
// kwargs (or refused before sending), and checked against each finished reply. No `vscode` import.
import { asRecord, quote } from '../../core/chatMessage';
import { ConfigurationError, GeneratorError } from '../../core/errors';
import type { Generator } from '../../core/generator';
import { structuredOutputKwargs, structuredOutputSupport } from '../../generators/capabilities';
import type { ResponseSchemaView, StructuredOutputView } from '../../shared/protocol';
import { compileSchema, validateReply } from './replySchemaValidation';

/**
 * Reads a schema from JSON text: a bare JSON schema, or OpenAI's `{"name", "schema"}` wrapper. The name is the
 * wrapper's, else the schema's `title`, else `fallbackName` (a file name), made to fit the APIs' name rule.
 * Rejects text that is not JSON and schemas ajv cannot compile, saying which.
 */
export async function parseResponseSchema(
  text: string,
  source: string,
  fallbackName: string,
): Promise<ResponseSchemaView> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      'response_schema',
      `${source} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const record = asRecord(value, 'response_schema');
  const wrapped =
    typeof record.schema === 'object' &&
    record.schema !== null &&
    !Array.isArray(record.schema) &&
    record.type === undefined;
  const schema = wrapped ? (record.schema as Record<string, unknown>) : record;
  const name = [wrapped ? record.name : undefined, schema.title, fallbackName].find(
    (n): n is string => typeof n === 'string' && n.trim() !== '',
  );
  await compileSchema(schema);
  return { name: apiName(name ?? 'response'), schema, source };
}

/** `^[a-zA-Z0-9_-]{1,64}$`: other characters become `_`. */
function apiName(name: string): string {
  return (
    name
      .trim()
      .replace(/[^a-zA-Z0-9_-]+/g, '_')
      .slice(0, 64) || 'response'
  );
}

/**
 * The run-time kwargs that make `generator` answer in the schema. A generator that cannot follow one is refused
 * here, before anything is sent, with what to do instead.
 */
export function schemaRequestKwargs(
  generatorName: string,
  generator: Generator,
  responseSchema: ResponseSchemaView,
): Record<string, unknown> {
  const component = generator.toDict();
  const support = structuredOutputSupport(component);
  if (!support.supported) {
    throw new GeneratorError(
      `${quote(generatorName)} cannot follow this conversation's JSON schema: ${support.reason} ` +
        "Pick a generator that can, or run 'Generators: Clear Response Schema'.",
      { code: 'configuration' },
    );
  }
  return structuredOutputKwargs(component, { name: responseSchema.name, schema: responseSchema.schema });
}

/** Checks a finished reply against the schema, for the panel to show the formatted JSON and the result. */
export async function checkStructuredReply(
  text: string,
  responseSchema: ResponseSchemaView,
): Promise<StructuredOutputView> {
  const result = await validateReply(text, responseSchema.schema);
  const view: StructuredOutputView = {
    schemaName: responseSchema.name,
    valid: result.valid,
    errors: result.valid ? [] : result.errors,
  };
  if (result.formatted !== undefined) view.formatted = result.formatted;
  return view;
}
