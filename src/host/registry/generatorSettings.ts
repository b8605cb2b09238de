// Validates the `generators.generators` setting: a list of named Haystack component dicts. Plain TypeScript so
// unit tests exercise it without VS Code.
import type { ComponentDict } from '../../core/serialization';

/** One entry of `generators.generators`: a Haystack component dict with a name. */
export interface GeneratorEntry extends ComponentDict {
  name: string;
}

/** An entry that cannot be used, with a message naming the entry and the field. */
export interface EntryProblem {
  /** The entry's name, or `#<index>` when it has none. */
  name: string;
  field: string;
  message: string;
}

export interface ParsedEntries {
  entries: GeneratorEntry[];
  problems: EntryProblem[];
}

/** Splits the raw setting into well-shaped entries and problems; one bad entry never hides the others. */
export function parseGeneratorEntries(raw: unknown): ParsedEntries {
  const result: ParsedEntries = { entries: [], problems: [] };
  if (raw === undefined || raw === null) return result;
  if (!Array.isArray(raw)) {
    result.problems.push({
      name: 'generators.generators',
      field: 'generators.generators',
      message: 'expected a list of {"name", "type", "init_parameters"} entries.',
    });
    return result;
  }
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const problem = (name: string, field: string, message: string) => result.problems.push({ name, field, message });
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problem(`#${index + 1}`, 'entry', 'expected an object {"name", "type", "init_parameters"}.');
      return;
    }
    const record = item as Record<string, unknown>;
    const name = typeof record.name === 'string' ? record.name.trim() : '';
    if (name === '') {
      problem(`#${index + 1}`, 'name', 'every generator needs a non-empty "name".');
      return;
    }
    if (seen.has(name)) {
      problem(name, 'name', 'another generator already has this name; names must be unique.');
      return;
    }
    seen.add(name);
    if (typeof record.type !== 'string' || record.type === '') {
      problem(
        name,
        'type',
        'expected a Haystack type string such as "haystack.components.generators.chat.openai.OpenAIChatGenerator".',
      );
      return;
    }
    const params = record.init_parameters ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      problem(name, 'init_parameters', 'expected an object of init parameters.');
      return;
    }
    result.entries.push({ name, type: record.type, init_parameters: { ...(params as Record<string, unknown>) } });
  });
  return result;
}

/** Formats a problem for users: `Generator "Work GPT": init_parameters.model: expected a string.` */
export function formatProblem(problem: EntryProblem): string {
  const message = problem.message.startsWith(`${problem.field}:`)
    ? problem.message
    : `${problem.field}: ${problem.message}`;
  return `Generator "${problem.name}": ${message}`;
}

/** The model (or deployment, or endpoint) an entry uses, for display. */
export function displayModel(params: Record<string, unknown>): string | undefined {
  const apiParams = params.api_params as Record<string, unknown> | undefined;
  const candidates = [params.model, params.azure_deployment, apiParams?.model, apiParams?.url];
  return candidates.find((c): c is string => typeof c === 'string' && c !== '');
}

/** A name not yet in `taken`: `base`, then `base (2)`, `base (3)`, ... */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base} (${i})`)) return `${base} (${i})`;
}
