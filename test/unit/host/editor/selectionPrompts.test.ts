import assert from 'node:assert/strict';
import {
  askPrompt,
  explainPrompt,
  extractCode,
  generateAtCursorPrompt,
  improvePrompt,
  matchTrailingNewline,
  StreamingFenceStripper,
} from '../../../../src/host/editor/selectionPrompts';

const context = { text: 'const x = 1;', languageId: 'typescript', fileName: '/home/me/project/src/a.ts' };

describe('host selection prompts', () => {
  it('gives the model the language, the file name (not the full path) and the fenced selection', () => {
    assert.deepEqual(
      explainPrompt(context).user,
      'Explain the following typescript code from the file a.ts:\n\n```typescript\nconst x = 1;\n```',
    );
    const improve = improvePrompt(context);
    assert.match(improve.system, /one fenced code block/);
    assert.match(
      improve.user,
      /^Improve it: .*\n\nThe typescript code from the file a\.ts:\n\n```typescript\nconst x = 1;\n```$/,
    );
    assert.match(improvePrompt(context, 'make it async').user, /^make it async\n/);
    assert.equal(
      askPrompt('Why?', context),
      'Why?\n\nAbout this typescript code from the file a.ts:\n\n```typescript\nconst x = 1;\n```',
    );
    const gen = generateAtCursorPrompt('a sum function', {
      languageId: 'python',
      fileName: 'C:\\w\\m.py',
      before: 'import os',
      after: '',
    });
    assert.match(gen.system, /python code .* file m\.py/);
    assert.match(gen.user, /import os\n<CURSOR>\n.*Write: a sum function$/s);
  });

  it('uses a longer fence when the selection contains backticks', () => {
    const md = { ...context, languageId: 'markdown', text: 'see ```js\ncode\n```' };
    assert.match(explainPrompt(md).user, /````markdown\nsee ```js\ncode\n```\n````$/);
  });

  it('extracts the code of the first fenced block or keeps a bare reply', () => {
    assert.equal(extractCode('Here:\n```ts\nlet y = 2;\n```\nDone.'), 'let y = 2;');
    assert.equal(extractCode('  let y = 2;\n'), 'let y = 2;');
    assert.equal(matchTrailingNewline('a\n', 'b\n\n'), 'b\n');
    assert.equal(matchTrailingNewline('a', 'b\n'), 'b');
  });
});

describe('host streaming fence stripper', () => {
  const run = (chunks: string[]) => {
    const stripper = new StreamingFenceStripper();
    const out = chunks.map((c) => stripper.push(c));
    return { out, text: out.join('') + stripper.end() };
  };

  it('passes bare code through unchanged', () => {
    assert.equal(run(['def f', '():\n', '    return 1\n']).text, 'def f():\n    return 1\n');
  });

  it('removes an opening and closing fence split across chunks, and anything after the closing fence', () => {
    assert.equal(run(['`', '``py', 'thon\nx = 1', '\ny = 2\n`', '``', '\nExplanation']).text, 'x = 1\ny = 2');
    assert.equal(run(['```\nx = 1\n```']).text, 'x = 1');
  });

  it('streams code before the stream ends, holding back only a possible closing fence', () => {
    const { out } = run(['```js\n', 'a();\n', 'b();\n', '``']);
    assert.equal(out.join(''), 'a();\nb();');
  });

  it('keeps backticks that turn out not to close the fence', () => {
    assert.equal(run(['```md\n', 'text\n`', 'code` here\n']).text, 'text\n`code` here\n');
    assert.equal(run(['```md\n', 'x\n``']).text, 'x\n``');
  });
});
