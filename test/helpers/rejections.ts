// What a call that must fail failed with: a GeneratorError, checked to be one (and, where a secret is in play, to
// carry no trace of it). A call that succeeds fails the test.
import assert from 'node:assert/strict';
import { GeneratorError } from '../../src/core/errors';

/** The GeneratorError `promise` rejects with; fails when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<GeneratorError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(GeneratorError.isInstance(error), `expected a GeneratorError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

/** {@link rejection}, and the message must not contain `secret`. */
export async function rejectionWithout(secret: string, promise: Promise<unknown>): Promise<GeneratorError> {
  const error = await rejection(promise);
  assert.ok(!error.message.includes(secret), 'the secret must not appear in an error');
  return error;
}
