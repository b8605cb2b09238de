// The body of `POST /responses`, after Haystack's `OpenAIResponsesChatGenerator._prepare_api_call`.
import type { ChatMessage } from '../../core/chatMessage';
import { ConfigurationError } from '../../core/errors';
import { toResponsesInput } from './responsesInput';
import { toResponsesTools, type ResponsesToolsInput } from './responsesTools';

export interface ResponsesRequestParts {
  model: string;
  messages: readonly ChatMessage[];
  /** Already merged (run-time over init-time); sent as given apart from `text_format`. */
  generationKwargs: Record<string, unknown>;
  tools?: ResponsesToolsInput;
  toolsStrict: boolean;
  stream: boolean;
}

/**
 * `{model, input, tools?, ...generation_kwargs, stream}`. Every generation kwarg (`reasoning`, `previous_response_id`,
 * `text`, `temperature`, `top_p`, `max_output_tokens`, ...) reaches the API unchanged, so new API parameters work
 * without a release.
 */
export function buildResponsesRequest(parts: ResponsesRequestParts): Record<string, unknown> {
  const tools = toResponsesTools(parts.tools, parts.toolsStrict);
  return {
    model: parts.model,
    input: toResponsesInput(parts.messages),
    ...(tools ? { tools } : {}),
    ...withTextFormat(nestFlattenedKwargs(parts.generationKwargs)),
    stream: parts.stream,
  };
}

/**
 * Haystack 2.23+'s flattened kwargs: `reasoning_effort` and `reasoning_summary` become `reasoning.effort` and
 * `reasoning.summary`, `verbosity` becomes `text.verbosity`, each over what the nested object already says.
 */
export function nestFlattenedKwargs(kwargs: Record<string, unknown>): Record<string, unknown> {
  const { reasoning_effort: effort, reasoning_summary: summary, verbosity, ...rest } = kwargs;
  const nested = (value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  if (effort !== undefined && effort !== null) rest.reasoning = { ...nested(rest.reasoning), effort };
  if (summary !== undefined && summary !== null) rest.reasoning = { ...nested(rest.reasoning), summary };
  if (verbosity !== undefined && verbosity !== null) rest.text = { ...nested(rest.text), verbosity };
  return rest;
}

/**
 * Haystack's `text_format` is a Pydantic model, which has no JS form; here it is the JSON-schema format object
 * (`{"type": "json_schema", "name", "schema", "strict"}`) and becomes `text.format`. As in Haystack, it takes
 * precedence over a `text` kwarg. Used for requests and for `to_dict`, which Haystack also writes as `text`.
 */
export function withTextFormat(kwargs: Record<string, unknown>): Record<string, unknown> {
  if (!('text_format' in kwargs)) return kwargs;
  const { text_format: format, ...rest } = kwargs;
  if (format === undefined || format === null) return rest;
  if (typeof format !== 'object' || Array.isArray(format)) {
    throw new ConfigurationError(
      'generation_kwargs.text_format',
      'expected a JSON-schema format object such as {"type": "json_schema", "name": "answer", "schema": {...}, "strict": true}.',
    );
  }
  const text = typeof rest.text === 'object' && rest.text !== null ? (rest.text as Record<string, unknown>) : {};
  return { ...rest, text: { ...text, format } };
}
