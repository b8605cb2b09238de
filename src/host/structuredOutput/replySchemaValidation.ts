// Checks a structured-output reply against its JSON schema in the host. Providers that honour a schema may still
// be given one they only follow loosely (non-strict mode, TGI grammars skip some keywords), so the user sees what
// was checked and what failed. No `vscode` import: unit-tested in plain Node.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ConfigurationError } from '../../core/errors';

/** The outcome of checking a reply; `formatted` is the parsed JSON pretty-printed when the reply parsed. */
export type ReplyValidation =
  | { valid: true; value: unknown; formatted: string }
  | { valid: false; value?: unknown; formatted?: string; errors: string[] };

type AjvInstance = { compile(schema: object): ValidateFunction; removeSchema(key: string): unknown };
type AjvClass = new (options: { allErrors: boolean; strict: boolean }) => AjvInstance;

/** The JSON Schema drafts ajv implements; a schema's `$schema` picks one, draft-07 when it names none. */
type Draft = 'draft-07' | '2019-09' | '2020-12';

const instances = new Map<Draft, Promise<AjvInstance>>();

function draftOf(schema: Record<string, unknown>): Draft {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (declared.includes('2020-12')) return '2020-12';
  if (declared.includes('2019-09')) return '2019-09';
  return 'draft-07';
}

// Loaded on first use: ajv and its formats are ~200 KB that activation does not need.
function ajv(draft: Draft): Promise<AjvInstance> {
  let instance = instances.get(draft);
  if (!instance) {
    instance = (async () => {
      const [ajvModule, { default: addFormats }] = await Promise.all([
        draft === '2020-12'
          ? import('ajv/dist/2020.js')
          : draft === '2019-09'
            ? import('ajv/dist/2019.js')
            : import('ajv'),
        import('ajv-formats'),
      ]);
      const created = new (ajvModule.default as unknown as AjvClass)({ allErrors: true, strict: false });
      addFormats(created as unknown as Parameters<typeof addFormats>[0]);
      return created;
    })();
    instances.set(draft, instance);
  }
  return instance;
}

/** Compiles `schema`; a schema ajv cannot compile is a ConfigurationError naming the problem. */
export async function compileSchema(schema: Record<string, unknown>): Promise<ValidateFunction> {
  const instance = await ajv(draftOf(schema));
  // ajv keeps every schema with an `$id`; the same schema read again (a reloaded conversation) must replace it.
  if (typeof schema.$id === 'string') instance.removeSchema(schema.$id);
  try {
    return instance.compile(schema);
  } catch (error) {
    throw new ConfigurationError(
      'response_schema.schema',
      `is not a valid JSON schema: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Parses a reply as JSON and validates it. A reply wrapped in a Markdown code fence (models without constrained
 * decoding often add one) is unwrapped first.
 */
export async function validateReply(text: string, schema: Record<string, unknown>): Promise<ReplyValidation> {
  const validate = await compileSchema(schema);
  const json = unfence(text);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { valid: false, errors: [`The reply is not JSON: ${reason}.`] };
  }
  const formatted = JSON.stringify(value, null, 2);
  if (validate(value)) return { valid: true, value, formatted };
  return { valid: false, value, formatted, errors: (validate.errors ?? []).map(describeError) };
}

function unfence(text: string): string {
  const match = /^\s*```[a-zA-Z]*\n([\s\S]*?)\n```\s*$/.exec(text);
  return match ? match[1] : text;
}

/** `/items/0/price must be >= 0`, with the offending property named for additional-properties errors. */
function describeError(error: ErrorObject): string {
  const path = error.instancePath || '(the reply)';
  const extra =
    error.keyword === 'additionalProperties'
      ? `: ${String((error.params as { additionalProperty?: unknown }).additionalProperty)}`
      : '';
  return `${path} ${error.message ?? 'is invalid'}${extra}`;
}
