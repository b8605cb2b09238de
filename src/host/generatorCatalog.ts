// What the host knows about each Haystack generator type beyond its class: a label for pickers, the init
// parameters the add-generator wizard asks for, and the env vars its key is usually read from. Plain data.
import type { Generator } from '../core/generator';

/** One init parameter the wizard asks for; `path` is snake_case, dotted for nested dicts (`api_params.model`). */
export interface WizardField {
  path: string;
  prompt: string;
  placeholder?: string;
  defaultValue?: string;
  /** Offered as a pick list instead of a free input. */
  choices?: string[];
  optional?: boolean;
}

/** Host-side facts about one Haystack generator type. */
export interface GeneratorTypeInfo {
  typeName: string;
  kind: Generator['kind'];
  label: string;
  fields: WizardField[];
  /** Env var names its default secret reads, first one preferred; empty when it needs no key. */
  secretEnvVars: string[];
}

const OPENAI_MODEL: WizardField = { path: 'model', prompt: 'Model', defaultValue: 'gpt-4o-mini' };
const AZURE_FIELDS: WizardField[] = [
  { path: 'azure_endpoint', prompt: 'Azure OpenAI endpoint', placeholder: 'https://<resource>.openai.azure.com' },
  { path: 'azure_deployment', prompt: 'Deployment name', defaultValue: 'gpt-4o-mini' },
];
const HF_API_FIELDS: WizardField[] = [
  {
    path: 'api_type',
    prompt: 'Hugging Face API type',
    choices: ['serverless_inference_api', 'inference_endpoints', 'text_generation_inference'],
  },
  { path: 'api_params.model', prompt: 'Model id (serverless API) — leave empty for an endpoint URL', optional: true },
  {
    path: 'api_params.url',
    prompt: 'Endpoint URL (inference endpoints / TGI) — leave empty for a model id',
    optional: true,
  },
];
const HF_TOKEN = ['HF_API_TOKEN', 'HF_TOKEN'];

/** Every Haystack generator type the extension knows, keyed by type string. */
export const GENERATOR_TYPES: readonly GeneratorTypeInfo[] = [
  {
    typeName: 'haystack.components.generators.chat.openai.OpenAIChatGenerator',
    kind: 'chat',
    label: 'OpenAI chat',
    fields: [OPENAI_MODEL],
    secretEnvVars: ['OPENAI_API_KEY'],
  },
  {
    typeName: 'haystack.components.generators.chat.openai_responses.OpenAIResponsesChatGenerator',
    kind: 'chat',
    label: 'OpenAI Responses chat',
    fields: [{ ...OPENAI_MODEL, defaultValue: 'gpt-5-mini' }],
    secretEnvVars: ['OPENAI_API_KEY'],
  },
  {
    typeName: 'haystack.components.generators.chat.azure.AzureOpenAIChatGenerator',
    kind: 'chat',
    label: 'Azure OpenAI chat',
    fields: AZURE_FIELDS,
    secretEnvVars: ['AZURE_OPENAI_API_KEY'],
  },
  {
    typeName: 'haystack.components.generators.chat.azure_responses.AzureOpenAIResponsesChatGenerator',
    kind: 'chat',
    label: 'Azure OpenAI Responses chat',
    fields: [AZURE_FIELDS[0], { ...AZURE_FIELDS[1], defaultValue: 'gpt-5-mini' }],
    secretEnvVars: ['AZURE_OPENAI_API_KEY'],
  },
  {
    typeName: 'haystack.components.generators.chat.hugging_face_api.HuggingFaceAPIChatGenerator',
    kind: 'chat',
    label: 'Hugging Face API chat',
    fields: HF_API_FIELDS,
    secretEnvVars: HF_TOKEN,
  },
  {
    typeName: 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator',
    kind: 'chat',
    label: 'Local Hugging Face chat (runs on this machine)',
    fields: [
      { path: 'model', prompt: 'Model id or local folder', defaultValue: 'HuggingFaceTB/SmolLM2-135M-Instruct' },
    ],
    secretEnvVars: [],
  },
  {
    typeName: 'haystack_integrations.components.generators.aimlapi.chat.chat_generator.AIMLAPIChatGenerator',
    kind: 'chat',
    label: 'AIMLAPI chat',
    fields: [{ path: 'model', prompt: 'Model', defaultValue: 'openai/gpt-5-chat-latest' }],
    secretEnvVars: ['AIMLAPI_API_KEY'],
  },
  {
    typeName: 'haystack.components.generators.chat.fallback.FallbackChatGenerator',
    kind: 'chat',
    label: 'Fallback chat (tries several in order)',
    fields: [],
    secretEnvVars: [],
  },
  {
    typeName: 'haystack.components.generators.openai.OpenAIGenerator',
    kind: 'text',
    label: 'OpenAI text',
    fields: [OPENAI_MODEL],
    secretEnvVars: ['OPENAI_API_KEY'],
  },
  {
    typeName: 'haystack.components.generators.azure.AzureOpenAIGenerator',
    kind: 'text',
    label: 'Azure OpenAI text',
    fields: AZURE_FIELDS,
    secretEnvVars: ['AZURE_OPENAI_API_KEY'],
  },
  {
    typeName: 'haystack.components.generators.hugging_face_api.HuggingFaceAPIGenerator',
    kind: 'text',
    label: 'Hugging Face API text',
    fields: HF_API_FIELDS,
    secretEnvVars: HF_TOKEN,
  },
  {
    typeName: 'haystack.components.generators.hugging_face_local.HuggingFaceLocalGenerator',
    kind: 'text',
    label: 'Local Hugging Face text (runs on this machine)',
    fields: [{ path: 'model', prompt: 'Model id or local folder', defaultValue: 'google/flan-t5-base' }],
    secretEnvVars: [],
  },
  {
    typeName: 'haystack.components.generators.openai_dalle.DALLEImageGenerator',
    kind: 'image',
    label: 'OpenAI image (DALL·E)',
    fields: [{ path: 'model', prompt: 'Model', defaultValue: 'dall-e-3' }],
    secretEnvVars: ['OPENAI_API_KEY'],
  },
];

export const FALLBACK_CHAT_TYPE = 'haystack.components.generators.chat.fallback.FallbackChatGenerator';

/** Env var names offered by 'Set API Key', most common first. */
export const COMMON_SECRET_NAMES: readonly string[] = [
  'OPENAI_API_KEY',
  'AZURE_OPENAI_API_KEY',
  'AZURE_OPENAI_AD_TOKEN',
  'HF_TOKEN',
  'HF_API_TOKEN',
  'AIMLAPI_API_KEY',
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
