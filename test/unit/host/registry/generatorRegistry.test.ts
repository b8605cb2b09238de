import assert from 'node:assert/strict';
import { ConfigurationError, GeneratorError } from '../../../../src/core/errors';
import type { ChatGenerator, GeneratorClass } from '../../../../src/core/generator';
import { readInitParameters, InitParameterReader } from '../../../../src/core/serialization';
import { GeneratorRegistry, type RegistryDependencies } from '../../../../src/host/registry/generatorRegistry';
import { parseGeneratorEntries } from '../../../../src/host/registry/generatorSettings';

const ECHO_TYPE = 'test.echo.EchoChatGenerator';
let built = 0;
let shutDown: string[] = [];

/** A minimal generator class: counts constructions and shutdowns so the tests can see lazy builds and rebuilds. */
class EchoChatGenerator {
  static readonly typeName = ECHO_TYPE;
  static readonly kind = 'chat' as const;
  readonly typeName = ECHO_TYPE;
  readonly kind = 'chat' as const;
  constructor(readonly model: string) {
    built++;
  }
  static fromDict(dict: unknown): ChatGenerator {
    const params = new InitParameterReader(readInitParameters(dict, ECHO_TYPE));
    const model = params.string('model');
    if (model === undefined) throw new ConfigurationError('init_parameters.model', 'a model is required.');
    return new EchoChatGenerator(model) as unknown as ChatGenerator;
  }
  async warmUp() {}
  async run() {
    return { replies: [] };
  }
  toDict() {
    return { type: ECHO_TYPE, init_parameters: { model: this.model } };
  }
  async shutdown() {
    shutDown.push(this.model);
  }
}

const deps = (problems: string[] = []): RegistryDependencies => ({
  classFor: (type) => (type === ECHO_TYPE ? (EchoChatGenerator as unknown as GeneratorClass) : undefined),
  knownTypes: () => [EchoChatGenerator as unknown as GeneratorClass],
  onProblem: (message) => problems.push(message),
});

describe('host registry: settings entries', () => {
  it('accepts well-shaped entries and reports each bad one by name and field', () => {
    const parsed = parseGeneratorEntries([
      { name: 'ok', type: ECHO_TYPE, init_parameters: { model: 'm' } },
      { type: ECHO_TYPE },
      { name: 'ok', type: ECHO_TYPE },
      { name: 'no type', init_parameters: {} },
      { name: 'bad params', type: ECHO_TYPE, init_parameters: [1] },
      'nonsense',
    ]);
    assert.deepEqual(
      parsed.entries.map((e) => e.name),
      ['ok'],
    );
    assert.deepEqual(
      parsed.problems.map((p) => [p.name, p.field]),
      [
        ['#2', 'name'],
        ['ok', 'name'],
        ['no type', 'type'],
        ['bad params', 'init_parameters'],
        ['#6', 'entry'],
      ],
    );
  });

  it('treats a missing init_parameters as empty and a non-list setting as one problem', () => {
    assert.deepEqual(parseGeneratorEntries([{ name: 'a', type: ECHO_TYPE }]).entries[0].init_parameters, {});
    assert.equal(parseGeneratorEntries({ name: 'a' }).problems[0].field, 'generators.generators');
    assert.deepEqual(parseGeneratorEntries(undefined), { entries: [], problems: [] });
  });
});

describe('host registry: building generators', () => {
  beforeEach(() => {
    built = 0;
    shutDown = [];
  });

  const settings = (generators: unknown, defaults = {}) => ({ generators, defaults });

  it('builds lazily, once, and lists kind and model', () => {
    const registry = new GeneratorRegistry(
      settings([{ name: 'A', type: ECHO_TYPE, init_parameters: { model: 'm1' } }]),
      deps(),
    );
    assert.equal(built, 0, 'nothing is built at construction');
    const first = registry.get('A');
    assert.equal(registry.get('A'), first);
    assert.equal(built, 1);
    assert.deepEqual(registry.list(), [{ name: 'A', type: ECHO_TYPE, kind: 'chat', model: 'm1' }]);
  });

  it('keeps valid entries working and names the entry and field of an invalid one', () => {
    const problems: string[] = [];
    const registry = new GeneratorRegistry(
      settings([
        { name: 'Good', type: ECHO_TYPE, init_parameters: { model: 'm' } },
        { name: 'No model', type: ECHO_TYPE, init_parameters: {} },
        { name: 'Wrong type', type: ECHO_TYPE, init_parameters: { model: 42 } },
        { name: 'Unknown', type: 'haystack.nope.Nope', init_parameters: {} },
      ]),
      deps(problems),
    );
    assert.ok(registry.get('Good'));
    assert.throws(
      () => registry.get('No model'),
      (e: GeneratorError) =>
        e.code === 'configuration' && e.message === 'Generator "No model": init_parameters.model: a model is required.',
    );
    assert.throws(
      () => registry.get('Wrong type'),
      /^GeneratorError: Generator "Wrong type": init_parameters\.model: expected a string, got number\.$/,
    );
    assert.throws(
      () => registry.get('Unknown'),
      /Generator "Unknown": type: unknown generator type "haystack\.nope\.Nope"\. Supported: EchoChatGenerator\./,
    );
    assert.throws(() => registry.get('Missing'), /No generator named "Missing".*'Generators: Add Generator'/);
    const errors = Object.fromEntries(registry.list().map((g) => [g.name, g.error]));
    assert.equal(errors.Good, undefined);
    assert.match(errors['No model']!, /init_parameters\.model/);
    assert.ok(problems.some((p) => p.includes('"Unknown"')));
  });

  it('rebuilds only the entry whose settings changed and shuts the old one down', async () => {
    const registry = new GeneratorRegistry(
      settings([
        { name: 'A', type: ECHO_TYPE, init_parameters: { model: 'a1' } },
        { name: 'B', type: ECHO_TYPE, init_parameters: { model: 'b1' } },
      ]),
      deps(),
    );
    const a = registry.get('A');
    const b = registry.get('B');
    let changes = 0;
    const subscription = registry.onDidChange(() => changes++);
    registry.update(
      settings([
        { name: 'A', type: ECHO_TYPE, init_parameters: { model: 'a2' } },
        { name: 'B', type: ECHO_TYPE, init_parameters: { model: 'b1' } },
      ]),
    );
    await Promise.resolve();
    assert.equal(changes, 1);
    assert.deepEqual(shutDown, ['a1']);
    assert.notEqual(registry.get('A'), a);
    assert.equal(registry.get('B'), b);
    subscription.dispose();
    registry.update(settings([]));
    assert.equal(changes, 1, 'a disposed listener hears nothing');
  });

  it('shuts every built generator down on shutdown', async () => {
    const registry = new GeneratorRegistry(
      settings([
        { name: 'A', type: ECHO_TYPE, init_parameters: { model: 'a' } },
        { name: 'B', type: ECHO_TYPE, init_parameters: { model: 'b' } },
      ]),
      deps(),
    );
    registry.get('A');
    await registry.shutdown();
    assert.deepEqual(shutDown, ['a'], 'only built generators are shut down');
  });

  it('returns the configured default only when it exists with the right kind', () => {
    const registry = new GeneratorRegistry(
      settings([{ name: 'A', type: ECHO_TYPE, init_parameters: { model: 'a' } }], {
        chat: 'A',
        text: 'A',
        image: 'Gone',
      }),
      deps(),
    );
    assert.equal(registry.defaultName('chat'), 'A');
    assert.equal(registry.defaultName('text'), undefined);
    assert.equal(registry.defaultName('image'), undefined);
  });
});
