// ChatMessage dicts with every content part Haystack 2.x writes (text, image, file, reasoning, tool_call with
// `extra`, tool_call_result with `origin.extra` and list results, meta) load here and serialize back unchanged.
import assert from 'node:assert/strict';
import { ChatMessage, type ChatMessageDict } from '../../../src/index';
import { fixtureCases, readFixture } from '../../helpers/haystackFixtures';

const messageCases = () => fixtureCases<ChatMessageDict>((subject) => subject === 'ChatMessage');
const message = (version: string, name: string) =>
  readFixture<Record<string, ChatMessageDict>>(`${version}/ChatMessage.json`)[name]!;

describe('Haystack 2.x ChatMessage dicts', () => {
  describe('a dict Haystack wrote loads and serializes back unchanged', () => {
    for (const { version, name, value } of messageCases()) {
      it(`${version} ${name}`, () => {
        const pristine = structuredClone(value);
        const dict = ChatMessage.fromDict(value).toDict();
        assert.deepStrictEqual(value, pristine, 'fromDict must not change the dict it reads');
        assert.deepStrictEqual(dict, pristine);
        assert.deepStrictEqual(JSON.parse(JSON.stringify(dict)), dict, 'toDict() must be plain JSON');
      });
    }
  });

  describe('what the loaded message holds', () => {
    it('tool calls keep their id and provider extra; a call without extra serializes extra: null', () => {
      const reply = ChatMessage.fromDict(message('v2.20.0', 'assistant_reasoning_text_and_tool_calls'));
      assert.equal(reply.text, 'Let me check.');
      assert.equal(reply.reasoning?.reasoningText, 'The user wants weather and time.');
      assert.deepEqual(
        reply.toolCalls.map((call) => [call.toolName, call.id, call.extra]),
        [
          ['get_weather', 'call_1', undefined],
          ['get_time', 'fc_2', { call_id: 'call_2', status: 'completed' }],
        ],
      );
      const fresh = ChatMessage.fromAssistant(null, {
        toolCalls: [{ toolName: 'get_weather', arguments: { city: 'Paris' }, id: 'call_1' }],
      });
      assert.deepStrictEqual(fresh.toDict().content, [
        { tool_call: { tool_name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_1', extra: null } },
      ]);
    });

    it("a tool result keeps its origin's extra and its error flag", () => {
      const result = ChatMessage.fromDict(message('v2.20.0', 'tool_error_with_origin_extra')).toolCallResult;
      assert.equal(result?.error, true);
      assert.deepEqual(result?.origin.extra, { call_id: 'call_2' });
      const fresh = ChatMessage.fromTool('22°C', { toolName: 'get_weather', arguments: {}, id: 'call_1' });
      assert.deepStrictEqual(fresh.toDict().content, [
        {
          tool_call_result: {
            result: '22°C',
            origin: { tool_name: 'get_weather', arguments: {}, id: 'call_1', extra: null },
            error: false,
          },
        },
      ]);
    });

    it('an image keeps its detail, meta and validation flag', () => {
      const images = ChatMessage.fromDict(message('v2.20.0', 'user_text_and_images')).images;
      assert.equal(images.length, 2);
      assert.equal(images[0]!.detail, 'high');
      assert.equal(images[0]!.mimeType, 'image/png');
      assert.equal(images[1]!.mimeType, undefined);
    });

    it('a file part (Haystack 2.24+) keeps its data, MIME type, filename and extra', () => {
      const user = ChatMessage.fromDict(message('v2.24.0', 'user_text_and_file'));
      assert.equal(user.text, 'Summarise this report.');
      assert.deepStrictEqual(user.toDict().content[1], message('v2.24.0', 'user_text_and_file').content[1]);
    });
  });
});
