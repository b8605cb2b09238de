import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationStore } from '../../../../../src/host/chat/conversations/conversationStore';
import type { Conversation } from '../../../../../src/shared/protocol';

function conversation(id: string, text: string, updatedAt = Date.now()): Conversation {
  return {
    id,
    title: text.slice(0, 20),
    settings: { temperature: 0.5 },
    messages: [{ id: 'm1', role: 'user', text, status: 'complete', createdAt: updatedAt }],
    createdAt: updatedAt,
    updatedAt,
  };
}

describe('chat conversation store', () => {
  let directory: string;
  let reports: { file: string; movedTo: string; reason: string }[];
  let store: ConversationStore;

  beforeEach(async () => {
    directory = join(await mkdtemp(join(tmpdir(), 'chat-store-')), 'conversations');
    reports = [];
    store = new ConversationStore(directory, (info) => reports.push(info));
  });

  afterEach(async () => {
    await rm(join(directory, '..'), { recursive: true, force: true });
  });

  it('saves, lists newest first, loads and deletes conversations', async () => {
    await store.save(conversation('old', 'first question', 1000));
    await store.save(conversation('new', 'second question', 2000));
    assert.deepEqual(await store.list(), [
      { id: 'new', title: 'second question', updatedAt: 2000, messageCount: 1 },
      { id: 'old', title: 'first question', updatedAt: 1000, messageCount: 1 },
    ]);
    assert.deepEqual(await store.load('old'), conversation('old', 'first question', 1000));
    await store.delete('old');
    assert.equal(await store.load('old'), undefined);
    assert.deepEqual(
      (await store.list()).map((s) => s.id),
      ['new'],
    );
  });

  it('writes through a temp file and rename, leaving no temp files and the last write on disk', async () => {
    const writes = Array.from({ length: 20 }, (_, i) => store.save(conversation('c1', `version ${i}`, i)));
    await Promise.all(writes);
    assert.deepEqual(await readdir(directory), ['c1.json']);
    assert.equal(JSON.parse(await readFile(join(directory, 'c1.json'), 'utf8')).messages[0].text, 'version 19');
  });

  it('keeps the previous file intact when a write crashed before its rename, and cleans the temp file up', async () => {
    await store.save(conversation('c1', 'committed'));
    // What a crash mid-write leaves: a half-written temp file next to the intact conversation.
    await writeFile(join(directory, 'c1.json.deadbeef.tmp'), '{"id":"c1","title":"torn');
    const fresh = new ConversationStore(directory, (info) => reports.push(info));
    assert.equal((await fresh.load('c1'))?.messages[0].text, 'committed');
    assert.deepEqual(await readdir(directory), ['c1.json']);
    assert.deepEqual(reports, []);
  });

  it('moves a corrupt file aside and reports it instead of silently dropping it', async () => {
    await store.save(conversation('good', 'fine'));
    await writeFile(join(directory, 'bad.json'), '{"id": "bad", "title": ');
    await writeFile(
      join(directory, 'wrong.json'),
      JSON.stringify({
        id: 'wrong',
        title: 't',
        settings: {},
        messages: [{ role: 'robot' }],
        createdAt: 1,
        updatedAt: 1,
      }),
    );
    const list = await store.list();
    assert.deepEqual(
      list.map((s) => s.id),
      ['good'],
    );
    assert.equal(reports.length, 2);
    const byFile = new Map(reports.map((r) => [r.file, r]));
    assert.match(byFile.get(join(directory, 'bad.json'))!.reason, /JSON/);
    assert.match(byFile.get(join(directory, 'wrong.json'))!.reason, /messages\[0\]\.role/);
    const names = await readdir(directory);
    assert.ok(
      names.some((n) => /^bad\.json\.corrupt-\d+$/.test(n)),
      names.join(', '),
    );
    assert.ok(
      names.some((n) => /^wrong\.json\.corrupt-\d+$/.test(n)),
      names.join(', '),
    );
    assert.equal(
      await readFile(
        join(
          directory,
          names.find((n) => n.startsWith('bad.json.corrupt'))!,
        ),
        'utf8',
      ),
      '{"id": "bad", "title": ',
    );
  });

  it('refuses ids that could name a file outside the store', async () => {
    await assert.rejects(store.save(conversation('../escape', 'x')), /Invalid conversation id/);
    await assert.rejects(store.load('a/b'), /Invalid conversation id/);
  });
});
