// "Export as Haystack code": the Python file is run for real (python3) with small stand-ins for the haystack
// modules it imports, which record what the file builds and runs. The round trip: the dict the file hands to
// `component_from_dict` equals the generator's `toDict()`, and the messages it replays equal the conversation's.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatMessage } from '../../../../src/core/chatMessage';
import type { Generator } from '../../../../src/core/generator';
import { Secret, setSecretResolver } from '../../../../src/core/secret';
import { Tool } from '../../../../src/core/tool';
import { DALLEImageGenerator } from '../../../../src/generators/dalle/dalleImageGenerator';
import { FallbackChatGenerator } from '../../../../src/generators/fallback/fallbackChatGenerator';
import { HuggingFaceAPIGenerator } from '../../../../src/generators/huggingFaceApi/huggingFaceAPIGenerator';
import { HuggingFaceLocalChatGenerator } from '../../../../src/generators/huggingFaceLocal/huggingFaceLocalChatGenerator';
import { OpenAIChatGenerator } from '../../../../src/generators/openai/openAIChatGenerator';
import { OpenAIResponsesChatGenerator } from '../../../../src/generators/responses/openAIResponsesChatGenerator';
import {
  haystackPythonScript,
  pythonLiteral,
  SAMPLE_PROMPT,
  type HaystackScriptInput,
} from '../../../../src/host/haystack/haystackPythonExport';

const PLANTED_KEY = 'sk-export-planted-value-0123456789';

/** Stand-ins for haystack's Secret, ChatMessage and component_from_dict, and for the generator class itself. */
const DRIVER = String.raw`
import json, runpy, sys, types

script, generator_type = sys.argv[1], sys.argv[2]
record = {}

def module(name):
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        qualified = ".".join(parts[:i])
        if qualified not in sys.modules:
            created = types.ModuleType(qualified)
            created.__path__ = []
            sys.modules[qualified] = created
            if i > 1:
                setattr(sys.modules[".".join(parts[: i - 1])], parts[i - 1], created)
    return sys.modules[name]

class Secret:
    def __init__(self, env_vars, strict):
        self.env_vars, self.strict = env_vars, strict
    @classmethod
    def from_env_var(cls, env_vars, *, strict=True):
        return cls([env_vars] if isinstance(env_vars, str) else list(env_vars), strict)
    def to_dict(self):
        return {"type": "env_var", "env_vars": self.env_vars, "strict": self.strict}

class ChatMessage:
    def __init__(self, data):
        self.data = data
    @classmethod
    def from_dict(cls, data):
        return cls(data)
    @classmethod
    def _of(cls, role, text, meta=None, name=None):
        return cls({"role": role, "meta": meta or {}, "name": name, "content": [{"text": text}]})
    @classmethod
    def from_user(cls, text, meta=None, name=None):
        return cls._of("user", text, meta, name)
    @classmethod
    def from_system(cls, text, meta=None, name=None):
        return cls._of("system", text, meta, name)
    @classmethod
    def from_assistant(cls, text, meta=None, name=None):
        return cls._of("assistant", text, meta, name)
    @property
    def text(self):
        return self.data["content"][0]["text"]
    def to_dict(self):
        return self.data

def component_from_dict(cls, data, name, callbacks=None):
    record["component_name"] = name
    return cls.from_dict(data)

class Generator:
    @classmethod
    def from_dict(cls, data):
        record["dict"] = data
        return cls()
    def warm_up(self):
        record["warmed_up"] = True
    def run(self, **kwargs):
        if "messages" in kwargs:
            record["messages"] = [m.to_dict() for m in kwargs["messages"]]
            return {"replies": [ChatMessage.from_assistant("stub reply")]}
        record["prompt"] = kwargs["prompt"]
        return {"replies": ["stub reply"], "images": ["stub image"]}

module("haystack.utils").Secret = Secret
module("haystack.dataclasses").ChatMessage = ChatMessage
module("haystack.core.serialization").component_from_dict = component_from_dict
module_name, _, class_name = generator_type.rpartition(".")
setattr(module(module_name), class_name, Generator)
runpy.run_path(script, run_name="__main__")
print(json.dumps(record))
`;

interface Recorded {
  component_name: string;
  dict: unknown;
  warmed_up?: boolean;
  messages?: unknown[];
  prompt?: string;
}

const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;

describe('export as Haystack code', function () {
  this.timeout(20_000);
  let dir: string;
  let restoreResolver: () => void;
  before(function () {
    if (!python) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'haystack-export-'));
    writeFileSync(join(dir, 'driver.py'), DRIVER);
    restoreResolver = setSecretResolver(() => PLANTED_KEY);
  });
  after(() => {
    restoreResolver?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the exported file, runs it under the stand-ins and returns what it printed and what it built. */
  function runExport(input: HaystackScriptInput): { script: string; printed: string; recorded: Recorded } {
    const script = haystackPythonScript(input);
    assert.ok(!script.includes(PLANTED_KEY), 'a key value must never be written to the file');
    const file = join(dir, 'exported.py');
    writeFileSync(file, script);
    const output = execFileSync(python!, [join(dir, 'driver.py'), file, input.component.type], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    const lines = output.trimEnd().split('\n');
    return { script, printed: lines.slice(0, -1).join('\n'), recorded: JSON.parse(lines.at(-1)!) as Recorded };
  }

  const chatInput = (generator: Generator, messages?: ChatMessage[], title?: string): HaystackScriptInput => ({
    component: generator.toDict(),
    kind: generator.kind,
    generatorName: 'GPT',
    conversationTitle: title,
    messages,
  });

  it('rebuilds a chat generator from its exact toDict() and replays the conversation', () => {
    const generator = new OpenAIChatGenerator({
      model: 'gpt-4o-mini',
      generationKwargs: {
        temperature: 0.2,
        response_format: { type: 'json_object' },
        stop: ['\n\n'],
        seed: null,
        logit_bias: { '50256': -100 },
      },
      tools: [
        new Tool({
          name: 'get_weather',
          description: 'Weather "now"',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        }),
      ],
    });
    const messages = [
      ChatMessage.fromSystem('You are terse.\nAnswer in "one" line.'),
      ChatMessage.fromUser('Weather in Zürich? 🌧 \\ """ \u2028'),
      ChatMessage.fromAssistant(null, {
        toolCalls: [{ toolName: 'get_weather', arguments: { city: 'Zürich' }, id: 'call_1' }],
        meta: { model: 'gpt-4o-mini' },
      }),
      ChatMessage.fromTool('{"temp": 7}', { toolName: 'get_weather', arguments: { city: 'Zürich' }, id: 'call_1' }),
      ChatMessage.fromAssistant('It is 7 °C.', {
        meta: { model: 'gpt-4o-mini', usage: { prompt_tokens: 20, completion_tokens: 6, total_tokens: 26 } },
      }),
      ChatMessage.fromUser('And tomorrow?', { images: [{ base64Image: 'iVBORw0KGgo=', mimeType: 'image/png' }] }),
    ];
    const { script, printed, recorded } = runExport(chatInput(generator, messages, 'Weather """ chat\nimport os'));
    assert.deepEqual(recorded.dict, generator.toDict());
    assert.deepEqual(
      recorded.messages,
      messages.map((m) => m.toDict()),
    );
    assert.equal(recorded.component_name, 'generator');
    assert.equal(recorded.warmed_up, true);
    assert.equal(printed, 'stub reply');
    assert.match(script, /"api_key": Secret\.from_env_var\(\["OPENAI_API_KEY"\], strict=True\)\.to_dict\(\),/);
    assert.match(
      script,
      /^# Set before running: OPENAI_API_KEY \(keys are read from the environment, never stored here\)\.$/m,
    );
    assert.match(script, /^# Install: pip install haystack-ai$/m);
    // The title is JSON-quoted on the comment line: its newline cannot start a line of code.
    assert.match(script, /^# Rebuilds the conversation "Weather \\"\\"\\" chat\\nimport os" with generator "GPT"/m);
    assert.ok(!/^import os/m.test(script));
    // Plain text messages read as constructors; richer ones go through from_dict.
    assert.match(script, /^ {4}ChatMessage\.from_system\("You are terse\.\\nAnswer in \\"one\\" line\."\),$/m);
    assert.match(script, /^ {4}ChatMessage\.from_assistant\("It is 7 °C\.", meta=\{$/m);
    assert.equal(script.match(/ChatMessage\.from_dict\(/g)?.length, 3);
  });

  it('writes nested generators’ secrets (FallbackChatGenerator) as Secret.from_env_var, strict or not', () => {
    const generator = new FallbackChatGenerator({
      chatGenerators: [
        new OpenAIChatGenerator({ apiKey: Secret.fromEnvVar(['PRIMARY_KEY', 'OPENAI_API_KEY']) }),
        new OpenAIResponsesChatGenerator({ apiKey: Secret.fromEnvVar('BACKUP_KEY', { strict: false }) }),
      ],
    });
    const { script, recorded } = runExport(chatInput(generator, [ChatMessage.fromUser('Hi')]));
    assert.deepEqual(recorded.dict, generator.toDict());
    assert.match(script, /Secret\.from_env_var\(\["PRIMARY_KEY", "OPENAI_API_KEY"\], strict=True\)/);
    assert.match(script, /Secret\.from_env_var\(\["BACKUP_KEY"\], strict=False\)/);
    assert.match(script, /^# Set before running: PRIMARY_KEY, OPENAI_API_KEY, BACKUP_KEY /m);
  });

  it('runs a chat generator exported without a conversation on a sample question, and names the extra packages', () => {
    const generator = new HuggingFaceLocalChatGenerator({
      model: 'HuggingFaceTB/SmolLM2-135M-Instruct',
      task: 'text-generation',
    });
    const { script, recorded } = runExport(chatInput(generator));
    assert.deepEqual(recorded.dict, generator.toDict());
    assert.deepEqual(recorded.messages, [ChatMessage.fromUser(SAMPLE_PROMPT).toDict()]);
    assert.match(script, /^# Install: pip install haystack-ai transformers\[torch\]$/m);
    assert.match(script, /^# Replace the sample input below with your own\.$/m);
  });

  it('runs a text generator on the prompt and an image generator on its prompt', () => {
    const text = new HuggingFaceAPIGenerator({
      apiType: 'text_generation_inference',
      apiParams: { url: 'http://127.0.0.1:8080' },
      generationKwargs: { grammar: { type: 'json', value: { type: 'object' } } },
    });
    const fromText = runExport({
      component: text.toDict(),
      kind: 'text',
      generatorName: 'TGI',
      prompt: 'User: hi\n\nAssistant:',
    });
    assert.deepEqual(fromText.recorded.dict, text.toDict());
    assert.equal(fromText.recorded.prompt, 'User: hi\n\nAssistant:');
    assert.match(fromText.script, /^# Install: pip install haystack-ai huggingface_hub$/m);
    assert.ok(!fromText.script.includes('ChatMessage'));

    const image = new DALLEImageGenerator({ model: 'dall-e-3', quality: 'hd' });
    const fromImage = runExport({
      component: image.toDict(),
      kind: 'image',
      generatorName: 'DALL-E',
      prompt: 'A lighthouse',
    });
    assert.deepEqual(fromImage.recorded.dict, image.toDict());
    assert.equal(fromImage.recorded.prompt, 'A lighthouse');
    assert.equal(fromImage.printed, 'stub image');
  });

  it('writes Python literals for every JSON value', () => {
    assert.equal(
      pythonLiteral({ a: [true, false, null, 1.5, -2, 'x'], b: {}, c: [] }, 0),
      '{\n    "a": [\n        True,\n        False,\n        None,\n        1.5,\n        -2,\n        "x",\n    ],\n    "b": {},\n    "c": [],\n}',
    );
    assert.equal(pythonLiteral([Infinity, NaN, 'a'], 0), '[float("inf"), float("nan"), "a"]');
  });
});
