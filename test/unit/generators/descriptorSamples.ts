// One minimal Haystack dict per registered generator type, pointed at `baseUrl`; the matrices of the descriptor,
// round-trip and missing-key suites run over it, and a descriptor without a sample fails them.
import type { ComponentDict } from '../../../src/core/serialization';

const env = (name: string, strict = true) => ({ type: 'env_var', env_vars: [name], strict });

/** `init_parameters` of a generator of each type, with its key (if any) read from `keyVar`. */
export function sampleInitParameters(baseUrl: string, keyVar: string, strict = true): Record<string, ComponentDict> {
  const openai = { api_key: env(keyVar, strict), api_base_url: `${baseUrl}/v1` };
  const azure = { azure_endpoint: baseUrl, api_key: env(keyVar, strict), azure_ad_token: null };
  const samples: ComponentDict[] = [
    { type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator', init_parameters: openai },
    {
      type: 'haystack.components.generators.chat.openai_responses.OpenAIResponsesChatGenerator',
      init_parameters: openai,
    },
    { type: 'haystack.components.generators.chat.azure.AzureOpenAIChatGenerator', init_parameters: azure },
    {
      type: 'haystack.components.generators.chat.azure_responses.AzureOpenAIResponsesChatGenerator',
      init_parameters: { azure_endpoint: baseUrl, api_key: env(keyVar, strict) },
    },
    {
      type: 'haystack.components.generators.chat.hugging_face_api.HuggingFaceAPIChatGenerator',
      init_parameters: {
        api_type: 'serverless_inference_api',
        api_params: { model: 'org/m' },
        token: env(keyVar, strict),
      },
    },
    {
      type: 'haystack.components.generators.chat.hugging_face_local.HuggingFaceLocalChatGenerator',
      init_parameters: { model: 'org/m', task: 'text-generation' },
    },
    {
      type: 'haystack_integrations.components.generators.aimlapi.chat.chat_generator.AIMLAPIChatGenerator',
      init_parameters: openai,
    },
    {
      type: 'haystack.components.generators.chat.fallback.FallbackChatGenerator',
      init_parameters: {
        chat_generators: [
          { type: 'haystack.components.generators.chat.openai.OpenAIChatGenerator', init_parameters: openai },
        ],
      },
    },
    { type: 'haystack.components.generators.openai.OpenAIGenerator', init_parameters: openai },
    { type: 'haystack.components.generators.azure.AzureOpenAIGenerator', init_parameters: azure },
    {
      type: 'haystack.components.generators.hugging_face_api.HuggingFaceAPIGenerator',
      init_parameters: {
        api_type: 'serverless_inference_api',
        api_params: { model: 'org/m' },
        token: env(keyVar, strict),
      },
    },
    {
      type: 'haystack.components.generators.hugging_face_local.HuggingFaceLocalGenerator',
      init_parameters: { model: 'org/m', task: 'text2text-generation' },
    },
    { type: 'haystack.components.generators.openai_dalle.DALLEImageGenerator', init_parameters: openai },
  ];
  return Object.fromEntries(samples.map((sample) => [sample.type, sample]));
}
