// Every component dict a Haystack 2.x release writes, given a name, is a valid `generators.generators` entry: the
// settings schema in package.json must not flag a block copied from a Haystack pipeline.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { componentCases } from '../../helpers/haystackFixtures';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const validate = new Ajv({ strict: false }).compile(
  manifest.contributes.configuration.properties['generators.generators'],
);

describe('Haystack 2.x component dicts in the settings', () => {
  for (const { version, subject, name, value } of componentCases()) {
    it(`${version} ${subject} ${name}`, () => {
      assert.equal(validate([{ name: 'Copied', ...value }]), true, JSON.stringify(validate.errors));
    });
  }
});
