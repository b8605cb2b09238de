import assert from 'node:assert/strict';
import { cutAtStopWord, firstStopWordIndex, streamableText } from '../../../src/worker/stopWords';

describe('local model stop words', () => {
  it('finds the earliest stop word of several', () => {
    assert.equal(firstStopWordIndex('one two three', ['three', 'two']), 4);
    assert.equal(firstStopWordIndex('one two', ['four']), -1);
    assert.equal(firstStopWordIndex('anything', ['']), -1);
  });

  it('holds back a tail that could still become a stop word', () => {
    assert.equal(streamableText('hello ###', ['####']), 'hello ');
    assert.equal(streamableText('hello #', ['##', 'END']), 'hello ');
    assert.equal(streamableText('hello E', ['##', 'END']), 'hello ');
    assert.equal(streamableText('hello EN!', ['END']), 'hello EN!');
  });

  it('shows only the text before a stop word once it appeared', () => {
    assert.equal(streamableText('answer END more', ['END']), 'answer ');
  });

  it('holds back half a UTF-8 character decoded as U+FFFD', () => {
    assert.equal(streamableText('caf\uFFFD', []), 'caf');
    assert.equal(streamableText('café', []), 'café');
  });

  it('cuts the final reply at the first stop word and trims it like Haystack', () => {
    assert.deepEqual(cutAtStopWord('the answer  \nObservation: x', ['Observation:']), {
      text: 'the answer',
      stopped: true,
    });
    assert.deepEqual(cutAtStopWord('no stop here ', ['Observation:']), { text: 'no stop here ', stopped: false });
  });
});
