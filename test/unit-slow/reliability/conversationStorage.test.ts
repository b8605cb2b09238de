// Conversation storage under crashes and corruption: a writer process killed (SIGKILL) in the middle of its writes
// never leaves a torn file, and a corrupt file on disk is moved aside with its bytes intact and reported.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationStore } from '../../../src/host/chat/conversations/conversationStore';
import { prng } from '../../helpers/fuzzInputs';

const WRITER = join(__dirname, 'fixtures', 'conversationWriter.ts');
const ID = 'crash-test-conversation';
const KILLS = 4;

/** Starts the writer and kills it `delayMs` after it has reported `saves` saves. */
function crashWriter(directory: string, saves: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, directory, ID], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = 0;
    let stderr = '';
    const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      seen += d
        .toString()
        .split('\n')
        .filter((l) => l.startsWith('saved')).length;
      if (seen >= saves && child.exitCode === null && !child.killed) {
        // A random moment within a few write cycles: the fault lands anywhere in the save loop.
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      if (signal !== 'SIGKILL' || seen < saves)
        reject(new Error(`writer ended with ${signal} after ${seen} saves: ${stderr}`));
      else resolve(seen);
    });
  });
}

describe('reliability: conversation storage survives crashes and corruption', function () {
  this.timeout(90_000);
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'reliability-store-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it(`a writer killed mid-write ${KILLS} times never leaves a torn file: the last or the previous version loads`, async () => {
    const random = prng(2024);
    let killedMidWrite = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const saves = await crashWriter(directory, 1 + Math.floor(random() * 2), random() * 12);
      if ((await readdir(directory)).some((name) => name.endsWith('.tmp'))) killedMidWrite++;
      const corrupt: string[] = [];
      const store = new ConversationStore(directory, ({ file }) => corrupt.push(file));
      const loaded = await store.load(ID);
      assert.deepEqual(corrupt, [], `kill ${kill}: the file was torn`);
      assert.ok(loaded, `kill ${kill}: the conversation is gone after ${saves} saves`);
      assert.match(loaded.title, /^v[01]$/);
      assert.equal(
        loaded.messages[0]!.text,
        `version ${loaded.title.slice(1)} `.repeat(60_000),
        `kill ${kill}: content does not match its title`,
      );
      await store.list();
      const leftovers = (await readdir(directory)).filter((name) => name.endsWith('.tmp'));
      assert.deepEqual(leftovers, [], `kill ${kill}: temp files of the crashed write were not cleaned up`);
    }
    console.log(`      killed mid-write (a temp file was left): ${killedMidWrite} of ${KILLS}`);
  });

  it('moves each kind of corrupt file aside with its bytes intact, reports it, and keeps the good ones', async () => {
    const good = {
      id: 'good',
      title: 'Good',
      settings: {},
      createdAt: 1,
      updatedAt: 2,
      messages: [{ id: 'm', role: 'user', text: 'hi', status: 'complete', createdAt: 1 }],
    };
    const corrupt: Record<string, string | Buffer> = {
      truncated: JSON.stringify({ ...good, id: 'truncated' }).slice(0, 40),
      empty: '',
      binary: Buffer.from([0xff, 0xfe, 0x00, 0x13, 0x37]),
      list: '[1,2,3]',
      wrongId: JSON.stringify({ ...good, id: 'someone-else' }),
      badMessages: JSON.stringify({ ...good, id: 'badMessages', messages: [{ role: 'robot' }] }),
      pollution: '{"__proto__":{"polluted":true},"id":"pollution"}',
    };
    await writeFile(join(directory, 'good.json'), JSON.stringify(good));
    for (const [name, bytes] of Object.entries(corrupt)) await writeFile(join(directory, `${name}.json`), bytes);

    const reports: { file: string; movedTo: string; reason: string }[] = [];
    const store = new ConversationStore(directory, (info) => reports.push(info));
    const listed = await store.list();
    assert.deepEqual(
      listed.map((s) => s.id),
      ['good'],
    );
    assert.equal(reports.length, Object.keys(corrupt).length);
    for (const report of reports) {
      const name = report.file.slice(directory.length + 1, -'.json'.length);
      assert.ok(report.reason.length > 0);
      assert.deepEqual(
        await readFile(report.movedTo),
        Buffer.from(corrupt[name]!),
        `${name}: the moved-aside file keeps its bytes`,
      );
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((await store.load('good'))?.title, 'Good');
  });
});
