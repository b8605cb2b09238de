// Haystack's serialized form of a ChatMessage's content parts, as every Haystack 2.x release writes them:
// `{"text"}`, `{"image"}`, `{"file"}` (2.24+), `{"reasoning"}`, `{"tool_call"}` (always with `extra`, null when unset)
// and `{"tool_call_result"}` (a string result, or text and image parts since 2.23).
import type { ContentPart, FileContent, ImageContent, ReasoningContent, ToolCall, ToolResultPart } from './chatMessage';
import { DeserializationError } from './errors';
import { asRecord, describe } from './valueChecks';

export function contentPartToDict(part: ContentPart): Record<string, unknown> {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'tool_call':
      return { tool_call: toolCallToDict(part.toolCall) };
    case 'tool_call_result':
      return {
        tool_call_result: {
          result:
            typeof part.toolCallResult.result === 'string'
              ? part.toolCallResult.result
              : part.toolCallResult.result.map(contentPartToDict),
          origin: toolCallToDict(part.toolCallResult.origin),
          error: part.toolCallResult.error,
        },
      };
    case 'image':
      return { image: imageToDict(part.image) };
    case 'file':
      return { file: fileToDict(part.file) };
    case 'reasoning':
      return { reasoning: { reasoning_text: part.reasoning.reasoningText, extra: part.reasoning.extra ?? {} } };
  }
}

export function contentPartFromDict(value: unknown, field: string): ContentPart {
  const dict = asRecord(value, field);
  if ('text' in dict) {
    if (typeof dict.text !== 'string')
      throw new DeserializationError(`${field}.text`, `expected a string, got ${describe(dict.text)}.`);
    return { type: 'text', text: dict.text };
  }
  if ('tool_call' in dict)
    return { type: 'tool_call', toolCall: toolCallFromDict(dict.tool_call, `${field}.tool_call`) };
  if ('tool_call_result' in dict) {
    const r = asRecord(dict.tool_call_result, `${field}.tool_call_result`);
    if (typeof r.error !== 'boolean')
      throw new DeserializationError(
        `${field}.tool_call_result.error`,
        `expected true or false, got ${describe(r.error)}.`,
      );
    return {
      type: 'tool_call_result',
      toolCallResult: {
        result: toolResultFromDict(r.result, `${field}.tool_call_result.result`),
        origin: toolCallFromDict(r.origin, `${field}.tool_call_result.origin`),
        error: r.error,
      },
    };
  }
  if ('image' in dict) return { type: 'image', image: imageFromDict(dict.image, `${field}.image`) };
  if ('file' in dict) return { type: 'file', file: fileFromDict(dict.file, `${field}.file`) };
  if ('reasoning' in dict) return { type: 'reasoning', reasoning: reasoningFromDict(dict.reasoning, field) };
  throw new DeserializationError(
    field,
    'unsupported content part; expected one of text, image, file, tool_call, tool_call_result, reasoning.',
  );
}

/** Haystack's `ToolCall.to_dict()`: every field, `id` and `extra` null when unset. */
export function toolCallToDict(call: ToolCall): Record<string, unknown> {
  return { tool_name: call.toolName, arguments: call.arguments, id: call.id ?? null, extra: call.extra ?? null };
}

function toolCallFromDict(value: unknown, field: string): ToolCall {
  const dict = asRecord(value, field);
  if (typeof dict.tool_name !== 'string')
    throw new DeserializationError(`${field}.tool_name`, `expected a string, got ${describe(dict.tool_name)}.`);
  const args = asRecord(dict.arguments, `${field}.arguments`);
  if (dict.id !== undefined && dict.id !== null && typeof dict.id !== 'string') {
    throw new DeserializationError(`${field}.id`, `expected a string or null, got ${describe(dict.id)}.`);
  }
  const call: ToolCall = { toolName: dict.tool_name, arguments: { ...args } };
  if (typeof dict.id === 'string') call.id = dict.id;
  if (dict.extra !== undefined && dict.extra !== null) call.extra = { ...asRecord(dict.extra, `${field}.extra`) };
  return call;
}

function toolResultFromDict(value: unknown, field: string): string | ToolResultPart[] {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value))
    throw new DeserializationError(
      field,
      `expected a string or a list of text and image parts, got ${describe(value)}.`,
    );
  return Array.from(value, (item, i) => {
    const part = contentPartFromDict(item, `${field}[${i}]`);
    if (part.type !== 'text' && part.type !== 'image')
      throw new DeserializationError(`${field}[${i}]`, 'a tool result may hold only text and image parts.');
    return part;
  });
}

function imageToDict(image: ImageContent): Record<string, unknown> {
  return {
    base64_image: image.base64Image,
    mime_type: image.mimeType ?? null,
    detail: image.detail ?? null,
    meta: image.meta ?? {},
    validation: image.validation ?? true,
  };
}

function imageFromDict(value: unknown, field: string): ImageContent {
  const img = asRecord(value, field);
  if (typeof img.base64_image !== 'string' || img.base64_image === '') {
    throw new DeserializationError(
      `${field}.base64_image`,
      `expected a base64 string, got ${describe(img.base64_image)}.`,
    );
  }
  const image: ImageContent = { base64Image: img.base64_image };
  if (typeof img.mime_type === 'string') image.mimeType = img.mime_type;
  if (img.detail === 'auto' || img.detail === 'high' || img.detail === 'low') image.detail = img.detail;
  else if (img.detail !== undefined && img.detail !== null)
    throw new DeserializationError(`${field}.detail`, 'expected "auto", "high", "low" or null.');
  if (img.meta !== undefined && img.meta !== null) image.meta = { ...asRecord(img.meta, `${field}.meta`) };
  if (img.validation === false) image.validation = false;
  return image;
}

function fileToDict(file: FileContent): Record<string, unknown> {
  return {
    base64_data: file.base64Data,
    mime_type: file.mimeType ?? null,
    filename: file.filename ?? null,
    extra: file.extra ?? {},
    validation: file.validation ?? true,
  };
}

function fileFromDict(value: unknown, field: string): FileContent {
  const dict = asRecord(value, field);
  if (typeof dict.base64_data !== 'string' || dict.base64_data === '') {
    throw new DeserializationError(
      `${field}.base64_data`,
      `expected a base64 string, got ${describe(dict.base64_data)}.`,
    );
  }
  const file: FileContent = { base64Data: dict.base64_data };
  for (const key of ['mime_type', 'filename'] as const) {
    const text = dict[key];
    if (text !== undefined && text !== null && typeof text !== 'string')
      throw new DeserializationError(`${field}.${key}`, `expected a string or null, got ${describe(text)}.`);
  }
  if (typeof dict.mime_type === 'string') file.mimeType = dict.mime_type;
  if (typeof dict.filename === 'string') file.filename = dict.filename;
  if (dict.extra !== undefined && dict.extra !== null) file.extra = { ...asRecord(dict.extra, `${field}.extra`) };
  if (dict.validation === false) file.validation = false;
  return file;
}

function reasoningFromDict(value: unknown, field: string): ReasoningContent {
  const r = asRecord(value, `${field}.reasoning`);
  if (typeof r.reasoning_text !== 'string')
    throw new DeserializationError(
      `${field}.reasoning.reasoning_text`,
      `expected a string, got ${describe(r.reasoning_text)}.`,
    );
  const reasoning: ReasoningContent = { reasoningText: r.reasoning_text };
  if (r.extra !== undefined && r.extra !== null) reasoning.extra = { ...asRecord(r.extra, `${field}.reasoning.extra`) };
  return reasoning;
}
