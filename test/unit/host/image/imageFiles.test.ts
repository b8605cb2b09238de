import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  imageBytes,
  imageMimeType,
  imageSavePath,
  resolveInsideWorkspace,
  slugFromPrompt,
} from '../../../../src/host/image/imageFiles';
import { startTestServer } from '../../../servers/testServer';
import { useTestServer } from '../../../helpers/suiteServer';

const root = path.resolve('/tmp/workspace-for-test');

describe('host image files: slugs and workspace-only saving', () => {
  it('turns a prompt into a short, safe slug', () => {
    assert.equal(slugFromPrompt('A red Fox, jumping over the moon!'), 'a-red-fox-jumping-over-the-moon');
    assert.equal(slugFromPrompt('Crème brûlée à la café'), 'creme-brulee-a-la-cafe');
    assert.equal(slugFromPrompt('../../etc/passwd'), 'etc-passwd');
    assert.equal(slugFromPrompt('C:\\Windows\\system32'), 'c-windows-system32');
    assert.equal(slugFromPrompt('日本語 🦊 ///'), 'image');
    assert.equal(slugFromPrompt(''), 'image');
    const long = slugFromPrompt('word '.repeat(100));
    assert.ok(long.length <= 60 && !long.endsWith('-'), long);
  });

  it('saves under images/ and numbers taken names', async () => {
    const taken = new Set([path.join(root, 'images', 'a-cat.png'), path.join(root, 'images', 'a-cat-2.png')]);
    assert.equal(await imageSavePath(root, 'A cat', async () => false), path.join(root, 'images', 'a-cat.png'));
    assert.equal(
      await imageSavePath(root, 'A cat', async (f) => taken.has(f)),
      path.join(root, 'images', 'a-cat-3.png'),
    );
    for (const hostile of ['../../../../etc/cron.d/x', '/etc/passwd', '..\\..\\x', '%2e%2e/%2e%2e/x', '\u0000../x']) {
      const file = await imageSavePath(root, hostile, async () => false);
      assert.ok(file.startsWith(path.join(root, 'images') + path.sep), `${hostile} -> ${file}`);
    }
  });

  it('refuses any path that leaves the workspace', () => {
    assert.equal(resolveInsideWorkspace(root, 'images/x.png'), path.join(root, 'images', 'x.png'));
    for (const bad of ['../x.png', '/etc/x.png', 'images/../../x.png', '.', '']) {
      assert.throws(() => resolveInsideWorkspace(root, bad), /inside the workspace folder only/, bad);
    }
  });
});

describe('host image files: bytes from url or b64_json', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const server = useTestServer(() =>
    startTestServer([
      {
        method: 'GET',
        path: '/images/cat.png',
        handle: (_req, res) => {
          res.writeHead(200, { 'content-type': 'image/png' });
          res.end(png);
        },
      },
    ]),
  );

  it('decodes b64_json and data URLs, downloads URLs, and reports a failed download', async () => {
    assert.deepEqual(Buffer.from(await imageBytes(png.toString('base64'))), png);
    assert.deepEqual(Buffer.from(await imageBytes(`data:image/png;base64,${png.toString('base64')}`)), png);
    assert.deepEqual(Buffer.from(await imageBytes(`${server.url}/images/cat.png`)), png);
    await assert.rejects(imageBytes(`${server.url}/images/missing.png`), /HTTP 404/);
  });

  it('tells PNG, JPEG and WebP apart', () => {
    assert.equal(imageMimeType(png), 'image/png');
    assert.equal(imageMimeType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0])), 'image/jpeg');
    assert.equal(imageMimeType(Buffer.from('RIFF0000WEBPVP8 ')), 'image/webp');
  });
});
