// One missing-key behaviour for every generator that takes a key: a missing_secret error naming the variable, before
// any request is sent, whether the secret is strict or not. Driven by the descriptor list.
import assert from 'node:assert/strict';
import { ChatMessage } from '../../../src/core/chatMessage';
import { GeneratorError } from '../../../src/core/errors';
import type { Generator } from '../../../src/core/generator';
import { componentFromDict, GENERATOR_DESCRIPTORS } from '../../../src/generators/registry';
import { hostErrorMessage } from '../../../src/host/platform/hostErrorMessage';
import { startTestServer, type TestServer } from '../../servers/testServer';
import { sampleInitParameters } from './descriptorSamples';

const UNSET = 'GENERATORS_TEST_NEVER_SET_KEY';

function runOnce(generator: Generator): Promise<unknown> {
  if (generator.kind === 'chat') return generator.run([ChatMessage.fromUser('hi')]);
  return generator.run('hi');
}

describe('a missing key, for every generator that takes one', () => {
  let server: TestServer;
  before(async () => {
    delete process.env[UNSET];
    server = await startTestServer([]);
  });
  after(() => server.close());

  const withKeys = GENERATOR_DESCRIPTORS.filter((d) => d.secretEnvVars.length > 0);

  it('covers every descriptor that names a key', () => {
    assert.ok(withKeys.length >= 10);
  });

  for (const descriptor of withKeys) {
    for (const strict of [true, false]) {
      const name = descriptor.typeName.split('.').at(-1)!;
      it(`${name} (${strict ? 'strict' : 'non-strict'} secret): missing_secret naming ${UNSET}, nothing sent`, async () => {
        const sample = sampleInitParameters(server.url, UNSET, strict)[descriptor.typeName];
        const error = await runOnce(componentFromDict(sample)).then(
          () => assert.fail('ran without a key'),
          (e: unknown) => e,
        );
        assert.ok(GeneratorError.isInstance(error), String(error));
        assert.equal(error.code, 'missing_secret');
        assert.ok(error.envVars?.includes(UNSET), `envVars: ${String(error.envVars)}`);
        assert.match(error.message, new RegExp(UNSET));
        // The core speaks to scripts; the editor adds the command that stores the key.
        assert.doesNotMatch(error.message, /Generators:/);
        assert.match(hostErrorMessage(error), new RegExp(`Run 'Generators: Set API Key' to store ${UNSET}`));
        assert.equal(server.requests.length, 0);
      });
    }
  }
});
