import assert from 'node:assert/strict';
import { defaultToolParser } from '../../../../src/generators/huggingFaceLocal/defaultToolParser';

describe('defaultToolParser (Haystack default_tool_parser)', () => {
  it('parses a <tool_call> wrapped name/arguments object', () => {
    assert.deepEqual(
      defaultToolParser('<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>'),
      [{ toolName: 'get_weather', arguments: { city: 'Paris' } }],
    );
  });

  it('parses the OpenAI-style {"function": {...}} shape across lines', () => {
    assert.deepEqual(
      defaultToolParser(
        'Sure.\n{"type": "function", "function": {"name": "search",\n "arguments": {"q": "haystack", "k": 3}}}',
      ),
      [{ toolName: 'search', arguments: { q: 'haystack', k: 3 } }],
    );
  });

  it('returns undefined for plain text, invalid JSON arguments and nested argument objects', () => {
    assert.equal(defaultToolParser('Paris is sunny today.'), undefined);
    assert.equal(defaultToolParser('{"name": "f", "arguments": {city: Paris}}'), undefined);
    assert.equal(defaultToolParser('{"name": "f", "arguments": {"a": {"b": 1}}}'), undefined);
  });

  it('keeps only the first call, as Haystack does', () => {
    const calls = defaultToolParser('{"name": "a", "arguments": {"x": 1}} {"name": "b", "arguments": {"y": 2}}');
    assert.deepEqual(calls, [{ toolName: 'a', arguments: { x: 1 } }]);
  });
});
