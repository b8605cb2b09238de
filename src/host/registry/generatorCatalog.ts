// What the host shows about each Haystack generator type: a label for pickers, the init parameters the
// add-generator wizard asks for, and the env vars its key is usually read from. All of it from the descriptors.
import type { WizardField } from '../../core/descriptor';
import type { Generator } from '../../core/generator';
import { FallbackChatGenerator } from '../../generators/fallback/fallbackChatGenerator';
import { GENERATOR_DESCRIPTORS } from '../../generators/registry';

export type { WizardField };

/** Host-side facts about one Haystack generator type, as its descriptor states them. */
export interface GeneratorTypeInfo {
  typeName: string;
  kind: Generator['kind'];
  label: string;
  fields: readonly WizardField[];
  /** Env var names its default secret reads, first one preferred; empty when it needs no key. */
  secretEnvVars: readonly string[];
}

/** Every Haystack generator type the extension knows, in the registry's order. */
export const GENERATOR_TYPES: readonly GeneratorTypeInfo[] = GENERATOR_DESCRIPTORS.map((descriptor) => ({
  typeName: descriptor.typeName,
  kind: descriptor.kind,
  label: descriptor.label,
  fields: descriptor.wizardFields,
  secretEnvVars: descriptor.secretEnvVars,
}));

/** The one generator whose wizard asks for other generators instead of fields. */
export const FALLBACK_CHAT_TYPE = FallbackChatGenerator.typeName;

/** Env var names offered by 'Set API Key': every descriptor's, and Azure's Entra ID token. */
export const COMMON_SECRET_NAMES: readonly string[] = [
  ...new Set([...GENERATOR_DESCRIPTORS.flatMap((descriptor) => descriptor.secretEnvVars), 'AZURE_OPENAI_AD_TOKEN']),
];

export function generatorTypeInfo(typeName: string): GeneratorTypeInfo | undefined {
  return GENERATOR_TYPES.find((info) => info.typeName === typeName);
}

/** The class name at the end of a Haystack type string, for short labels. */
export function shortTypeName(typeName: string): string {
  return typeName.split('.').at(-1) ?? typeName;
}

/** Sets `value` at a dotted snake_case path inside `target`, creating nested dicts on the way. */
export function setAtPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = node[key] =
      typeof next === 'object' && next !== null && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
  }
  node[keys.at(-1)!] = value;
}
