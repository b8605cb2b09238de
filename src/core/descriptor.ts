// What the project knows about one generator type, as data beside its class. Everything that lists generators (the
// registry, the add-generator wizard, structured output, generation settings, the Python export, the settings
// schema check, the language-model provider, the test matrices) reads these instead of switching on class names.
import type { Generator } from './generator';
import type { ComponentDict } from './serialization';
import type { StructuredOutputSupport } from './structuredOutput';

/** Builds a nested component from its Haystack dict; given to generators that hold others (FallbackChatGenerator). */
export type ComponentResolver = (dict: unknown) => Generator;

/** One init parameter the add-generator wizard asks for; `path` is snake_case, dotted for nested dicts. */
export interface WizardField {
  /** e.g. `model`, `azure_endpoint`, `api_params.url`. */
  path: string;
  prompt: string;
  placeholder?: string;
  defaultValue?: string;
  /** Offered as a pick list instead of a free input. */
  choices?: string[];
  optional?: boolean;
}

/**
 * Token limits of a generator's default model. `contextWindow` is input and output together; `maxOutputTokens` the
 * longest reply the model may write. Where the model is chosen by the user (Hugging Face APIs, local models) or
 * the provider does not publish limits, these are conservative values that every model of the family meets.
 */
export interface TokenLimits {
  contextWindow: number;
  maxOutputTokens: number;
}

/** What a generator can do, decided from its init parameters (and, for a chain, its nested generators). */
export interface GeneratorCapabilities {
  /** Whether user messages may carry images. Always false for text and image generators. */
  imageInput: boolean;
  /** Whether `tools` can be given and tool calls come back in replies. Always false for text and image generators. */
  toolCalling: boolean;
  /** Whether, and how, a reply can be held to a JSON schema. */
  structuredOutput: StructuredOutputSupport;
  /** The `generation_kwargs` key that caps the reply length (spelled as the provider's API spells it). */
  maxTokensKey: string | undefined;
  tokenLimits: TokenLimits;
}

/** Turns the capabilities of a chain's members into the chain's own. */
export type NestedCapabilities = (component: ComponentDict) => GeneratorCapabilities;

/**
 * One generator type: its Haystack identity, how to build it, and its capabilities as data. A generator's
 * descriptor sits in the generator's own file; `generators/registry.ts` lists them all.
 */
export interface GeneratorDescriptor {
  /** Haystack's type string, e.g. `haystack.components.generators.chat.openai.OpenAIChatGenerator`. */
  readonly typeName: string;
  readonly kind: Generator['kind'];
  /** Shown in pickers, e.g. `OpenAI chat`; a parenthesised note after the name is dropped in generated names. */
  readonly label: string;
  /** Haystack's `from_dict`; `resolve` builds nested components. */
  fromDict(dict: unknown, resolve: ComponentResolver): Generator;
  /**
   * Env var names of the key it needs, the preferred one first; empty when it needs none (local models read an
   * optional Hugging Face token for gated models only).
   */
  readonly secretEnvVars: readonly string[];
  /** The model (or deployment) the class uses when none is given; undefined when the user must name one. */
  readonly defaultModel: string | undefined;
  /** pip packages its Python export needs besides `haystack-ai` (which brings `openai`). */
  readonly pythonPackages: readonly string[];
  /** What the add-generator wizard asks, in order. */
  readonly wizardFields: readonly WizardField[];
  /**
   * The generator's capabilities for the given `init_parameters`. `nested` resolves the capabilities of a member
   * component, for generators that chain others.
   */
  capabilities(initParameters: Record<string, unknown>, nested: NestedCapabilities): GeneratorCapabilities;
}

/** The capabilities a generator has whatever its init parameters: most descriptors are this. */
export function fixedCapabilities(capabilities: GeneratorCapabilities): GeneratorDescriptor['capabilities'] {
  return () => capabilities;
}
