// Conversation files carry a schema version: files from before the field are read as version 1 and written back
// with it, a file from a newer version of the extension is left untouched and reported, and a file whose version
// is not a number is corrupt like any other.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONVERSATION_SCHEMA_VERSION,
  conversationFromFile,
  NewerConversationFileError,
} from '../../../../../src/host/chat/conversations/conversationFile';
import { ConversationStore } from '../../../../../src/host/chat/conversations/conversationStore';
import type { Conversation } from '../../../../../src/shared/protocol';

/** A conversation as the extension wrote it before files had a `schemaVersion`: the protocol's Conversation as is. */
const UNVERSIONED: Conversation = {
  id: 'c-legacy',
  title: 'Weather',
  generator: 'GPT',
  settings: { temperature: 0.2, systemPrompt: 'Be brief.' },
  messages: [
    { id: 'm1', role: 'user', text: 'Weather in Paris?', status: 'complete', createdAt: 1000 },
    {
      id: 'm2',
      role: 'assistant',
      text: 'Sunny.',
      status: 'complete',
      createdAt: 1001,
      stats: { generator: 'GPT', model: 'gpt-4o-mini', promptTokens: 5, completionTokens: 2, totalTokens: 7 },
    },
    { id: 'm3', role: 'user', text: 'And tomorrow?', status: 'complete', createdAt: 1002 },
  ],
  comparison: {
    requestId: 'r1',
    lanes: [
      {
        laneId: 'r1_lane0',
        generator: 'GPT',
        reply: { id: 'm4', role: 'assistant', text: 'Rain.', status: 'complete', createdAt: 1003 },
      },
    ],
  },
  createdAt: 1000,
  updatedAt: 1003,
};

describe('conversation files: schema version and migration', () => {
  let directory: string;
  let corrupt: { file: string; movedTo: string; reason: string }[];
  let skipped: { file: string; reason: string }[];
  let store: ConversationStore;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'conversation-file-'));
    corrupt = [];
    skipped = [];
    store = new ConversationStore(
      directory,
      (info) => corrupt.push(info),
      (info) => skipped.push(info),
    );
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('reads a file from before schemaVersion as version 1 and writes it back with the version, nothing else changed', async () => {
    const file = join(directory, 'c-legacy.json');
    await writeFile(file, JSON.stringify(UNVERSIONED));
    const loaded = await store.load('c-legacy');
    assert.deepEqual(loaded, UNVERSIONED, 'the panel gets the conversation without any file-only field');
    assert.deepEqual(await store.list(), [{ id: 'c-legacy', title: 'Weather', updatedAt: 1003, messageCount: 3 }]);
    await store.save(loaded!);
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { schemaVersion: 1, ...UNVERSIONED });
    assert.deepEqual(await store.load('c-legacy'), UNVERSIONED, 'a versioned file reads back the same');
    assert.deepEqual([corrupt, skipped], [[], []]);
  });

  it('writes every new file with the current schema version', async () => {
    const { comparison: _comparison, ...conversation } = UNVERSIONED;
    await store.save({ ...structuredClone(conversation), id: 'c-new' });
    const written = JSON.parse(await readFile(join(directory, 'c-new.json'), 'utf8'));
    assert.equal(written.schemaVersion, CONVERSATION_SCHEMA_VERSION);
  });

  it('leaves a file from a newer version where it is, byte for byte, and says to update the extension', async () => {
    const newer = JSON.stringify({ ...UNVERSIONED, id: 'c-newer', schemaVersion: CONVERSATION_SCHEMA_VERSION + 1 });
    await writeFile(join(directory, 'c-newer.json'), newer);
    await store.save({ ...structuredClone(UNVERSIONED), id: 'c-current' });

    assert.deepEqual(
      (await store.list()).map((summary) => summary.id),
      ['c-current'],
      'the newer conversation is not offered (opening it could only lose what this version does not know)',
    );
    assert.equal(await store.load('c-newer'), undefined);
    assert.deepEqual(corrupt, [], 'a newer file is not corrupt: it is never moved aside');
    assert.equal(skipped.length, 2, 'reported on every read that skipped it');
    assert.equal(skipped[0]!.file, join(directory, 'c-newer.json'));
    const version = CONVERSATION_SCHEMA_VERSION;
    assert.ok(
      skipped[0]!.reason.includes(
        `newer version of Generators (conversation schema ${version + 1}; this version reads up to ${version}). ` +
          'Update the extension',
      ),
      skipped[0]!.reason,
    );
    assert.deepEqual((await readdir(directory)).sort(), ['c-current.json', 'c-newer.json']);
    assert.equal(await readFile(join(directory, 'c-newer.json'), 'utf8'), newer);
  });

  it('moves aside a file whose schemaVersion is not a version number, as any corrupt file', async () => {
    await writeFile(join(directory, 'c-odd.json'), JSON.stringify({ ...UNVERSIONED, id: 'c-odd', schemaVersion: 'x' }));
    assert.equal(await store.load('c-odd'), undefined);
    assert.equal(corrupt.length, 1);
    assert.match(corrupt[0]!.reason, /schemaVersion "x" is not a version number/);
    assert.deepEqual(skipped, []);
    assert.ok((await readdir(directory)).some((name) => /^c-odd\.json\.corrupt-\d+$/.test(name)));
  });

  it('names the versions in the error it throws for a newer document', () => {
    assert.throws(
      () => conversationFromFile({ ...UNVERSIONED, schemaVersion: 7 }, 'c-legacy'),
      (error: unknown) => error instanceof NewerConversationFileError && error.schemaVersion === 7,
    );
  });
});
