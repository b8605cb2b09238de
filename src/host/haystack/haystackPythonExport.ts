// "Export as Haystack code": a runnable Python file that rebuilds a configured generator from its `to_dict()` and
// replays a conversation, so a prompt tried in the editor moves into a Haystack pipeline unchanged.
// No `vscode` import: the command wraps it, unit tests run the file it writes.
import type { ChatMessage, ChatMessageDict } from '../../core/chatMessage';
import type { Generator } from '../../core/generator';
import type { ComponentDict } from '../../core/serialization';
import { descriptorFor } from '../../generators/registry';

/** What to export: the generator's dict and what to run it on. */
export interface HaystackScriptInput {
  /** The generator's `toDict()`: secrets are env-var references already, never values. */
  component: ComponentDict;
  kind: Generator['kind'];
  /** The configured generator's name, for the file's header. */
  generatorName: string;
  /** The conversation the file replays, when exported from one. */
  conversationTitle?: string;
  /** Chat generators: the messages to send (the conversation, or a sample question). */
  messages?: readonly ChatMessage[];
  /** Text and image generators: the prompt to send. */
  prompt?: string;
  /** Run-time generation_kwargs (the conversation's settings and schema), in the form Haystack's Python reads. */
  generationKwargs?: Record<string, unknown>;
}

/** The question a generator exported without a conversation is run on; the header says to replace it. */
export const SAMPLE_PROMPT = 'Say hello in one short sentence.';

/** Extra pip packages a generator type needs besides `haystack-ai` (which brings `openai`), from its descriptor. */
function extraPackages(type: string): readonly string[] {
  return descriptorFor(type)?.pythonPackages ?? [];
}

/** Writes the Python file. */
export function haystackPythonScript(input: HaystackScriptInput): string {
  const types = new Set<string>();
  const envVars = new Set<string>();
  collect(input.component, types, envVars);
  const packages = ['haystack-ai', ...new Set([...types].flatMap(extraPackages))];
  // Names are JSON-quoted: a newline or quote in a user's title cannot end the comment and become code.
  const source =
    input.conversationTitle === undefined
      ? `generator ${JSON.stringify(input.generatorName)}`
      : `conversation ${JSON.stringify(input.conversationTitle)} with generator ${JSON.stringify(input.generatorName)}`;
  const header = [
    `# Rebuilds the ${source}, exported by the Generators VS Code extension.`,
    `# Install: pip install ${packages.join(' ')}`,
    ...(envVars.size > 0
      ? [
          `# Set before running: ${[...envVars].map(shellName).join(', ')} (keys are read from the environment, never stored here).`,
        ]
      : []),
    ...(input.conversationTitle === undefined ? ['# Replace the sample input below with your own.'] : []),
  ];
  const lines = [
    ...header,
    '',
    'import importlib',
    '',
    'from haystack.core.serialization import component_from_dict',
    ...(input.kind === 'chat' ? ['from haystack.dataclasses import ChatMessage'] : []),
    ...(envVars.size > 0 ? ['from haystack.utils import Secret'] : []),
    '',
    "# The generator's to_dict(): the same init parameters the extension used.",
    `GENERATOR = ${pythonLiteral(input.component, 0)}`,
    '',
    ...runInput(input),
    ...(hasRunKwargs(input)
      ? [
          '',
          "# The conversation's own settings, merged over the generator's generation_kwargs for this run.",
          `GENERATION_KWARGS = ${pythonLiteral(input.generationKwargs, 0)}`,
        ]
      : []),
    '',
    '',
    'def build_generator():',
    '    module_name, _, class_name = GENERATOR["type"].rpartition(".")',
    '    generator_class = getattr(importlib.import_module(module_name), class_name)',
    '    return component_from_dict(generator_class, GENERATOR, name="generator")',
    '',
    '',
    'if __name__ == "__main__":',
    '    generator = build_generator()',
    '    if hasattr(generator, "warm_up"):',
    '        generator.warm_up()',
    ...runCall(input.kind, hasRunKwargs(input)),
    '',
  ];
  return lines.join('\n');
}

function runInput(input: HaystackScriptInput): string[] {
  if (input.kind !== 'chat') return [`PROMPT = ${pythonLiteral(input.prompt ?? SAMPLE_PROMPT, 0)}`];
  const messages = input.messages?.length ? input.messages.map((m) => m.toDict()) : [sampleUserMessage()];
  return ['MESSAGES = [', ...messages.map((m) => `    ${chatMessageExpression(m)},`), ']'];
}

/** Image generators take no generation_kwargs at run time. */
function hasRunKwargs(input: HaystackScriptInput): boolean {
  return input.kind !== 'image' && Object.keys(input.generationKwargs ?? {}).length > 0;
}

function runCall(kind: Generator['kind'], withKwargs: boolean): string[] {
  const kwargs = withKwargs ? ', generation_kwargs=GENERATION_KWARGS' : '';
  if (kind === 'chat')
    return [`    result = generator.run(messages=MESSAGES${kwargs})`, '    print(result["replies"][0].text)'];
  if (kind === 'text') return [`    result = generator.run(prompt=PROMPT${kwargs})`, '    print(result["replies"][0])'];
  return ['    result = generator.run(prompt=PROMPT)', '    print(result["images"][0])'];
}

function sampleUserMessage(): ChatMessageDict {
  return { role: 'user', meta: {}, name: null, content: [{ text: SAMPLE_PROMPT }] };
}

/** A plain text message reads as `ChatMessage.from_user("...")`; anything richer goes through `from_dict`. */
function chatMessageExpression(message: ChatMessageDict): string {
  const [only] = message.content;
  const isPlainText = message.content.length === 1 && typeof only.text === 'string' && message.role !== 'tool';
  if (!isPlainText) return `ChatMessage.from_dict(${pythonLiteral(message, 1)})`;
  const args = [pythonLiteral(only.text, 1)];
  if (Object.keys(message.meta).length > 0) args.push(`meta=${pythonLiteral(message.meta, 1)}`);
  if (message.name !== null) args.push(`name=${pythonLiteral(message.name, 1)}`);
  return `ChatMessage.from_${message.role}(${args.join(', ')})`;
}

/** A variable name as it is, or JSON-quoted when it is not one a shell could set (it could not end a comment then). */
function shellName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
}

/** Haystack's serialized env-var secret, which the file writes as `Secret.from_env_var(...)` so it reads as one. */
function isSecretDict(value: unknown): value is { type: 'env_var'; env_vars: string[]; strict: boolean } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const dict = value as Record<string, unknown>;
  return (
    Object.keys(dict).length === 3 &&
    dict.type === 'env_var' &&
    typeof dict.strict === 'boolean' &&
    Array.isArray(dict.env_vars) &&
    dict.env_vars.every((name) => typeof name === 'string')
  );
}

function collect(value: unknown, types: Set<string>, envVars: Set<string>): void {
  if (isSecretDict(value)) {
    for (const name of value.env_vars) envVars.add(name);
    return;
  }
  if (Array.isArray(value)) for (const item of value) collect(item, types, envVars);
  else if (typeof value === 'object' && value !== null) {
    const dict = value as Record<string, unknown>;
    if (typeof dict.type === 'string' && 'init_parameters' in dict) types.add(dict.type);
    for (const item of Object.values(dict)) collect(item, types, envVars);
  }
}

/**
 * A JSON value as a Python literal. Strings use JSON's escapes, which Python reads the same way; env-var secrets
 * become `Secret.from_env_var([...], strict=...).to_dict()`, which is the dict they came from.
 */
export function pythonLiteral(value: unknown, depth: number): string {
  const pad = '    '.repeat(depth);
  const inner = '    '.repeat(depth + 1);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'float("nan")';
    if (!Number.isFinite(value)) return value > 0 ? 'float("inf")' : '-float("inf")';
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (isSecretDict(value))
    return `Secret.from_env_var(${pythonLiteral(value.env_vars, depth)}, strict=${value.strict ? 'True' : 'False'}).to_dict()`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((item) => typeof item === 'string' || typeof item === 'number'))
      return `[${value.map((item) => pythonLiteral(item, depth)).join(', ')}]`;
    return `[\n${value.map((item) => `${inner}${pythonLiteral(item, depth + 1)},`).join('\n')}\n${pad}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${pythonLiteral(item, depth + 1)},`).join('\n')}\n${pad}}`;
  }
  throw new TypeError(`Cannot write a ${typeof value} as a Python literal.`);
}
