import assert from 'node:assert/strict';
import { ChatMessage } from '../../../../src/core/chatMessage';
import { ConfigurationError } from '../../../../src/core/errors';
import { Tool, Toolset } from '../../../../src/core/tool';
import { toResponsesInput } from '../../../../src/generators/responses/responsesInput';
import { buildResponsesRequest, withTextFormat } from '../../../../src/generators/responses/responsesRequest';
import {
  deserializeResponsesTools,
  serializeResponsesTools,
  toResponsesTools,
} from '../../../../src/generators/responses/responsesTools';

const weather = new Tool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  functionRef: 'tools.get_weather',
});
const time = new Tool({
  name: 'get_time',
  description: 'Current time',
  parameters: { type: 'object', properties: {} },
});

describe('Responses input conversion', () => {
  it('sends a plain user text as string content and mixed content as input_text/input_image parts', () => {
    const items = toResponsesInput([
      ChatMessage.fromSystem('Be brief.'),
      ChatMessage.fromUser('Hi', { name: 'ana' }),
      ChatMessage.fromUser('What is this?', {
        images: [{ base64Image: 'iVBORw0KGgo=', mimeType: 'image/png', detail: 'low' }, { base64Image: 'AAAA' }],
      }),
    ]);
    assert.deepEqual(items, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is this?' },
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' },
          { type: 'input_image', image_url: 'data:image/jpeg;base64,AAAA', detail: 'auto' },
        ],
      },
    ]);
  });

  it('replays an assistant turn as reasoning, message and function_call items, and tool results as function_call_output', () => {
    const call = { id: 'fc_1', toolName: 'get_weather', arguments: { city: 'Paris' }, extra: { call_id: 'call_1' } };
    const assistant = ChatMessage.fromAssistant('Let me check.', {
      reasoning: { reasoningText: 'Need weather.', extra: { id: 'rs_1', type: 'reasoning', encrypted_content: 'enc' } },
      toolCalls: [call],
    });
    const items = toResponsesInput([assistant, ChatMessage.fromTool('18°C', call)]);
    assert.deepEqual(items, [
      {
        id: 'rs_1',
        type: 'reasoning',
        encrypted_content: 'enc',
        summary: [{ type: 'summary_text', text: 'Need weather.' }],
      },
      { role: 'assistant', content: 'Let me check.' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', id: 'fc_1' },
      { type: 'function_call_output', call_id: 'call_1', output: '18°C' },
    ]);
  });

  it('uses the id of tool calls from other generators as call_id and drops reasoning that has no item id', () => {
    const call = { id: 'call_abc', toolName: 'get_time', arguments: {} };
    const items = toResponsesInput([
      ChatMessage.fromAssistant(null, { toolCalls: [call], reasoning: 'thought from another provider' }),
      ChatMessage.fromTool('noon', call),
    ]);
    assert.deepEqual(items, [
      { type: 'function_call', call_id: 'call_abc', name: 'get_time', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_abc', output: 'noon' },
    ]);
  });

  it('refuses tool results whose call has no id, naming the message', () => {
    const orphan = ChatMessage.fromTool('x', { toolName: 'get_time', arguments: {} });
    assert.throws(
      () => toResponsesInput([ChatMessage.fromUser('q'), orphan]),
      (e: unknown) => e instanceof ConfigurationError && e.field === 'messages[1].tool_call_result.origin.id',
    );
  });

  it('refuses an empty assistant message', () => {
    assert.throws(() => toResponsesInput([ChatMessage.fromAssistant(null)]), ConfigurationError);
  });
});

describe('Responses tools', () => {
  it('turns Haystack tools and toolsets into function tools with strict set from tools_strict, leaving the tool schema untouched', () => {
    const lax = toResponsesTools([weather, new Toolset([time])], false);
    assert.deepEqual(lax, [
      {
        type: 'function',
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
          additionalProperties: false,
        },
        strict: false,
      },
      {
        type: 'function',
        name: 'get_time',
        description: 'Current time',
        parameters: { type: 'object', properties: {}, additionalProperties: false },
        strict: false,
      },
    ]);
    // With tools_strict, `strict` is left to the API, whose default for function tools is strict (as in Haystack).
    assert.ok(!('strict' in toResponsesTools([weather], true)![0]!));
    assert.equal('additionalProperties' in weather.parameters, false);
  });

  it('passes raw OpenAI/MCP tool dicts through unchanged', () => {
    const raw = [
      { type: 'web_search' },
      { type: 'mcp', server_label: 'docs', server_url: 'https://example.com/mcp', require_approval: 'never' },
    ];
    assert.deepEqual(toResponsesTools(raw, true), raw);
  });

  it('refuses a list mixing Haystack tools and raw tool dicts, and duplicate tool names', () => {
    assert.throws(
      () => toResponsesTools([weather, { type: 'web_search' }] as never, false),
      (e: unknown) => e instanceof ConfigurationError && /cannot mix Haystack tools/.test(e.message),
    );
    assert.throws(
      () => toResponsesTools([weather, new Toolset([weather])], false),
      /duplicate tool name "get_weather"/,
    );
  });

  it('serializes Haystack tools the Haystack way and raw dicts as they are, and reads both back', () => {
    const serialized = serializeResponsesTools([weather]) as { type: string }[];
    assert.equal(serialized[0].type, 'haystack.tools.tool.Tool');
    const back = deserializeResponsesTools(serialized) as Tool[];
    assert.ok(back[0] instanceof Tool);
    assert.deepEqual(back[0].toDict(), weather.toDict());
    const raw = [{ type: 'function', name: 'f', parameters: {}, strict: true }];
    assert.deepEqual(deserializeResponsesTools(serializeResponsesTools(raw)), raw);
    const toolset = deserializeResponsesTools(serializeResponsesTools(new Toolset([time])));
    assert.ok(toolset instanceof Toolset);
    assert.throws(() => deserializeResponsesTools([weather.toDict(), { type: 'web_search' }]), /cannot mix/);
  });
});

describe('Responses request body', () => {
  it('puts model, input, tools and generation kwargs in the body and maps text_format onto text.format', () => {
    const format = {
      type: 'json_schema',
      name: 'answer',
      schema: { type: 'object', properties: { a: { type: 'string' } } },
      strict: true,
    };
    const body = buildResponsesRequest({
      model: 'gpt-5-mini',
      messages: [ChatMessage.fromUser('q')],
      generationKwargs: {
        reasoning: { effort: 'low', summary: 'auto' },
        text_format: format,
        text: { verbosity: 'low' },
        max_output_tokens: 50,
      },
      tools: [time],
      toolsStrict: true,
      stream: false,
    });
    assert.deepEqual(body, {
      model: 'gpt-5-mini',
      input: [{ role: 'user', content: 'q' }],
      tools: [
        {
          type: 'function',
          name: 'get_time',
          description: 'Current time',
          parameters: { type: 'object', properties: {}, additionalProperties: false },
        },
      ],
      reasoning: { effort: 'low', summary: 'auto' },
      text: { verbosity: 'low', format },
      max_output_tokens: 50,
      stream: false,
    });
  });

  it('refuses a text_format that is not a format object', () => {
    assert.throws(
      () => withTextFormat({ text_format: 'Answer' }),
      (e: unknown) => e instanceof ConfigurationError && e.field === 'generation_kwargs.text_format',
    );
    assert.deepEqual(withTextFormat({ text_format: null, temperature: 0 }), { temperature: 0 });
  });
});
