// Builds the tiny deterministic models the local-generator tests load offline (`npm run models`).
//
// The Hugging Face hub is out of reach in tests and no npm package ships a text-generation model, so this script
// writes ONNX graphs with `onnx-proto` plus the JSON files transformers.js reads, into test/models/.built/:
//   tiny-gpt2-chat/  GPT-2 style decoder (text-generation) with a byte-level tokenizer and a ChatML chat template.
//                    Each token predicts the next one from a fixed table, so replies are exact:
//                    a->b ... y->z, z-><|im_end|>; 0->1 ... 9->0 (never ends); <|tools|> -> the tool-call token
//                    -> <|im_end|>; any other token -> a.
//   tiny-t5/         T5 style encoder + merged decoder (text2text-generation) that copies its input.
// Idempotent: a stamp file records the script version; a matching stamp skips the build.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const SCRIPT_VERSION = '1';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'models', '.built');
const stampFile = join(root, 'VERSION');

const KV_DIM = 4;
// A logit this far above the rest keeps even sampled generation (temperature 1) on the table's choice.
const WINNING_LOGIT = 30;

/** The text of the one token the chat model emits after `<|tools|>`: a call in Haystack's default tool pattern. */
const TOOL_CALL_TEXT = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>';

const CHAT_SPECIAL = { endoftext: 256, imStart: 257, imEnd: 258, tools: 259, toolCall: 260 };
const CHAT_VOCAB_SIZE = 261;
const T5_SPECIAL = { pad: 256, eos: 257, unk: 258 };
const T5_VOCAB_SIZE = 259;

const CHATML_TEMPLATE =
  '{%- if tools %}<|im_start|>system\n# Tools\n{{ tools | tojson }}<|im_end|>\n{% endif %}' +
  '{%- for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{% endfor %}' +
  '{%- if add_generation_prompt %}<|im_start|>assistant\n{% if tools %}<|tools|>{% endif %}{% endif %}';

function main() {
  if (readStamp() === SCRIPT_VERSION) {
    console.log(`test models are up to date in ${root}`);
    return;
  }
  const started = performance.now();
  rmSync(root, { recursive: true, force: true });
  buildChatDecoder(join(root, 'tiny-gpt2-chat'));
  buildCopyingT5(join(root, 'tiny-t5'));
  writeFileSync(stampFile, SCRIPT_VERSION);
  console.log(`built test models in ${root} (${Math.round(performance.now() - started)} ms)`);
}

function readStamp() {
  try {
    return readFileSync(stampFile, 'utf8').trim();
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- models

function buildChatDecoder(dir) {
  const next = (id) => {
    const a = 'a'.charCodeAt(0);
    const z = 'z'.charCodeAt(0);
    const zero = '0'.charCodeAt(0);
    if (id >= a && id < z) return id + 1;
    if (id === z) return CHAT_SPECIAL.imEnd;
    if (id >= zero && id <= zero + 9) return zero + ((id - zero + 1) % 10);
    if (id === CHAT_SPECIAL.tools) return CHAT_SPECIAL.toolCall;
    if (id === CHAT_SPECIAL.toolCall) return CHAT_SPECIAL.imEnd;
    return a;
  };
  const layers = 2;
  writeJson(join(dir, 'config.json'), {
    model_type: 'gpt2',
    architectures: ['GPT2LMHeadModel'],
    vocab_size: CHAT_VOCAB_SIZE,
    n_layer: layers,
    n_head: 1,
    n_embd: KV_DIM,
    n_positions: 4096,
    bos_token_id: CHAT_SPECIAL.endoftext,
    eos_token_id: CHAT_SPECIAL.imEnd,
    pad_token_id: CHAT_SPECIAL.endoftext,
    'transformers.js_config': { dtype: 'fp32' },
  });
  writeJson(join(dir, 'generation_config.json'), {
    bos_token_id: CHAT_SPECIAL.endoftext,
    eos_token_id: CHAT_SPECIAL.imEnd,
    pad_token_id: CHAT_SPECIAL.endoftext,
  });
  writeJson(
    join(dir, 'tokenizer.json'),
    byteLevelTokenizer([
      { id: CHAT_SPECIAL.endoftext, content: '<|endoftext|>', special: true },
      { id: CHAT_SPECIAL.imStart, content: '<|im_start|>', special: true },
      { id: CHAT_SPECIAL.imEnd, content: '<|im_end|>', special: true },
      { id: CHAT_SPECIAL.tools, content: '<|tools|>', special: true },
      { id: CHAT_SPECIAL.toolCall, content: TOOL_CALL_TEXT, special: false },
    ]),
  );
  writeJson(join(dir, 'tokenizer_config.json'), {
    tokenizer_class: 'PreTrainedTokenizer',
    bos_token: '<|endoftext|>',
    eos_token: '<|im_end|>',
    pad_token: '<|endoftext|>',
    unk_token: null,
    add_bos_token: false,
    model_max_length: 4096,
    chat_template: CHATML_TEMPLATE,
  });

  const graph = new Graph();
  graph.input('input_ids', onnx.TensorProto.DataType.INT64, ['batch_size', 'sequence_length']);
  graph.input('attention_mask', onnx.TensorProto.DataType.INT64, ['batch_size', 'total_sequence_length']);
  graph.initializer('next_token_logits', [CHAT_VOCAB_SIZE, CHAT_VOCAB_SIZE], nextTokenTable(CHAT_VOCAB_SIZE, next));
  graph.initializer('kv_table', [CHAT_VOCAB_SIZE, KV_DIM], kvTable(CHAT_VOCAB_SIZE));
  graph.initializer('head_axis', [1], [1], onnx.TensorProto.DataType.INT64);
  graph.node('Gather', ['next_token_logits', 'input_ids'], ['logits']);
  graph.node('Gather', ['kv_table', 'input_ids'], ['kv_rows']);
  graph.node('Unsqueeze', ['kv_rows', 'head_axis'], ['kv_new']);
  graph.output('logits', onnx.TensorProto.DataType.FLOAT, ['batch_size', 'sequence_length', CHAT_VOCAB_SIZE]);
  for (let i = 0; i < layers; i++) {
    for (const part of ['key', 'value']) {
      graph.input(`past_key_values.${i}.${part}`, onnx.TensorProto.DataType.FLOAT, [
        'batch_size',
        1,
        'past_sequence_length',
        KV_DIM,
      ]);
      graph.node('Concat', [`past_key_values.${i}.${part}`, 'kv_new'], [`present.${i}.${part}`], { axis: 2 });
      graph.output(`present.${i}.${part}`, onnx.TensorProto.DataType.FLOAT, [
        'batch_size',
        1,
        'total_sequence_length',
        KV_DIM,
      ]);
    }
  }
  graph.write(join(dir, 'onnx', 'model.onnx'), 'tiny-gpt2-chat');
}

function buildCopyingT5(dir) {
  writeJson(join(dir, 'config.json'), {
    model_type: 't5',
    architectures: ['T5ForConditionalGeneration'],
    is_encoder_decoder: true,
    vocab_size: T5_VOCAB_SIZE,
    d_model: T5_VOCAB_SIZE,
    d_kv: KV_DIM,
    num_heads: 1,
    num_layers: 1,
    num_decoder_layers: 1,
    pad_token_id: T5_SPECIAL.pad,
    eos_token_id: T5_SPECIAL.eos,
    decoder_start_token_id: T5_SPECIAL.pad,
    'transformers.js_config': { dtype: 'fp32' },
  });
  writeJson(join(dir, 'generation_config.json'), {
    pad_token_id: T5_SPECIAL.pad,
    eos_token_id: T5_SPECIAL.eos,
    decoder_start_token_id: T5_SPECIAL.pad,
  });
  const tokenizer = byteLevelTokenizer([
    { id: T5_SPECIAL.pad, content: '<pad>', special: true },
    { id: T5_SPECIAL.eos, content: '</s>', special: true },
    { id: T5_SPECIAL.unk, content: '<unk>', special: true },
  ]);
  // T5 appends </s> to every input; the copying decoder relies on it to stop.
  tokenizer.post_processor = {
    type: 'TemplateProcessing',
    single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
    pair: [
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: '</s>', type_id: 0 } },
      { Sequence: { id: 'B', type_id: 0 } },
      { SpecialToken: { id: '</s>', type_id: 0 } },
    ],
    special_tokens: { '</s>': { id: '</s>', ids: [T5_SPECIAL.eos], tokens: ['</s>'] } },
  };
  writeJson(join(dir, 'tokenizer.json'), tokenizer);
  writeJson(join(dir, 'tokenizer_config.json'), {
    tokenizer_class: 'PreTrainedTokenizer',
    eos_token: '</s>',
    pad_token: '<pad>',
    unk_token: '<unk>',
    model_max_length: 4096,
  });

  // Encoder: each token becomes a scaled one-hot row, so the hidden state at position p names input token p.
  const encoder = new Graph();
  encoder.input('input_ids', onnx.TensorProto.DataType.INT64, ['batch_size', 'encoder_sequence_length']);
  encoder.input('attention_mask', onnx.TensorProto.DataType.INT64, ['batch_size', 'encoder_sequence_length']);
  encoder.initializer(
    'one_hot',
    [T5_VOCAB_SIZE, T5_VOCAB_SIZE],
    nextTokenTable(T5_VOCAB_SIZE, (id) => id),
  );
  encoder.node('Gather', ['one_hot', 'input_ids'], ['last_hidden_state']);
  encoder.output('last_hidden_state', onnx.TensorProto.DataType.FLOAT, [
    'batch_size',
    'encoder_sequence_length',
    T5_VOCAB_SIZE,
  ]);
  encoder.write(join(dir, 'onnx', 'encoder_model.onnx'), 'tiny-t5-encoder');

  // Decoder: at step t (the decoder cache length) the logits are the encoder state at position t: a copy.
  const decoder = new Graph();
  decoder.input('encoder_attention_mask', onnx.TensorProto.DataType.INT64, ['batch_size', 'encoder_sequence_length']);
  decoder.input('input_ids', onnx.TensorProto.DataType.INT64, ['batch_size', 'decoder_sequence_length']);
  decoder.input('encoder_hidden_states', onnx.TensorProto.DataType.FLOAT, [
    'batch_size',
    'encoder_sequence_length',
    T5_VOCAB_SIZE,
  ]);
  decoder.initializer('kv_table', [T5_VOCAB_SIZE, KV_DIM], kvTable(T5_VOCAB_SIZE));
  decoder.initializer('head_axis', [1], [1], onnx.TensorProto.DataType.INT64);
  for (const side of ['decoder', 'encoder']) {
    for (const part of ['key', 'value']) {
      const length = side === 'decoder' ? 'past_decoder_sequence_length' : 'encoder_sequence_length_out';
      decoder.input(`past_key_values.0.${side}.${part}`, onnx.TensorProto.DataType.FLOAT, [
        'batch_size',
        1,
        length,
        KV_DIM,
      ]);
    }
  }
  decoder.input('use_cache_branch', onnx.TensorProto.DataType.BOOL, [1]);
  decoder.node('Shape', ['past_key_values.0.decoder.key'], ['step'], { start: 2, end: 3 });
  decoder.node('Gather', ['encoder_hidden_states', 'step'], ['logits'], { axis: 1 });
  decoder.node('Gather', ['kv_table', 'input_ids'], ['kv_rows']);
  decoder.node('Unsqueeze', ['kv_rows', 'head_axis'], ['kv_new']);
  decoder.output('logits', onnx.TensorProto.DataType.FLOAT, ['batch_size', 'decoder_sequence_length', T5_VOCAB_SIZE]);
  for (const part of ['key', 'value']) {
    decoder.node('Concat', [`past_key_values.0.decoder.${part}`, 'kv_new'], [`present.0.decoder.${part}`], { axis: 2 });
    decoder.node('Identity', [`past_key_values.0.encoder.${part}`], [`present.0.encoder.${part}`]);
    decoder.output(`present.0.decoder.${part}`, onnx.TensorProto.DataType.FLOAT, [
      'batch_size',
      1,
      'total_decoder_sequence_length',
      KV_DIM,
    ]);
    decoder.output(`present.0.encoder.${part}`, onnx.TensorProto.DataType.FLOAT, [
      'batch_size',
      1,
      'encoder_sequence_length_out',
      KV_DIM,
    ]);
  }
  decoder.write(join(dir, 'onnx', 'decoder_model_merged.onnx'), 'tiny-t5-decoder');
}

/** Row `id` has WINNING_LOGIT at column `next(id)`: a one-token lookup "language model". */
function nextTokenTable(size, next) {
  const table = new Array(size * size).fill(0);
  for (let id = 0; id < size; id++) table[id * size + next(id)] = WINNING_LOGIT;
  return table;
}

/** Arbitrary but fixed cache rows; only their shapes matter to transformers.js. */
function kvTable(size) {
  return Array.from({ length: size * KV_DIM }, (_, i) => (i % 7) / 7);
}

// ---------------------------------------------------------------- tokenizer

/** GPT-2's byte-to-unicode table: every byte gets a printable character, so BPE sees no raw control bytes. */
function bytesToUnicode() {
  const printable = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const chars = new Map();
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    chars.set(b, String.fromCharCode(printable.includes(b) ? b : 256 + extra++));
  }
  return chars;
}

/** A byte-level BPE tokenizer with no merges: token id = byte value for ids 0-255, then `addedTokens`. */
function byteLevelTokenizer(addedTokens) {
  const vocab = {};
  for (const [byte, char] of bytesToUnicode()) vocab[char] = byte;
  for (const token of addedTokens) vocab[token.content] = token.id;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens.map((t) => ({
      id: t.id,
      content: t.content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: t.special,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: [],
    },
  };
}

// ---------------------------------------------------------------- ONNX writing

/** A minimal ONNX graph builder over onnx-proto's generated classes. */
class Graph {
  inputs = [];
  outputs = [];
  nodes = [];
  initializers = [];

  input(name, elemType, dims) {
    this.inputs.push(valueInfo(name, elemType, dims));
  }
  output(name, elemType, dims) {
    this.outputs.push(valueInfo(name, elemType, dims));
  }
  initializer(name, dims, values, dataType = onnx.TensorProto.DataType.FLOAT) {
    const tensor = { name, dims, dataType };
    if (dataType === onnx.TensorProto.DataType.INT64) tensor.int64Data = values;
    else tensor.floatData = values;
    this.initializers.push(onnx.TensorProto.create(tensor));
  }
  node(opType, input, output, attributes = {}) {
    const attribute = Object.entries(attributes).map(([name, i]) =>
      onnx.AttributeProto.create({ name, i, type: onnx.AttributeProto.AttributeType.INT }),
    );
    this.nodes.push(
      onnx.NodeProto.create({ opType, input, output, name: `${opType}_${this.nodes.length}`, attribute }),
    );
  }
  write(file, name) {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'build-test-models',
      opsetImport: [{ domain: '', version: 17 }],
      graph: onnx.GraphProto.create({
        name,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
      }),
    });
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, onnx.ModelProto.encode(model).finish());
  }
}

function valueInfo(name, elemType, dims) {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim } } } });
}

function writeJson(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

main();
