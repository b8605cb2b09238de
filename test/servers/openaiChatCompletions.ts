// The OpenAI Chat Completions wire format (also Azure's deployment paths and AIMLAPI), streamed and not.
import type { ServerResponse } from 'node:http';
import {
  sendJson,
  startSse,
  startTestServer,
  writeSse,
  type Handler,
  type RecordedRequest,
  type Route,
  type TestServer,
} from './testServer';

/** What a scripted reply says; the handler answers streamed or not, as the request asks. */
export interface CompletionScript {
  text?: string;
  toolCalls?: { id: string; name: string; arguments: string }[];
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /** Completions for `n` > 1; by default the request's `n` copies of `text`. */
  choices?: string[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  /** Characters per streamed content delta. */
  chunkSize?: number;
  model?: string;
}

/** The tool-call argument fragments a stream sends, as OpenAI splits them. */
const ARGUMENT_FRAGMENT = 7;

export function completionReply(script: CompletionScript): Handler {
  return (request, response) => {
    if (request.body?.stream) return streamCompletion(request, response, script);
    sendJson(response, 200, completionBody(request, script));
  };
}

/** Echoes the last user message: the default behaviour of the server. */
export function echoScript(request: RecordedRequest): CompletionScript {
  const messages: { role: string; content: unknown }[] = request.body?.messages ?? [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const text =
    typeof last?.content === 'string'
      ? last.content
      : Array.isArray(last?.content)
        ? last.content.map((p: { text?: string }) => p.text ?? '').join('')
        : '';
  return { text: `Echo: ${text}` };
}

function usageFor(request: RecordedRequest, script: CompletionScript, text: string) {
  if (script.usage) return script.usage;
  const prompt = JSON.stringify(request.body?.messages ?? []).split(/\s+/).length;
  const completion = text.split(/\s+/).filter(Boolean).length;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function modelOf(request: RecordedRequest, script: CompletionScript): string {
  return script.model ?? request.body?.model ?? 'unknown';
}

export function completionBody(request: RecordedRequest, script: CompletionScript) {
  const n = typeof request.body?.n === 'number' ? request.body.n : 1;
  const texts = script.choices ?? Array.from({ length: n }, () => script.text ?? '');
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: modelOf(request, script),
    choices: texts.map((text, index) => ({
      index,
      message: {
        role: 'assistant',
        content: script.toolCalls && !script.text ? null : text,
        refusal: null,
        ...(script.toolCalls
          ? {
              tool_calls: script.toolCalls.map((c) => ({
                id: c.id,
                type: 'function',
                function: { name: c.name, arguments: c.arguments },
              })),
            }
          : {}),
      },
      logprobs: null,
      finish_reason: script.finishReason ?? (script.toolCalls ? 'tool_calls' : 'stop'),
    })),
    usage: usageFor(request, script, texts.join(' ')),
  };
}

/** Every SSE payload of a streamed reply, in order, without `[DONE]`. */
export function streamEvents(request: RecordedRequest, script: CompletionScript): unknown[] {
  const base = {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: modelOf(request, script),
  };
  const chunk = (delta: object, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const events: unknown[] = [chunk({ role: 'assistant', content: '' })];
  const text = script.text ?? '';
  const size = script.chunkSize ?? 4;
  for (let i = 0; i < text.length; i += size) events.push(chunk({ content: text.slice(i, i + size) }));
  (script.toolCalls ?? []).forEach((call, index) => {
    events.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    for (let i = 0; i < call.arguments.length; i += ARGUMENT_FRAGMENT) {
      events.push(
        chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(i, i + ARGUMENT_FRAGMENT) } }] }),
      );
    }
  });
  events.push(chunk({}, script.finishReason ?? (script.toolCalls ? 'tool_calls' : 'stop')));
  if (request.body?.stream_options?.include_usage)
    events.push({ ...base, choices: [], usage: usageFor(request, script, text) });
  return events;
}

function streamCompletion(request: RecordedRequest, response: ServerResponse, script: CompletionScript): void {
  startSse(response);
  for (const event of streamEvents(request, script)) writeSse(response, event);
  writeSse(response, '[DONE]');
  response.end();
}

/** Sends the first `count` events of the stream, then never another byte (a stalled provider). */
export function stallAfter(script: CompletionScript, count: number): Handler {
  return (request, response) => {
    startSse(response);
    for (const event of streamEvents(request, script).slice(0, count)) writeSse(response, event);
  };
}

/** Sends the first `count` events, then drops the connection (a reset mid-stream). */
export function resetAfter(script: CompletionScript, count: number): Handler {
  return (request, response) => {
    startSse(response);
    for (const event of streamEvents(request, script).slice(0, count)) writeSse(response, event);
    setImmediate(() => response.socket?.destroy());
  };
}

/** OpenAI's error body, `{"error": {message, type, param, code}}`. */
export function apiError(status: number, message: string, headers: Record<string, string> = {}) {
  const type =
    status === 401
      ? 'invalid_request_error'
      : status === 429
        ? 'rate_limit_exceeded'
        : status >= 500
          ? 'server_error'
          : 'invalid_request_error';
  return { status, headers, body: { error: { message, type, param: null, code: null } } };
}

function authorized(request: RecordedRequest): boolean {
  return Boolean(request.headers.authorization || request.headers['api-key']);
}

const defaultHandler: Handler = (request, response) => {
  if (!authorized(request)) return sendJson(response, 401, apiError(401, "You didn't provide an API key.").body);
  if (typeof request.body?.model !== 'string' || !Array.isArray(request.body?.messages)) {
    return sendJson(response, 400, apiError(400, "'model' and 'messages' are required properties").body);
  }
  return completionReply(echoScript(request))(request, response);
};

/** OpenAI's path, the same under any base path (AIMLAPI's /v1), and Azure's deployment path. */
export function openAIChatRoutes(handler: Handler = defaultHandler): Route[] {
  return [
    { method: 'POST', path: '/v1/chat/completions', handle: handler },
    { method: 'POST', path: /^\/openai\/deployments\/[^/]+\/chat\/completions$/, handle: handler },
  ];
}

export function startOpenAIServer(): Promise<TestServer> {
  return startTestServer(openAIChatRoutes());
}
