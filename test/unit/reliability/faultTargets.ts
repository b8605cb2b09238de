// The generators the fault suite drives, each with the wire format of its offline server: how to build it against a
// server, run it, and what a well-formed reply looks like as raw SSE frames or a JSON body.
import { ChatMessage } from '../../../src/core/chatMessage';
import { Secret } from '../../../src/core/secret';
import type { StreamingChunk } from '../../../src/core/streamingChunk';
import { AIMLAPIChatGenerator } from '../../../src/generators/aimlapi/aimlapiChatGenerator';
import { AzureOpenAIChatGenerator } from '../../../src/generators/azure/azureOpenAIChatGenerator';
import { AzureOpenAIGenerator } from '../../../src/generators/azure/azureOpenAIGenerator';
import { AzureOpenAIResponsesChatGenerator } from '../../../src/generators/azure/azureOpenAIResponsesChatGenerator';
import { DALLEImageGenerator } from '../../../src/generators/dalle/dalleImageGenerator';
import { HuggingFaceAPIChatGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIChatGenerator';
import { HuggingFaceAPIGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIGenerator';
import { OpenAIChatGenerator } from '../../../src/generators/openai/openAIChatGenerator';
import { OpenAIGenerator } from '../../../src/generators/openai/openAIGenerator';
import { OpenAIResponsesChatGenerator } from '../../../src/generators/responses/openAIResponsesChatGenerator';
import { GENERATOR_DESCRIPTORS } from '../../../src/generators/registry';
import { frame, type RawFrame } from '../../servers/faults';
import { completionBody, streamEvents } from '../../servers/openaiChatCompletions';
import { responseBody, responseEvents } from '../../servers/openaiResponses';
import type { RecordedRequest } from '../../servers/testServer';

export const TEST_KEY = 'sk-reliability-0123456789abcdef';

/** Every streamed reply is sent in pieces of this many characters; the first piece is `FIRST_PIECE`. */
const PIECE = 8;
export const REPLY = 'Partial answer, goes on.';
export const FIRST_PIECE = REPLY.slice(0, PIECE);

export type Finish = 'stop' | 'length' | 'content_filter';

/** What a run returned, reduced to what the fault suite checks. */
export interface Outcome {
  text: string;
  finishReason: unknown;
}

export interface RunOptions {
  /** Streams when given. */
  onChunk?: (chunk: StreamingChunk) => void;
  signal?: AbortSignal;
}

export interface FaultTarget {
  name: string;
  /** The Haystack type it drives: every descriptor of a generator that calls a provider needs a target. */
  typeName: string;
  /** The path the generator posts to. */
  path: string;
  /** Whether it streams (the image generator does not). */
  streams: boolean;
  /** Whether it retries failed requests up to `max_retries` (the openai SDK does; Hugging Face's client has no retries). */
  retries: boolean;
  /** Finish reasons its wire format can report besides `stop`. */
  finishReasons: Finish[];
  create(baseUrl: string, options: { maxRetries: number; timeout: number }): (options: RunOptions) => Promise<Outcome>;
  /** A complete, well-formed stream of `REPLY`, terminator included. */
  frames(finish: Finish): RawFrame[];
  /** A complete, well-formed non-streamed reply of `REPLY`. */
  body(finish: Finish): unknown;
  /** The provider's error body for `status`. */
  errorBody(status: number, message: string): unknown;
}

/** The request the wire helpers echo parameters from. */
const fakeRequest = (body: Record<string, unknown>): RecordedRequest => ({
  method: 'POST',
  path: '/',
  query: {},
  headers: {},
  body,
  rawBody: Buffer.alloc(0),
});

const openAIError = (status: number, message: string) => ({
  error: {
    message,
    type: status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error',
    param: null,
    code: null,
  },
});

const key = () => Secret.fromToken(TEST_KEY);

async function runChat(generator: { run: OpenAIChatGenerator['run'] }, options: RunOptions): Promise<Outcome> {
  const { replies } = await generator.run([ChatMessage.fromUser('Tell me something.')], {
    streamingCallback: options.onChunk,
    signal: options.signal,
  });
  return { text: replies[0]?.text ?? '', finishReason: replies[0]?.meta.finish_reason };
}

/** Chat Completions frames (OpenAI, Azure, AIMLAPI, TGI's OpenAI-compatible route). */
const chatCompletionsWire = {
  frames: (finish: Finish) => [
    ...streamEvents(fakeRequest({ model: 'test-model', stream: true, stream_options: { include_usage: true } }), {
      text: REPLY,
      chunkSize: PIECE,
      finishReason: finish,
    }).map((e) => frame(e)),
    frame('[DONE]'),
  ],
  body: (finish: Finish) => completionBody(fakeRequest({ model: 'test-model' }), { text: REPLY, finishReason: finish }),
  errorBody: openAIError,
};

const responsesScript = (finish: Finish) =>
  finish === 'stop'
    ? { text: REPLY, chunkSize: PIECE }
    : {
        text: REPLY,
        chunkSize: PIECE,
        status: 'incomplete' as const,
        incompleteReason: finish === 'length' ? ('max_output_tokens' as const) : ('content_filter' as const),
      };

/** Responses API events and bodies (OpenAI, Azure's v1 API). */
const responsesWire = {
  frames: (finish: Finish) =>
    responseEvents(fakeRequest({ model: 'gpt-test', stream: true }), responsesScript(finish)).map((e) =>
      frame(e, e.type as string),
    ),
  body: (finish: Finish) => responseBody(fakeRequest({ model: 'gpt-test' }), responsesScript(finish)),
  errorBody: openAIError,
};

/** TGI's native /generate_stream events and /generate body. */
function tgiToken(text: string, i: number) {
  return { id: 100 + i, text, logprob: -0.5, special: false };
}
const tgiFinish = (finish: Finish) => (finish === 'stop' ? 'eos_token' : finish);
const tgiPieces = () =>
  Array.from({ length: Math.ceil(REPLY.length / PIECE) }, (_, i) => REPLY.slice(i * PIECE, (i + 1) * PIECE));

const targets: FaultTarget[] = [
  {
    name: 'OpenAIChatGenerator',
    typeName: OpenAIChatGenerator.typeName,
    path: '/v1/chat/completions',
    streams: true,
    retries: true,
    finishReasons: ['length', 'content_filter'],
    create: (url, o) => {
      const generator = new OpenAIChatGenerator({
        apiKey: key(),
        apiBaseUrl: `${url}/v1`,
        maxRetries: o.maxRetries,
        timeout: o.timeout,
      });
      return (options) => runChat(generator, options);
    },
    ...chatCompletionsWire,
  },
  {
    name: 'AzureOpenAIChatGenerator',
    typeName: AzureOpenAIChatGenerator.typeName,
    path: '/openai/deployments/gpt-test/chat/completions',
    streams: true,
    retries: true,
    finishReasons: ['length', 'content_filter'],
    create: (url, o) => {
      const generator = new AzureOpenAIChatGenerator({
        azureEndpoint: url,
        azureDeployment: 'gpt-test',
        apiKey: key(),
        azureAdToken: null,
        maxRetries: o.maxRetries,
        timeout: o.timeout,
      });
      return (options) => runChat(generator, options);
    },
    ...chatCompletionsWire,
  },
  {
    name: 'AzureOpenAIGenerator',
    typeName: AzureOpenAIGenerator.typeName,
    path: '/openai/deployments/gpt-test/chat/completions',
    streams: true,
    retries: true,
    finishReasons: ['length', 'content_filter'],
    create: (url, o) => {
      const generator = new AzureOpenAIGenerator({
        azureEndpoint: url,
        azureDeployment: 'gpt-test',
        apiKey: key(),
        azureAdToken: null,
        maxRetries: o.maxRetries,
        timeout: o.timeout,
      });
      return async (options) => {
        const { replies, meta } = await generator.run('Tell me something.', {
          streamingCallback: options.onChunk,
          signal: options.signal,
        });
        return { text: replies[0] ?? '', finishReason: meta[0]?.finish_reason };
      };
    },
    ...chatCompletionsWire,
  },
  {
    name: 'AzureOpenAIResponsesChatGenerator',
    typeName: AzureOpenAIResponsesChatGenerator.typeName,
    path: '/openai/v1/responses',
    streams: true,
    retries: true,
    finishReasons: ['length', 'content_filter'],
    create: (url, o) => {
      const generator = new AzureOpenAIResponsesChatGenerator({
        azureEndpoint: url,
        azureDeployment: 'gpt-test',
        apiKey: key(),
        maxRetries: o.maxRetries,
        timeout: o.timeout,
      });
      return (options) => runChat(generator, options);
    },
    ...responsesWire,
  },
  {
    name: 'AIMLAPIChatGenerator',
    typeName: AIMLAPIChatGenerator.typeName,
    path: '/v1/chat/completions',
    streams: true,
    retries: true,
    finishReasons: ['length', 'content_filter'],
    create: (url, o) => {
      const generator = new AIMLAPIChatGenerator({
        apiKey: key(),
        apiBaseUrl: `${url}/v1`,
        maxRetries: o.maxRetries,
        timeout: o.timeout,
      });
      return (options) => runChat(generator, options);
    },
    ...chatCompletionsWire,
  },
  {
    name: 'OpenAIGenerator',
    typeName: OpenAIGenerator.typeName,
    path: '/v1/chat/completions',
    streams: true,
    retries: true,
    finishReasons: ['length', 'content_filter'],
    create: (url, o) => {
      const generator = new OpenAIGenerator({
        apiKey: key(),
        apiBaseUrl: `${url}/v1`,
        maxRetries: o.maxRetries,
        timeout: o.timeout,
      });
      return async (options) => {
        const { replies, meta } = await generator.run('Tell me something.', {
          streamingCallback: options.onChunk,
          signal: options.signal,
        });
        return { text: replies[0] ?? '', finishReason: meta[0]?.finish_reason };
      };
    },
    ...chatCompletionsWire,
  },
  {
    name: 'OpenAIResponsesChatGenerator',
    typeName: OpenAIResponsesChatGenerator.typeName,
    path: '/v1/responses',
    streams: true,
    retries: true,
    finishReasons: ['length', 'content_filter'],
    create: (url, o) => {
      const generator = new OpenAIResponsesChatGenerator({
        apiKey: key(),
        apiBaseUrl: `${url}/v1`,
        maxRetries: o.maxRetries,
        timeout: o.timeout,
      });
      return (options) => runChat(generator, options);
    },
    ...responsesWire,
  },
  {
    name: 'HuggingFaceAPIChatGenerator (TGI)',
    typeName: HuggingFaceAPIChatGenerator.typeName,
    path: '/v1/chat/completions',
    streams: true,
    retries: false,
    // TGI's finish reasons are length, eos_token and stop_sequence; it has no content filter.
    finishReasons: ['length'],
    create: (url, o) => {
      const generator = new HuggingFaceAPIChatGenerator({
        apiType: 'text_generation_inference',
        apiParams: { url, timeout: o.timeout },
        token: key(),
      });
      return (options) => runChat(generator, options);
    },
    ...chatCompletionsWire,
    errorBody: (_status, message) => ({ error: message, error_type: 'overloaded' }),
  },
  {
    name: 'HuggingFaceAPIGenerator (TGI)',
    typeName: HuggingFaceAPIGenerator.typeName,
    path: '/generate_stream',
    streams: true,
    retries: false,
    // TGI's finish reasons are length, eos_token and stop_sequence; it has no content filter.
    finishReasons: ['length'],
    create: (url, o) => {
      const generator = new HuggingFaceAPIGenerator({
        apiType: 'text_generation_inference',
        apiParams: { url, timeout: o.timeout },
        token: key(),
      });
      return async (options) => {
        const { replies, meta } = await generator.run('Tell me something.', {
          streamingCallback: options.onChunk,
          signal: options.signal,
        });
        return { text: replies[0] ?? '', finishReason: meta[0]?.finish_reason };
      };
    },
    frames: (finish) => {
      const pieces = tgiPieces();
      return pieces.map((text, i) => {
        const last = i === pieces.length - 1;
        return frame({
          index: i,
          token: tgiToken(text, i),
          generated_text: last ? REPLY : null,
          details: last
            ? { finish_reason: tgiFinish(finish), generated_tokens: pieces.length, input_length: 4, seed: null }
            : null,
        });
      });
    },
    body: (finish) => ({
      generated_text: REPLY,
      details: {
        finish_reason: tgiFinish(finish),
        generated_tokens: tgiPieces().length,
        prefill: [],
        seed: null,
        tokens: tgiPieces().map(tgiToken),
      },
    }),
    errorBody: (_status, message) => ({ error: message, error_type: 'overloaded' }),
  },
  {
    name: 'DALLEImageGenerator',
    typeName: DALLEImageGenerator.typeName,
    path: '/v1/images/generations',
    streams: false,
    retries: true,
    finishReasons: [],
    create: (url, o) => {
      const generator = new DALLEImageGenerator({
        apiKey: key(),
        apiBaseUrl: `${url}/v1`,
        maxRetries: o.maxRetries,
        timeout: o.timeout,
        responseFormat: 'b64_json',
      });
      return async (options) => {
        const { images, revisedPrompt } = await generator.run('a lighthouse', { signal: options.signal });
        return { text: Buffer.from(images[0] ?? '', 'base64').toString('utf8'), finishReason: revisedPrompt };
      };
    },
    frames: () => [],
    body: () => ({
      created: 1740855869,
      data: [{ b64_json: Buffer.from(REPLY).toString('base64'), revised_prompt: 'a lighthouse at dusk' }],
    }),
    errorBody: openAIError,
  },
];

/**
 * One target per generator type that calls a provider (those that need a key), in the descriptor list's order.
 * A descriptor added without a target here fails the suite instead of going untested.
 */
export const faultTargets: FaultTarget[] = GENERATOR_DESCRIPTORS.filter((d) => d.secretEnvVars.length > 0).map(
  (descriptor) => {
    const target = targets.find((t) => t.typeName === descriptor.typeName);
    if (!target) throw new Error(`faultTargets.ts has no fault target for ${descriptor.typeName}`);
    return target;
  },
);
