// Fuzzes the three places untrusted documents enter: component dicts (settings, imported pipelines), ChatMessage
// dicts (imported conversations) and messages from the webview. Every input is either accepted or refused with a
// typed error that names the field; nothing else is thrown, nothing hangs, no built-in prototype changes.
import assert from 'node:assert/strict';
import { ChatMessage } from '../../../src/core/chatMessage';
import { DeserializationError, GeneratorError } from '../../../src/core/errors';
import { Tool } from '../../../src/core/tool';
import { AzureOpenAIChatGenerator } from '../../../src/generators/azure/azureOpenAIChatGenerator';
import { DALLEImageGenerator } from '../../../src/generators/dalle/dalleImageGenerator';
import { HuggingFaceAPIChatGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIChatGenerator';
import { HuggingFaceAPIGenerator } from '../../../src/generators/huggingFaceApi/huggingFaceAPIGenerator';
import { HuggingFaceLocalChatGenerator } from '../../../src/generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { OpenAIChatGenerator } from '../../../src/generators/openai/openAIChatGenerator';
import { OpenAIResponsesChatGenerator } from '../../../src/generators/responses/openAIResponsesChatGenerator';
import { componentFromDict, registeredTypes } from '../../../src/generators/registry';
import { parseWebviewMessage } from '../../../src/shared/webviewMessageParser';
import { InputGenerator, POLLUTION_KEYS, prototypeSnapshot, withOwn } from '../../helpers/fuzzInputs';

const CASES_PER_TARGET = Number(process.env.FUZZ_CASES ?? 3_000);
/**
 * A single input taking more CPU time than this counts as a hang. CPU time, not wall clock: on a busy machine a case
 * can wait longer than this for a core without doing any work.
 */
const SLOW_CASE_MS = 500;

const weather = new Tool({
  name: 'get_weather',
  description: 'Weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
});

/** Valid component dicts to mutate, one per family, plus bare `{type}` dicts of every registered class. */
function validComponents(): unknown[] {
  const built = [
    new OpenAIChatGenerator({ model: 'gpt-4o-mini', tools: [weather], generationKwargs: { temperature: 0.2 } }),
    new AzureOpenAIChatGenerator({ azureEndpoint: 'https://example.openai.azure.com', azureDeployment: 'gpt' }),
    new OpenAIResponsesChatGenerator({ model: 'gpt-5-mini' }),
    new HuggingFaceAPIChatGenerator({ apiType: 'text_generation_inference', apiParams: { url: 'http://127.0.0.1:1' } }),
    new HuggingFaceAPIGenerator({ apiType: 'serverless_inference_api', apiParams: { model: 'org/model' } }),
    new HuggingFaceLocalChatGenerator({ model: 'org/model', task: 'text-generation' }),
    new DALLEImageGenerator({ model: 'dall-e-2', size: '256x256' }),
  ].map((g) => g.toDict());
  return [...built, ...registeredTypes().map((cls) => ({ type: cls.typeName, init_parameters: {} }))];
}

function validMessages(): unknown[] {
  const call = { toolName: 'get_weather', arguments: { city: 'Paris' }, id: 'call_1' };
  return [
    ChatMessage.fromUser('hi', { images: [{ base64Image: 'iVBORw0KGgo=', mimeType: 'image/png', detail: 'low' }] }),
    ChatMessage.fromSystem('be brief'),
    ChatMessage.fromAssistant('sure', { toolCalls: [call], reasoning: 'thinking', meta: { model: 'm' } }),
    ChatMessage.fromTool('sunny', call),
  ].map((m) => m.toDict());
}

const ID = 'abc-123';
function validWebviewMessages(): unknown[] {
  return [
    { type: 'ready' },
    {
      type: 'send',
      requestId: ID,
      conversationId: ID,
      generator: 'GPT',
      text: 'hi',
      attachments: [{ kind: 'selection', label: 'a.ts', languageId: 'ts', text: 'x' }],
      images: [{ mimeType: 'image/png', base64: 'iVBORw0KGgo=' }],
    },
    { type: 'stop', requestId: ID },
    { type: 'editLast', requestId: ID, conversationId: ID, text: 'again' },
    { type: 'updateSettings', conversationId: ID, settings: { temperature: 0.5, maxTokens: 10, systemPrompt: 's' } },
    { type: 'insertCode', code: 'x', mode: 'replace' },
    { type: 'openLink', href: 'https://example.com' },
    { type: 'export', conversationId: ID, format: 'haystack' },
  ];
}

/** The next input: a mutation of a valid document most of the time, otherwise a random value. */
function nextInput(gen: InputGenerator, valid: unknown[]): unknown {
  const roll = gen.random();
  if (roll < 0.7) return gen.mutate(gen.pick(valid));
  if (roll < 0.75) return gen.deep(5_000 + gen.int(5_000));
  if (roll < 0.8)
    return withOwn(structuredClone(gen.pick(valid)) as Record<string, unknown>, gen.pick(POLLUTION_KEYS), {
      polluted: true,
    });
  return gen.value(4);
}

interface FuzzReport {
  accepted: number;
  refused: number;
}

/** Runs `check` on generated inputs; a failure names the seed and case so it reproduces. */
function fuzz(seed: number, valid: unknown[], check: (input: unknown) => 'accepted' | 'refused'): FuzzReport {
  const gen = new InputGenerator(seed);
  const before = prototypeSnapshot();
  const report: FuzzReport = { accepted: 0, refused: 0 };
  for (let i = 0; i < CASES_PER_TARGET; i++) {
    const input = nextInput(gen, valid);
    const started = process.cpuUsage();
    try {
      report[check(input)]++;
    } catch (error) {
      throw new Error(`seed ${seed}, case ${i}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    const { user, system } = process.cpuUsage(started);
    const ms = (user + system) / 1000;
    assert.ok(ms < SLOW_CASE_MS, `seed ${seed}, case ${i} took ${Math.round(ms)} ms of CPU time`);
    assert.equal(
      ({} as Record<string, unknown>).polluted,
      undefined,
      `seed ${seed}, case ${i} polluted Object.prototype`,
    );
  }
  assert.equal(prototypeSnapshot(), before, `seed ${seed} changed a built-in prototype`);
  return report;
}

/** A refusal must be a GeneratorError that names the field it is about. */
function assertTypedRefusal(error: unknown, codes: string[]): void {
  assert.ok(
    GeneratorError.isInstance(error),
    `not a GeneratorError: ${error instanceof Error ? error.stack : String(error)}`,
  );
  assert.ok(codes.includes(error.code), `code ${error.code}: ${error.message}`);
  const field = (error as { field?: unknown }).field;
  assert.ok(typeof field === 'string' && field.length > 0, `no field named: ${error.message}`);
  assert.ok(error.message.length < 2_000, 'the message must not echo a huge input');
}

let totalCases = 0;

describe('reliability: fuzzing untrusted documents', function () {
  this.timeout(60_000);
  after(() => console.log(`      fuzz cases: ${totalCases}`));

  it(`componentFromDict: ${CASES_PER_TARGET} malformed component dicts give a typed error naming the field, or a generator`, () => {
    const report = fuzz(0xc0ffee, validComponents(), (input) => {
      try {
        const generator = componentFromDict(input);
        assert.equal(typeof generator.toDict().type, 'string');
        return 'accepted';
      } catch (error) {
        assertTypedRefusal(error, ['deserialization', 'configuration']);
        return 'refused';
      }
    });
    totalCases += CASES_PER_TARGET;
    assert.ok(report.refused > CASES_PER_TARGET / 2, JSON.stringify(report));
  });

  it(`ChatMessage.fromDict: ${CASES_PER_TARGET} malformed message dicts give a DeserializationError naming the field, or a message`, () => {
    const report = fuzz(0xbeef, validMessages(), (input) => {
      try {
        const message = ChatMessage.fromDict(input);
        assert.ok(['user', 'system', 'assistant', 'tool'].includes(message.toDict().role));
        return 'accepted';
      } catch (error) {
        assert.ok(error instanceof DeserializationError, `not a DeserializationError: ${String(error)}`);
        assertTypedRefusal(error, ['deserialization']);
        assert.match(error.field, /^message/);
        return 'refused';
      }
    });
    totalCases += CASES_PER_TARGET;
    assert.ok(report.refused > CASES_PER_TARGET / 2, JSON.stringify(report));
  });

  it(`parseWebviewMessage: ${CASES_PER_TARGET} malformed webview messages are refused with a reason naming the field, never thrown`, () => {
    const report = fuzz(0xfeed, validWebviewMessages(), (input) => {
      const result = parseWebviewMessage(input);
      if (!result.ok) {
        assert.match(result.reason, /^[A-Za-z_[\]0-9.]+: |^unknown message type/, result.reason);
        return 'refused';
      }
      // What is accepted is rebuilt: a plain, JSON-safe object without pollution keys anywhere.
      const json = JSON.stringify(result.message);
      for (const key of POLLUTION_KEYS) assert.ok(!json.includes(`"${key}":`), json.slice(0, 200));
      return 'accepted';
    });
    totalCases += CASES_PER_TARGET;
    assert.ok(report.refused > CASES_PER_TARGET / 2 && report.accepted > 0, JSON.stringify(report));
  });
});
