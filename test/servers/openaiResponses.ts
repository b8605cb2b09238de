// The OpenAI Responses wire format (`POST /v1/responses`, Azure's `/openai/v1/responses`), streamed and not.
// A scripted reply is built once as a `Response` object; the stream is derived from it event by event, as the
// API sends it (ResponseStreamEvent), so the streamed and non-streamed replies describe the same response.
import type { ServerResponse } from 'node:http';
import {
  sendJson,
  startSse,
  startTestServer,
  writeSse,
  type Handler,
  type QueuedReply,
  type RecordedRequest,
  type Route,
  type TestServer,
} from './testServer';

/** What a scripted response contains, in output order: reasoning, message text, function calls. */
export interface ResponseScript {
  id?: string;
  model?: string;
  /** Reasoning summaries; `[]` gives a reasoning item without a summary. Omitted: no reasoning item. */
  reasoning?: string[];
  encryptedReasoning?: string;
  text?: string;
  /** `arguments` as an object is JSON-encoded; a string is sent as it is (e.g. malformed JSON). */
  functionCalls?: { name: string; arguments: Record<string, unknown> | string }[];
  /** `incomplete` stops for `incompleteReason` (default `max_output_tokens`). */
  status?: 'completed' | 'incomplete';
  incompleteReason?: 'max_output_tokens' | 'content_filter';
  usage?: { input_tokens: number; output_tokens: number; reasoning_tokens: number };
  /** Characters per streamed text/argument delta. */
  chunkSize?: number;
}

/** A fixed timestamp keeps the streamed and non-streamed responses of one script identical. */
const CREATED_AT = 1740855869;

/** Answers streamed or not, as the request's `stream` asks. */
export function responsesReply(script: ResponseScript): Handler {
  return (request, response) => {
    if (request.body?.stream) return streamEvents(response, responseEvents(request, script));
    sendJson(response, 200, responseBody(request, script));
  };
}

/** Echoes the last user message: the server's behaviour when nothing is queued. */
export function echoScript(request: RecordedRequest): ResponseScript {
  const input: { role?: string; content?: unknown }[] = Array.isArray(request.body?.input) ? request.body.input : [];
  const last = [...input].reverse().find((item) => item.role === 'user');
  const content = last?.content;
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((p: { text?: string }) => p.text ?? '').join('')
        : '';
  return { text: `Echo: ${text}` };
}

/** Routes for OpenAI's and Azure's v1 paths. */
export function responsesRoutes(script: (request: RecordedRequest) => ResponseScript = echoScript): Route[] {
  const handle: Handler = (request, response) => responsesReply(script(request))(request, response);
  return [
    { method: 'POST', path: '/v1/responses', handle },
    { method: 'POST', path: '/openai/v1/responses', handle },
  ];
}

/** An OpenAI error reply (`{"error": {message, type, param, code}}`). */
export function openAIErrorReply(
  status: number,
  message: string,
  options: { type?: string; code?: string | null; headers?: Record<string, string> } = {},
): QueuedReply {
  return {
    status,
    body: {
      error: { message, type: options.type ?? 'invalid_request_error', param: null, code: options.code ?? null },
    },
    headers: options.headers,
  };
}

/** The complete `Response` object for a script, echoing the request's parameters as the API does. */
export function responseBody(request: RecordedRequest, script: ResponseScript): Record<string, unknown> {
  const body = request.body ?? {};
  const id = script.id ?? 'resp_test';
  const status = script.status ?? 'completed';
  const output = outputItems(id, script);
  const usage = script.usage ?? {
    input_tokens: 12,
    output_tokens: (script.text ?? '').split(/\s+/).filter(Boolean).length + 3,
    reasoning_tokens: script.reasoning ? 64 : 0,
  };
  return {
    id,
    object: 'response',
    created_at: CREATED_AT,
    status,
    completed_at: status === 'completed' ? CREATED_AT + 1 : null,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: script.incompleteReason ?? 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: script.model ?? body.model ?? 'unknown',
    output,
    parallel_tool_calls: true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: {
      input_tokens: usage.input_tokens,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: usage.output_tokens + usage.reasoning_tokens,
      output_tokens_details: { reasoning_tokens: usage.reasoning_tokens },
      total_tokens: usage.input_tokens + usage.output_tokens + usage.reasoning_tokens,
    },
    user: null,
    metadata: {},
  };
}

function outputItems(id: string, script: ResponseScript): Record<string, unknown>[] {
  const suffix = id.replace(/^resp_/, '');
  const items: Record<string, unknown>[] = [];
  if (script.reasoning) {
    items.push({
      id: `rs_${suffix}`,
      type: 'reasoning',
      summary: script.reasoning.map((text) => ({ type: 'summary_text', text })),
      ...(script.encryptedReasoning ? { encrypted_content: script.encryptedReasoning } : {}),
    });
  }
  if (script.text !== undefined) {
    items.push({
      id: `msg_${suffix}`,
      type: 'message',
      status: script.status === 'incomplete' ? 'incomplete' : 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: script.text, annotations: [], logprobs: [] }],
    });
  }
  (script.functionCalls ?? []).forEach((call, i) => {
    items.push({
      id: `fc_${suffix}_${i}`,
      type: 'function_call',
      status: 'completed',
      call_id: `call_${suffix}_${i}`,
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    });
  });
  return items;
}

/** Every event of the streamed response, in order, with sequence numbers. */
export function responseEvents(request: RecordedRequest, script: ResponseScript): Record<string, unknown>[] {
  const final = responseBody(request, script);
  const size = script.chunkSize ?? 5;
  const inProgress = {
    ...final,
    status: 'in_progress',
    completed_at: null,
    incomplete_details: null,
    output: [],
    usage: null,
  };
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: inProgress },
    { type: 'response.in_progress', response: inProgress },
  ];
  (final.output as Record<string, any>[]).forEach((item, outputIndex) => {
    const at = { output_index: outputIndex };
    const itemRef = { item_id: item.id, output_index: outputIndex };
    if (item.type === 'reasoning') {
      events.push({ type: 'response.output_item.added', ...at, item: { id: item.id, type: 'reasoning', summary: [] } });
      (item.summary as { text: string }[]).forEach((part, summaryIndex) => {
        const ref = { ...itemRef, summary_index: summaryIndex };
        events.push({
          type: 'response.reasoning_summary_part.added',
          ...ref,
          part: { type: 'summary_text', text: '' },
        });
        for (const delta of pieces(part.text, size))
          events.push({ type: 'response.reasoning_summary_text.delta', ...ref, delta });
        events.push({ type: 'response.reasoning_summary_text.done', ...ref, text: part.text });
        events.push({
          type: 'response.reasoning_summary_part.done',
          ...ref,
          part: { type: 'summary_text', text: part.text },
        });
      });
    }
    if (item.type === 'message') {
      const text: string = item.content[0].text;
      const ref = { ...itemRef, content_index: 0 };
      events.push({ type: 'response.output_item.added', ...at, item: { ...item, status: 'in_progress', content: [] } });
      events.push({
        type: 'response.content_part.added',
        ...ref,
        part: { type: 'output_text', text: '', annotations: [] },
      });
      for (const delta of pieces(text, size))
        events.push({ type: 'response.output_text.delta', ...ref, delta, logprobs: [] });
      events.push({ type: 'response.output_text.done', ...ref, text, logprobs: [] });
      events.push({ type: 'response.content_part.done', ...ref, part: item.content[0] });
    }
    if (item.type === 'function_call') {
      events.push({
        type: 'response.output_item.added',
        ...at,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      for (const delta of pieces(item.arguments, size))
        events.push({ type: 'response.function_call_arguments.delta', ...itemRef, delta });
      events.push({
        type: 'response.function_call_arguments.done',
        ...itemRef,
        name: item.name,
        arguments: item.arguments,
      });
    }
    events.push({ type: 'response.output_item.done', ...at, item });
  });
  events.push({ type: final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', response: final });
  return events.map((event, sequence) => ({ ...event, sequence_number: sequence }));
}

/** A stream that breaks off after its text started: `response.failed`, or a bare `error` event. */
export function failingResponsesStream(
  kind: 'failed' | 'error',
  code = 'server_error',
  message = 'The model failed to generate a response.',
): Handler {
  return (request, response) => {
    const events = responseEvents(request, { text: 'Partial answer' }).slice(0, 6);
    const failed = {
      ...responseBody(request, {}),
      status: 'failed',
      error: { code, message },
      usage: null,
      output: [],
    };
    events.push(
      kind === 'failed' ? { type: 'response.failed', response: failed } : { type: 'error', code, message, param: null },
    );
    streamEvents(response, events);
  };
}

/**
 * A stream that sends its first text deltas and then waits, until the client goes away. `disconnected` resolves
 * when it does, so a test can see a cancellation reach the wire.
 */
export function stallingResponsesStream(script: ResponseScript): { handler: Handler; disconnected: Promise<void> } {
  let resolve!: () => void;
  const disconnected = new Promise<void>((r) => (resolve = r));
  const handler: Handler = (request, response) => {
    response.on('close', () => resolve());
    const events = responseEvents(request, script);
    const firstDelta = events.findIndex((e) => e.type === 'response.output_text.delta');
    startSse(response);
    for (const event of events.slice(0, firstDelta + 2)) writeSse(response, event, event.type as string);
  };
  return { handler, disconnected };
}

function streamEvents(response: ServerResponse, events: Record<string, unknown>[]): void {
  startSse(response);
  for (const event of events) writeSse(response, event, event.type as string);
  response.end();
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** A server that answers both Responses paths (echoing by default) and records every request. */
export function startResponsesServer(script?: (request: RecordedRequest) => ResponseScript): Promise<TestServer> {
  return startTestServer(responsesRoutes(script));
}
