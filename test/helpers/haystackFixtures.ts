// Reads the hand-written Haystack fixtures in test/fixtures/haystack: one folder per Haystack release whose dicts
// differ from the one before, one JSON file per generator (or ChatMessage), each a map of case name -> dict.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', 'fixtures', 'haystack');

/** A component dict as Haystack's `to_dict()` writes it. */
export interface HaystackComponentDict {
  type: string;
  init_parameters: Record<string, unknown>;
}

/** One named dict of one fixture file. */
export interface FixtureCase<T> {
  /** The Haystack release folder, e.g. `v2.31.0`. */
  version: string;
  /** The file's name without `.json`: the generator's class name, or `ChatMessage`. */
  subject: string;
  name: string;
  value: T;
}

/** Release folders in release order (v2.20.0 before v2.31.0). */
export function haystackVersions(): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^v\d+\.\d+\.\d+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Parses a fixture file; a fresh object on every call, so a test that mutates it cannot affect another. */
export function readFixture<T>(relativePath: string): T {
  return JSON.parse(readFileSync(join(root, relativePath), 'utf8')) as T;
}

/** Every case of every `<subject>.json` in every release folder (files in sub-folders, such as wire/, excluded). */
export function fixtureCases<T>(filter: (subject: string) => boolean): FixtureCase<T>[] {
  const cases: FixtureCase<T>[] = [];
  for (const version of haystackVersions()) {
    const files = readdirSync(join(root, version), { withFileTypes: true }).filter(
      (entry) => entry.isFile() && entry.name.endsWith('.json'),
    );
    for (const file of files) {
      const subject = file.name.slice(0, -'.json'.length);
      if (!filter(subject)) continue;
      const named = readFixture<Record<string, T>>(join(version, file.name));
      for (const [name, value] of Object.entries(named)) cases.push({ version, subject, name, value });
    }
  }
  return cases;
}

/** The component dicts of every release, or of one generator. */
export function componentCases(subject?: string): FixtureCase<HaystackComponentDict>[] {
  return fixtureCases<HaystackComponentDict>((s) => s !== 'ChatMessage' && (subject === undefined || s === subject));
}

/** The `defaults` case of a generator in one release. */
export function defaultsOf(version: string, subject: string): HaystackComponentDict {
  return readFixture<Record<string, HaystackComponentDict>>(join(version, `${subject}.json`)).defaults!;
}
