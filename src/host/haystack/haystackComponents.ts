// Import and export of Haystack component dicts as YAML or JSON: a whole pipeline (its generator components),
// a single component, or a list of named entries as the `generators.generators` setting holds them.
import type { ComponentDict } from '../../core/serialization';
import { uniqueName, type GeneratorEntry } from '../registry/generatorSettings';
import { shortTypeName } from '../registry/generatorCatalog';

export interface ImportResult {
  entries: GeneratorEntry[];
  /** Components that were not imported, with the reason (not a generator, malformed). */
  skipped: string[];
}

/** Parses a Haystack YAML or JSON document (YAML is a superset of JSON) into generator entries. */
export async function importHaystackText(
  text: string,
  isGeneratorType: (type: string) => boolean,
  takenNames: Iterable<string> = [],
): Promise<ImportResult> {
  const { parse } = await import('yaml');
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(
      `The text is neither valid YAML nor JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      { cause: error },
    );
  }
  const candidates = componentCandidates(document);
  if (candidates.length === 0) {
    throw new Error(
      'Found no Haystack component: expected a pipeline with "components", a component {"type", "init_parameters"}, or a list of them.',
    );
  }
  const result: ImportResult = { entries: [], skipped: [] };
  const taken = new Set(takenNames);
  for (const { name, value } of candidates) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      result.skipped.push(`${name}: not a component object`);
      continue;
    }
    const dict = value as Record<string, unknown>;
    if (typeof dict.type !== 'string') {
      result.skipped.push(`${name}: has no "type"`);
      continue;
    }
    if (!isGeneratorType(dict.type)) {
      result.skipped.push(`${name}: ${shortTypeName(dict.type)} is not a supported generator`);
      continue;
    }
    const params = dict.init_parameters ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      result.skipped.push(`${name}: "init_parameters" is not an object`);
      continue;
    }
    const entryName = uniqueName(name, taken);
    taken.add(entryName);
    result.entries.push({ name: entryName, type: dict.type, init_parameters: params as Record<string, unknown> });
  }
  return result;
}

function componentCandidates(document: unknown): { name: string; value: unknown }[] {
  if (Array.isArray(document)) {
    return document.map((value, i) => ({ name: nameOf(value) ?? defaultName(value, i), value }));
  }
  if (typeof document !== 'object' || document === null) return [];
  const record = document as Record<string, unknown>;
  if (typeof record.components === 'object' && record.components !== null && !Array.isArray(record.components)) {
    return Object.entries(record.components as Record<string, unknown>).map(([name, value]) => ({ name, value }));
  }
  if ('type' in record) return [{ name: nameOf(record) ?? defaultName(record, 0), value: record }];
  return [];
}

function nameOf(value: unknown): string | undefined {
  const name = (value as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined;
}

function defaultName(value: unknown, index: number): string {
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? shortTypeName(type) : `component ${index + 1}`;
}

export type ExportFormat = 'yaml' | 'json';

/** Haystack's component dict as YAML or JSON text. */
export async function exportHaystackText(dict: ComponentDict, format: ExportFormat): Promise<string> {
  const clean = { type: dict.type, init_parameters: dict.init_parameters };
  if (format === 'json') return `${JSON.stringify(clean, null, 2)}\n`;
  const { stringify } = await import('yaml');
  return stringify(clean);
}
