import { ConfigurationError } from '../../core/errors';

/**
 * Which Hugging Face API a generator talks to, after Haystack's `HFGenerationAPIType`. The values are the strings
 * Haystack serializes as `api_type`, so `HFGenerationAPIType.SERVERLESS_INFERENCE_API` and
 * `"serverless_inference_api"` are interchangeable.
 */
export const HFGenerationAPIType = {
  /** Self-hosted Text Generation Inference (TGI); needs `api_params.url`. */
  TEXT_GENERATION_INFERENCE: 'text_generation_inference',
  /** Paid Hugging Face Inference Endpoints; needs `api_params.url`. */
  INFERENCE_ENDPOINTS: 'inference_endpoints',
  /** Inference Providers through the Hugging Face router; needs `api_params.model`, `provider` is recommended. */
  SERVERLESS_INFERENCE_API: 'serverless_inference_api',
} as const;

export type HFGenerationAPIType = (typeof HFGenerationAPIType)[keyof typeof HFGenerationAPIType];

const API_TYPES: readonly string[] = Object.values(HFGenerationAPIType);

/** Haystack's `HFGenerationAPIType.from_str`: the enum value for a string, or an error listing the valid ones. */
export function hfGenerationApiTypeFromString(value: unknown, field = 'api_type'): HFGenerationAPIType {
  if (typeof value === 'string' && API_TYPES.includes(value)) return value as HFGenerationAPIType;
  const shown = typeof value === 'string' ? `'${value}'` : `of type ${value === null ? 'null' : typeof value}`;
  throw new ConfigurationError(
    field,
    `Unknown Hugging Face API type ${shown}. Supported types are: ${API_TYPES.map((t) => `'${t}'`).join(', ')}.`,
  );
}
