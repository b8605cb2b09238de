// The webview's defences, checked on what the host really generates and the renderer really produces: the CSP of
// both pages (nonce scripts only, no unsafe-inline/unsafe-eval, no remote loads), hostile model output rendered
// inert in a jsdom page that would run scripts and load resources if any got through (whole and streamed in
// pieces), and prompt-derived image paths that cannot leave the workspace.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { JSDOM, requestInterceptor } from 'jsdom';
import { chatWebviewHtml, contentSecurityPolicy } from '../../../src/host/chat/webviewHtml';
import { imageSavePath, resolveInsideWorkspace, slugFromPrompt } from '../../../src/host/image/imageFiles';
import { imagePanelHtml } from '../../../src/host/image/imagePanelHtml';
import { createMarkdownRenderer } from '../../../webview/markdown';
import { MarkdownBlockSplitter } from '../../../webview/markdownBlocks';
import { hostilePayloads } from './hostilePayloads';
import { prng } from '../../helpers/fuzzInputs';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

/** The directives of a CSP string, as a map of name -> sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/** What every page of ours must satisfy: the CSP meta is first, scripts need this page's nonce, nothing loads from the web. */
function assertStrictPage(html: string): void {
  const dom = new JSDOM(html);
  const document = dom.window.document;
  const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  assert.ok(meta, 'the page has a CSP');
  const csp = meta.getAttribute('content')!;
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|strict-dynamic|\*/, csp);
  const policy = directives(csp);
  assert.deepEqual(policy.get('default-src'), ["'none'"]);
  const nonce = /'nonce-([^']+)'/.exec(policy.get('script-src')?.join(' ') ?? '')?.[1];
  assert.ok(nonce && Buffer.from(nonce, 'base64').length >= 16, `script-src needs a nonce of 128 bits or more: ${csp}`);
  assert.deepEqual(policy.get('script-src'), [`'nonce-${nonce}'`], 'scripts: the nonce only');
  for (const [name, sources] of policy) {
    for (const source of sources)
      assert.ok(!/^https?:/.test(source) || source === CSP_SOURCE, `${name} allows a remote origin: ${source}`);
  }
  assert.ok(
    !(policy.get('img-src') ?? []).some((s) => s === 'https:' || s === 'http:'),
    'images only from the extension or data:',
  );
  for (const script of document.querySelectorAll('script')) {
    assert.equal(script.getAttribute('nonce'), nonce, 'every script carries the nonce');
    assert.equal(
      script.textContent?.trim() ?? '',
      script.hasAttribute('src') ? '' : script.textContent?.trim(),
      'no inline code beside a src',
    );
  }
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of Array.from(element.attributes))
      assert.doesNotMatch(attribute.name, /^on/i, `inline handler on ${element.tagName}`);
  }
}

/** Every resource a jsdom page asks for is recorded here and answered empty: nothing reaches the network. */
function recordingResources(requested: string[]) {
  return {
    interceptors: [
      requestInterceptor((request) => {
        requested.push(request.url);
        return Promise.resolve(new Response(''));
      }),
    ],
  };
}

describe('reliability: webview security', function () {
  this.timeout(30_000);

  describe('content security policy', () => {
    it('chat page: nonce-only scripts, no unsafe-inline/unsafe-eval, nothing remote, a fresh nonce per page', () => {
      const options = {
        cspSource: CSP_SOURCE,
        scriptUri: `${CSP_SOURCE}/dist/webview.js`,
        styleUri: `${CSP_SOURCE}/media/chat.css`,
      };
      const first = chatWebviewHtml(options);
      const second = chatWebviewHtml(options);
      assertStrictPage(first);
      const nonceOf = (html: string) => /nonce-([^']+)'/.exec(html)?.[1];
      assert.notEqual(nonceOf(first), nonceOf(second));
      const policy = directives(contentSecurityPolicy(CSP_SOURCE, 'n0nce'));
      for (const name of ['connect-src', 'frame-src', 'form-action', 'base-uri'])
        assert.deepEqual(policy.get(name), ["'none'"], name);
      assert.deepEqual(policy.get('img-src'), [CSP_SOURCE, 'data:']);
    });

    it('chat page: a hostile resource URI cannot break out of its attribute', () => {
      const html = chatWebviewHtml({
        cspSource: CSP_SOURCE,
        scriptUri: `${CSP_SOURCE}/x.js"><script>alert(1)</script>`,
        styleUri: `${CSP_SOURCE}/y.css"onload="alert(1)`,
      });
      assertStrictPage(html);
      assert.equal(new JSDOM(html).window.document.querySelectorAll('script').length, 1);
    });

    it('image panel: nonce-only script and style, the image only as data:, hostile prompts escaped', () => {
      const nonce = Buffer.from('0123456789abcdef0123').toString('base64');
      const hostile = hostilePayloads.slice(0, 12).join(' ');
      const html = imagePanelHtml(
        { imageDataUrl: PNG, prompt: hostile, revisedPrompt: `${hostile} revised`, generator: '<b>DALL-E</b>' },
        nonce,
        CSP_SOURCE,
      );
      assertStrictPage(html);
      const document = new JSDOM(html).window.document;
      assert.equal(document.querySelectorAll('img').length, 1);
      assert.equal(document.querySelector('img')?.getAttribute('src'), PNG);
      assert.equal(document.querySelectorAll('iframe, svg, object, embed, a, base, link').length, 0);
      assert.throws(
        () =>
          imagePanelHtml(
            { imageDataUrl: 'https://evil.example/x.png', prompt: 'p', revisedPrompt: '', generator: 'g' },
            nonce,
            CSP_SOURCE,
          ),
        /only shows base64 image data/,
      );
    });
  });

  describe(`hostile model output (${hostilePayloads.length} payloads)`, () => {
    let requested: string[];
    let dom: JSDOM;
    let render: (markdown: string) => DocumentFragment;

    beforeEach(() => {
      requested = [];
      dom = new JSDOM('<!DOCTYPE html><body></body>', {
        runScripts: 'dangerously',
        resources: recordingResources(requested),
        url: 'https://webview.test/',
      });
      const window = dom.window as unknown as Window & typeof globalThis;
      (window as unknown as Record<string, unknown>).alert = () =>
        ((window as unknown as Record<string, unknown>).pwned = 'alert');
      render = createMarkdownRenderer(window).render;
    });
    afterEach(() => dom.window.close());

    /** Lets queued event handlers (onerror, onload, ontoggle, autofocus) fire if any survived. */
    async function settle(): Promise<void> {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    }

    function assertInert(container: Element, what: string): void {
      const window = dom.window as unknown as Record<string, unknown>;
      assert.equal(window.pwned, undefined, `${what}: a script ran`);
      assert.equal(
        container.querySelectorAll(
          'script, iframe, frame, object, embed, link, meta, base, style, form, input, button, svg, math, template, video, audio',
        ).length,
        0,
        `${what}: ${container.innerHTML.slice(0, 300)}`,
      );
      for (const element of container.querySelectorAll('*')) {
        for (const attribute of Array.from(element.attributes)) {
          assert.doesNotMatch(
            attribute.name,
            /^on|^(style|srcset|ping|formaction|action|background|poster|xlink:href)$/i,
            `${what}: kept ${attribute.name} on ${element.outerHTML.slice(0, 200)}`,
          );
          assert.doesNotMatch(
            attribute.value,
            /^\s*(javascript|vbscript|data:text|file|command|vscode):/i,
            `${what}: kept a dangerous URL in ${element.outerHTML.slice(0, 200)}`,
          );
        }
        if (element.tagName === 'IMG')
          assert.ok(
            !element.hasAttribute('src') ||
              /^data:image\/(png|jpeg|gif|webp);base64,/.test(element.getAttribute('src')!),
            `${what}: remote image ${element.outerHTML}`,
          );
        if (element.tagName === 'A' && element.hasAttribute('href'))
          assert.match(element.getAttribute('href')!, /^(https?:|mailto:)/i, `${what}: ${element.outerHTML}`);
      }
      assert.deepEqual(requested, [], `${what}: the page requested a resource`);
    }

    it('renders every payload whole without running anything or requesting anything', async () => {
      const document = dom.window.document;
      for (const [i, payload] of hostilePayloads.entries()) {
        const container = document.createElement('div');
        container.append(render(payload));
        document.body.append(container);
        await settle();
        assertInert(container, `payload ${i}`);
      }
    });

    it('renders every payload streamed in random pieces, as the reply view paints it (blocks + tail), equally inert', async () => {
      const random = prng(7);
      const document = dom.window.document;
      for (const [i, payload] of hostilePayloads.entries()) {
        const container = document.createElement('div');
        document.body.append(container);
        const splitter = new MarkdownBlockSplitter();
        for (let at = 0; at < payload.length;) {
          const size = 1 + Math.floor(random() * 12);
          for (const block of splitter.push(payload.slice(at, at + size))) container.append(render(block));
          at += size;
          // Between frames the tail is shown as plain text, never parsed.
          const tail = document.createTextNode(splitter.tail);
          container.append(tail);
          tail.remove();
        }
        const last = splitter.finish();
        if (last) container.append(render(last));
        await settle();
        assertInert(container, `payload ${i} streamed`);
      }
    });

    it('still renders what is harmless: https links, inline data images, code as text', () => {
      const container = dom.window.document.createElement('div');
      container.append(
        render(
          `[docs](https://example.com/docs) ![dot](${PNG})\n\n\`\`\`html\n<script>window.pwned=1</script>\n\`\`\``,
        ),
      );
      assert.equal(container.querySelector('a')?.getAttribute('href'), 'https://example.com/docs');
      assert.equal(container.querySelector('img')?.getAttribute('src'), PNG);
      assert.equal(container.querySelector('code')?.textContent, '<script>window.pwned=1</script>\n');
    });
  });

  describe('image saves stay inside the workspace', () => {
    let workspace: string;
    before(async () => {
      workspace = await mkdtemp(join(tmpdir(), 'reliability-images-'));
    });
    after(() => rm(workspace, { recursive: true, force: true }));

    const escapes = [
      '../evil',
      '../../etc/passwd',
      '..',
      '/etc/passwd',
      'images/../../x.png',
      `..${sep}..${sep}x`,
      'a/../../b',
      '~/x',
      'C:\\Windows\\x',
      '\\\\server\\share\\x',
      'images/\u0000../x',
      '%2e%2e/x',
      '....//x',
      './../x',
    ];

    it('prompt-derived file names are slugs: no separators, dots or traversal survive', async () => {
      for (const prompt of [...escapes, ...hostilePayloads.slice(0, 20), 'x'.repeat(10_000), '', '...']) {
        const slug = slugFromPrompt(prompt);
        assert.match(slug, /^[a-z0-9]+(-[a-z0-9]+)*$/, `slug of ${JSON.stringify(prompt.slice(0, 40))}: ${slug}`);
        assert.ok(slug.length <= 60);
        const file = await imageSavePath(workspace, prompt, async () => false);
        const inside = relative(workspace, file);
        assert.ok(
          !inside.startsWith('..') && !isAbsolute(inside) && inside.startsWith(`images${sep}`),
          `${prompt.slice(0, 40)} -> ${file}`,
        );
      }
    });

    it('a relative path that would leave the workspace is refused', () => {
      let refused = 0;
      for (const path of escapes) {
        try {
          const file = resolveInsideWorkspace(workspace, path);
          const inside = relative(workspace, file);
          assert.ok(inside !== '' && !inside.startsWith('..') && !isAbsolute(inside), `${path} escaped to ${file}`);
        } catch (error) {
          assert.match((error as Error).message, /inside the workspace folder only/);
          refused++;
        }
      }
      assert.ok(refused >= 8, `only ${refused} refused`);
    });
  });
});
