// The language model provider's pure conversions: VS Code's messages, options and tools into Haystack's, the marked
// blocks of a reply, the token estimate.
import assert from 'node:assert/strict';
import { GeneratorError } from '../../../../src/core/errors';
import { LM_ROLE, type LmMessage } from '../../../../src/host/languageModels/lmParts';
import {
  FALLBACK_HEADER,
  noteBlock,
  REASONING_HEADER,
  stripMarkedBlocks,
} from '../../../../src/host/languageModels/markedBlocks';
import {
  applyToolMode,
  generationKwargsFrom,
  TOOL_MODE_REQUIRED,
  toolsFrom,
} from '../../../../src/host/languageModels/requestOptions';
import { estimateMessageTokens, estimateTextTokens } from '../../../../src/host/languageModels/tokenEstimate';
import { hasImages, toChatMessages, toPromptForm } from '../../../../src/host/languageModels/toHaystackMessages';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const text = (value: string) => ({ kind: 'text', text: value }) as const;
const user = (...content: LmMessage['content']): LmMessage => ({ role: LM_ROLE.user, content });
const assistant = (...content: LmMessage['content']): LmMessage => ({ role: LM_ROLE.assistant, content });

describe('language model provider: VS Code messages as Haystack ChatMessages', () => {
  it('keeps the system prompt VS Code sends as a system message, user text and images, and drops marker data', () => {
    const messages = toChatMessages([
      { role: LM_ROLE.system, content: [text('You are terse.')] },
      user(
        text('What is '),
        text('in this picture?'),
        { kind: 'data', mimeType: 'image/png', data: PNG },
        { kind: 'data', mimeType: 'cache_control', data: new TextEncoder().encode('ephemeral') },
        { kind: 'data', mimeType: 'text/plain', data: new TextEncoder().encode(' (attached)') },
      ),
    ]);
    assert.deepEqual(
      messages.map((m) => m.toDict()),
      [
        { role: 'system', meta: {}, name: null, content: [{ text: 'You are terse.' }] },
        {
          role: 'user',
          meta: {},
          name: null,
          content: [
            { text: 'What is in this picture? (attached)' },
            {
              image: {
                base64_image: Buffer.from(PNG).toString('base64'),
                mime_type: 'image/png',
                detail: null,
                meta: {},
                validation: true,
              },
            },
          ],
        },
      ],
    );
  });

  it('turns a tool call and its result into an assistant tool call and a tool message answering it', () => {
    const messages = toChatMessages([
      user(text('Weather in Paris?')),
      assistant(text('Let me look.'), {
        kind: 'toolCall',
        callId: 'call_7',
        name: 'get_weather',
        input: { city: 'Paris' },
      }),
      user(
        { kind: 'toolResult', callId: 'call_7', content: [text('sunny, '), { kind: 'other', value: { celsius: 21 } }] },
        text('And tomorrow?'),
      ),
    ]);
    assert.deepEqual(
      messages.map((m) => m.role),
      ['user', 'assistant', 'tool', 'user'],
    );
    assert.equal(messages[1]!.text, 'Let me look.');
    assert.deepEqual(messages[1]!.toolCalls, [{ toolName: 'get_weather', arguments: { city: 'Paris' }, id: 'call_7' }]);
    assert.deepEqual(messages[2]!.toolCallResult, {
      result: 'sunny, {"celsius":21}',
      origin: { toolName: 'get_weather', arguments: { city: 'Paris' }, id: 'call_7' },
      error: false,
    });
    assert.equal(messages[3]!.text, 'And tomorrow?');
  });

  it('leaves the reasoning and fallback notes of earlier replies out of the assistant turns', () => {
    const reply =
      `${REASONING_HEADER}\n> First I think.\n> \n> Then more.\n\n` +
      'The answer is 4.\n\n> A quote the model wrote.\n\n' +
      noteBlock(FALLBACK_HEADER, ['[0] OpenAIChatGenerator failed: 500', 'Answered by [1] AzureOpenAIChatGenerator.']);
    const [message] = toChatMessages([assistant(text(reply))]);
    assert.equal(message!.text, 'The answer is 4.\n\n> A quote the model wrote.');
    assert.equal(stripMarkedBlocks('no markers\n> kept'), 'no markers\n> kept');
  });

  it('skips empty messages and names an unknown role', () => {
    assert.deepEqual(toChatMessages([user(), assistant(text(''))]), []);
    assert.throws(
      () => toChatMessages([{ role: 7, content: [text('x')] }]),
      (error: unknown) =>
        GeneratorError.isInstance(error) && /messages\[0\]\.role: unknown message role 7/.test(error.message),
    );
    assert.throws(
      () => toChatMessages([assistant({ kind: 'toolCall', callId: 'c', name: 'f', input: [1] })]),
      /the input of tool call "f" \(c\) is not an object/,
    );
  });

  it('gives a text generator the first turn as it is, and a conversation as a transcript ending with Assistant:', () => {
    assert.deepEqual(toPromptForm([user(text('Hello'))]), { prompt: 'Hello' });
    assert.deepEqual(
      toPromptForm([
        { role: LM_ROLE.system, content: [text('Be kind.')] },
        user(text('Hi')),
        assistant(text(`${REASONING_HEADER}\n> hmm\n\nHello!`)),
        user(text('Bye')),
      ]),
      { prompt: 'User: Hi\n\nAssistant: Hello!\n\nUser: Bye\n\nAssistant:', systemPrompt: 'Be kind.' },
    );
  });

  it('finds images for the capability check', () => {
    assert.equal(hasImages([user(text('x'))]), false);
    assert.equal(hasImages([user({ kind: 'data', mimeType: 'image/jpeg', data: PNG })]), true);
    assert.equal(hasImages([user({ kind: 'data', mimeType: 'application/json', data: PNG })]), false);
  });
});

describe('language model provider: request options', () => {
  it("passes model options as generation_kwargs, without the editor's own keys or prototype keys", () => {
    const options = JSON.parse(
      '{"temperature": 0.2, "max_tokens": 64, "_conversationId": "c1", "_enableThinking": true, "__proto__": {"polluted": 1}, "stop": ["END"]}',
    );
    const kwargs = generationKwargsFrom(options);
    assert.deepEqual(kwargs, { temperature: 0.2, max_tokens: 64, stop: ['END'] });
    assert.equal(Object.getPrototypeOf(kwargs), Object.prototype);
    assert.deepEqual(generationKwargsFrom(undefined), {});
  });

  it('turns tools into Haystack tools, an object schema by default, and names a tool the APIs would reject', () => {
    const [search, ping] = toolsFrom([
      {
        name: 'search',
        description: 'Search the web',
        inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
      },
      { name: 'ping', description: 'Ping' },
    ]);
    assert.deepEqual(search!.toolSpec, {
      name: 'search',
      description: 'Search the web',
      parameters: { type: 'object', properties: { q: { type: 'string' } } },
    });
    assert.deepEqual(ping!.parameters, { type: 'object', properties: {} });
    assert.throws(
      () => toolsFrom([{ name: 'read file', description: '' }]),
      /Tool "read file" cannot be offered to a Haystack generator: tools\.name: tool names must be/,
    );
  });

  it('asks for a tool call with tool_choice "required" where the API has it, and refuses where it has not', () => {
    const tools = toolsFrom([{ name: 'ping', description: 'Ping' }]);
    const kwargs: Record<string, unknown> = {};
    applyToolMode(kwargs, TOOL_MODE_REQUIRED, tools, { name: 'GPT', requiredToolChoice: true });
    assert.deepEqual(kwargs, { tool_choice: 'required' });
    const given: Record<string, unknown> = { tool_choice: { type: 'function', function: { name: 'ping' } } };
    applyToolMode(given, TOOL_MODE_REQUIRED, tools, { name: 'GPT', requiredToolChoice: true });
    assert.deepEqual(given.tool_choice, { type: 'function', function: { name: 'ping' } });
    const auto: Record<string, unknown> = {};
    applyToolMode(auto, 1, tools, { name: 'Local', requiredToolChoice: false });
    assert.deepEqual(auto, {});
    assert.throws(
      () => applyToolMode({}, TOOL_MODE_REQUIRED, tools, { name: 'Local', requiredToolChoice: false }),
      /"Local" cannot be required to call a tool/,
    );
  });
});

describe('language model provider: token estimate', () => {
  it('counts a token per 4 ASCII characters and one per other character', () => {
    assert.equal(estimateTextTokens(''), 0);
    assert.equal(estimateTextTokens('abcd'), 1);
    assert.equal(estimateTextTokens('abcde'), 2);
    assert.equal(estimateTextTokens('日本語'), 3);
    assert.equal(estimateTextTokens('café'), 2);
  });

  it('adds the message overhead, a fixed cost per image and the tool calls JSON', () => {
    assert.equal(estimateMessageTokens(user(text('abcdefgh'))), 4 + 2);
    assert.equal(estimateMessageTokens(user({ kind: 'data', mimeType: 'image/png', data: PNG })), 4 + 765);
    assert.equal(
      estimateMessageTokens(assistant({ kind: 'toolCall', callId: 'c', name: 'f', input: { a: 1 } })),
      4 + estimateTextTokens('f{"a":1}'),
    );
  });
});
