// Text Generation Inference's wire format (tgi-openapi.json: /generate, /generate_stream, /v1/chat/completions,
// /v1/completions) and the Inference Providers router in front of it (/v1/chat/completions for the auto router,
// /<provider>/v1/..., /hf-inference/models/<model>/v1/...), plus the Hub route the client asks for provider mappings.
// A scripted "model" answers: it emits its tokens and honours `stop`/`max_new_tokens` the way TGI does.
import type { ServerResponse } from 'node:http';
import {
  type Handler,
  type QueuedReply,
  type RecordedRequest,
  type Route,
  sendJson,
  startSse,
  writeSse,
} from './testServer';

/** A tool call the scripted model makes when the request offers tools. */
export interface ScriptedToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** What the scripted model answers. */
export interface ModelScript {
  /** The reply, token by token. */
  tokens: string[];
  /** Made instead of text when the request has `tools`. */
  toolCalls?: ScriptedToolCall[];
  /** Reasoning sent before the text (providers that expose it). */
  reasoning?: string;
  promptTokens?: number;
}

/** One entry of the Hub's `inferenceProviderMapping` for a model. */
export interface ProviderMapping {
  provider: string;
  providerId: string;
  task: 'conversational' | 'text-generation';
}

/** The fake deployment: the script, TGI's model id, and the Hub's provider mappings. Tests may change it. */
export interface FakeHuggingFace {
  script: ModelScript;
  /** The model id TGI reports. */
  tgiModelId: string;
  hubModels: Record<string, ProviderMapping[]>;
}

type FinishReason = 'length' | 'eos_token' | 'stop_sequence';

/** TGI's generation rules over the script: stop after a stop sequence appears, or after `maxTokens` tokens. */
export function runScript(
  script: ModelScript,
  stop: readonly string[] = [],
  maxTokens?: number,
): { tokens: string[]; finishReason: FinishReason } {
  const tokens: string[] = [];
  let text = '';
  for (const token of script.tokens) {
    if (maxTokens !== undefined && tokens.length >= maxTokens) return { tokens, finishReason: 'length' };
    tokens.push(token);
    text += token;
    if (stop.some((s) => text.includes(s))) return { tokens, finishReason: 'stop_sequence' };
  }
  return { tokens, finishReason: 'eos_token' };
}

const EOS = { id: 2, text: '</s>', logprob: -0.01, special: true };
const token = (text: string, i: number) => ({ id: 100 + i, text, logprob: -0.5, special: false });
const created = () => Math.floor(Date.now() / 1000);
const FINGERPRINT = '3.3.4-native';

function validationError(res: ServerResponse, message: string): void {
  sendJson(res, 422, { error: `Input validation error: ${message}`, error_type: 'validation' });
}

function generateParameters(req: RecordedRequest): { stop: string[]; max?: number } {
  const parameters = req.body?.parameters ?? {};
  return { stop: parameters.stop ?? [], max: parameters.max_new_tokens ?? undefined };
}

/** POST /generate: GenerateResponse with `details` when asked. */
function generate(fake: FakeHuggingFace): Handler {
  return (req, res) => {
    if (typeof req.body?.inputs !== 'string') return validationError(res, '`inputs` must be a string');
    const { stop, max } = generateParameters(req);
    const { tokens, finishReason } = runScript(fake.script, stop, max);
    const generated = [...tokens.map(token), ...(finishReason === 'eos_token' ? [EOS] : [])];
    const details = req.body.parameters?.details
      ? { finish_reason: finishReason, generated_tokens: generated.length, prefill: [], seed: null, tokens: generated }
      : null;
    sendJson(res, 200, { generated_text: tokens.join(''), details });
  };
}

/** POST /generate_stream: one StreamResponse per token; the last carries `generated_text` and `details`. */
function generateStream(fake: FakeHuggingFace): Handler {
  return (req, res) => {
    if (typeof req.body?.inputs !== 'string') return validationError(res, '`inputs` must be a string');
    const { stop, max } = generateParameters(req);
    const { tokens, finishReason } = runScript(fake.script, stop, max);
    const all = [...tokens.map(token), ...(finishReason === 'eos_token' ? [EOS] : [])];
    startSse(res);
    all.forEach((t, i) => {
      const last = i === all.length - 1;
      writeSse(res, {
        index: i,
        token: t,
        generated_text: last ? tokens.join('') : null,
        details: last
          ? { finish_reason: finishReason, generated_tokens: all.length, input_length: 7, seed: null }
          : null,
      });
    });
    res.end();
  };
}

type Flavour = 'tgi' | 'provider';

/** POST .../v1/chat/completions, streamed or not, with text, reasoning or tool calls. */
function chatCompletions(fake: FakeHuggingFace, flavour: Flavour): Handler {
  return (req, res) => {
    const body = req.body ?? {};
    if (!Array.isArray(body.messages) || body.messages.some((m: { role?: unknown }) => typeof m?.role !== 'string')) {
      return validationError(res, '`messages` must be a list of messages with a `role`');
    }
    const model = flavour === 'tgi' ? fake.tgiModelId : String(body.model);
    const id = flavour === 'tgi' ? '' : 'chatcmpl-fake-1';
    const wantsTools = Array.isArray(body.tools) && body.tools.length > 0 && (fake.script.toolCalls?.length ?? 0) > 0;
    const { tokens, finishReason } = runScript(fake.script, body.stop ?? [], body.max_tokens ?? undefined);
    const completionTokens = wantsTools ? 12 : tokens.length;
    const usage = {
      prompt_tokens: fake.script.promptTokens ?? 21,
      completion_tokens: completionTokens,
      total_tokens: (fake.script.promptTokens ?? 21) + completionTokens,
    };
    // TGI sends tool arguments as a JSON object; OpenAI-style providers as a JSON string.
    const args = (a: Record<string, unknown>) => (flavour === 'tgi' ? a : JSON.stringify(a));
    const finish =
      flavour === 'tgi' ? finishReason : finishReason === 'length' ? 'length' : wantsTools ? 'tool_calls' : 'stop';
    if (!body.stream) {
      const message = wantsTools
        ? {
            role: 'assistant',
            tool_calls: fake.script.toolCalls!.map((c) => ({
              id: c.id,
              type: 'function',
              function: { description: null, name: c.name, arguments: args(c.arguments) },
            })),
          }
        : {
            role: 'assistant',
            content: tokens.join(''),
            ...(fake.script.reasoning ? { reasoning: fake.script.reasoning } : {}),
          };
      return sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created: created(),
        model,
        system_fingerprint: FINGERPRINT,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
        usage,
      });
    }
    const chunk = (delta: Record<string, unknown>, finishReasonValue: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created: created(),
      model,
      system_fingerprint: FINGERPRINT,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReasonValue }],
      usage: null,
    });
    startSse(res);
    if (wantsTools) {
      fake.script.toolCalls!.forEach((call, index) => {
        writeSse(
          res,
          chunk(
            {
              role: 'assistant',
              tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
            },
            null,
          ),
        );
        const json = JSON.stringify(call.arguments);
        const third = Math.ceil(json.length / 3);
        for (let at = 0; at < json.length; at += third) {
          writeSse(
            res,
            chunk(
              {
                role: 'assistant',
                tool_calls: [
                  { index, id: '', type: 'function', function: { name: null, arguments: json.slice(at, at + third) } },
                ],
              },
              null,
            ),
          );
        }
      });
      writeSse(res, chunk({ role: 'assistant', content: '' }, finish));
    } else {
      if (fake.script.reasoning)
        writeSse(res, chunk({ role: 'assistant', content: '', reasoning: fake.script.reasoning }, null));
      tokens.forEach((t, i) =>
        writeSse(res, chunk({ role: 'assistant', content: t }, i === tokens.length - 1 ? finish : null)),
      );
    }
    if (body.stream_options?.include_usage) writeSse(res, { ...chunk({}, null), choices: [], usage });
    writeSse(res, '[DONE]');
    res.end();
  };
}

/** POST .../v1/completions (OpenAI-style text completion, as providers serve text generation). */
function completions(fake: FakeHuggingFace): Handler {
  return (req, res) => {
    const body = req.body ?? {};
    if (typeof body.prompt !== 'string') return validationError(res, '`prompt` must be a string');
    const { tokens, finishReason } = runScript(fake.script, body.stop ?? [], body.max_tokens ?? undefined);
    const finish = finishReason === 'length' ? 'length' : 'stop';
    const base = {
      id: 'cmpl-fake-1',
      object: 'text_completion',
      created: created(),
      model: String(body.model),
      system_fingerprint: FINGERPRINT,
    };
    if (!body.stream) {
      return sendJson(res, 200, {
        ...base,
        choices: [{ index: 0, text: tokens.join(''), finish_reason: finish, logprobs: null }],
        usage: { prompt_tokens: 9, completion_tokens: tokens.length, total_tokens: 9 + tokens.length },
      });
    }
    startSse(res);
    // TGI's schema has a string finish_reason on every chunk: empty until the last.
    tokens.forEach((t, i) =>
      writeSse(res, {
        ...base,
        choices: [{ index: 0, text: t, finish_reason: i === tokens.length - 1 ? finish : '', logprobs: null }],
      }),
    );
    writeSse(res, '[DONE]');
    res.end();
  };
}

/** A self-hosted TGI server (also what an Inference Endpoint running TGI serves). */
export function textGenerationInferenceRoutes(fake: FakeHuggingFace): Route[] {
  return [
    { method: 'POST', path: '/generate', handle: generate(fake) },
    { method: 'POST', path: '/generate_stream', handle: generateStream(fake) },
    { method: 'POST', path: '/v1/chat/completions', handle: chatCompletions(fake, 'tgi') },
  ];
}

/** The Inference Providers router and the Hub's model route. */
export function inferenceProvidersRoutes(fake: FakeHuggingFace): Route[] {
  return [
    { method: 'POST', path: '/v1/chat/completions', handle: chatCompletions(fake, 'provider') },
    {
      method: 'POST',
      path: /^\/hf-inference\/models\/.+\/v1\/chat\/completions$/,
      handle: chatCompletions(fake, 'provider'),
    },
    { method: 'POST', path: /^\/hf-inference\/models\/.+\/v1\/completions$/, handle: completions(fake) },
    { method: 'POST', path: /^\/[a-z-]+\/v1\/chat\/completions$/, handle: chatCompletions(fake, 'provider') },
    { method: 'POST', path: /^\/[a-z-]+\/v1\/completions$/, handle: completions(fake) },
    {
      method: 'GET',
      path: /^\/api\/models\/[^/]+\/[^/]+$/,
      handle: (req, res) => {
        const modelId = req.path.slice('/api/models/'.length);
        const mappings = fake.hubModels[modelId];
        if (!mappings) return sendJson(res, 404, { error: `Repository not found: ${modelId}` });
        sendJson(res, 200, {
          _id: 'fake',
          id: modelId,
          inferenceProviderMapping: mappings.map((m) => ({ ...m, hfModelId: modelId, status: 'live' })),
        });
      },
    },
  ];
}

/** A TGI ErrorResponse with its status, for `enqueue`. */
export function tgiError(status: number, error: string, errorType: string): QueuedReply {
  return { status, body: { error, error_type: errorType } };
}

/** Streams `tokens` as /generate_stream events, then TGI's in-stream error event. */
export function generateStreamFailingAfter(tokens: string[], error: string): Handler {
  return (_req, res) => {
    startSse(res);
    tokens.forEach((t, i) => writeSse(res, { index: i, token: token(t, i), generated_text: null, details: null }));
    writeSse(res, { error, error_type: 'generation' });
    res.end();
  };
}

/** Starts a stream with one event (or sends nothing when `firstEvent` is undefined) and then hangs until the client leaves. */
export function stallingReply(firstEvent?: unknown): Handler {
  return (_req, res) =>
    new Promise<void>((resolve) => {
      res.on('close', () => resolve());
      if (firstEvent !== undefined) {
        startSse(res);
        writeSse(res, firstEvent);
      }
    });
}

/** A fresh fake with a short scripted reply and Hub mappings for one chat and one text-generation model. */
export function fakeHuggingFace(): FakeHuggingFace {
  return {
    script: { tokens: ['Natural', ' language', ' processing', ' is', ' fun', '.'] },
    tgiModelId: 'mistralai/Mistral-7B-Instruct-v0.2',
    hubModels: {
      'meta-llama/Llama-3.1-8B-Instruct': [
        { provider: 'together', providerId: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo', task: 'conversational' },
        { provider: 'hf-inference', providerId: 'meta-llama/Llama-3.1-8B-Instruct', task: 'conversational' },
      ],
      'HuggingFaceH4/zephyr-7b-beta': [
        { provider: 'hf-inference', providerId: 'HuggingFaceH4/zephyr-7b-beta', task: 'text-generation' },
      ],
    },
  };
}

/** A stream event in TGI's /generate_stream shape, for stalling replies. */
export function streamEvent(text: string, index = 0): unknown {
  return { index, token: token(text, index), generated_text: null, details: null };
}
