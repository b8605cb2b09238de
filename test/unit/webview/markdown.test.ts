import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { createMarkdownRenderer, type MarkdownRenderer } from '../../../webview/markdown';

/** Renders like the webview does, into a jsdom page that would run scripts if any got through. */
function setup(): { dom: JSDOM; renderer: MarkdownRenderer; show(markdown: string): HTMLElement } {
  const dom = new JSDOM('<!DOCTYPE html><body></body>', { runScripts: 'dangerously' });
  const window = dom.window as unknown as Window & typeof globalThis;
  const renderer = createMarkdownRenderer(window);
  return {
    dom,
    renderer,
    show(markdown) {
      const container = window.document.createElement('div');
      container.append(renderer.render(markdown));
      window.document.body.append(container);
      return container;
    },
  };
}

describe('chat markdown rendering (sanitized model output)', () => {
  it('renders ordinary Markdown', () => {
    const { show } = setup();
    const html = show(
      '# Title\n\nSome **bold** and `code`, a [link](https://example.com/a?b=1).\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    ).innerHTML;
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<code>code<\/code>/);
    assert.match(
      html,
      /<a href="https:\/\/example.com\/a\?b=1" rel="noopener noreferrer" title="https:\/\/example.com\/a\?b=1">link<\/a>/,
    );
    assert.match(html, /<li>two<\/li>/);
    assert.match(html, /<td>2<\/td>/);
  });

  it('renders hostile HTML inert: shown as text, no script, no event handler, no script or local link, nothing runs', () => {
    const { dom, show } = setup();
    const window = dom.window as unknown as Record<string, unknown>;
    const hostile = [
      '<script>window.pwned = 1</script>',
      '<img src=x onerror="window.pwned = 2">',
      '<svg><script>window.pwned = 3</script></svg>',
      '<a href="javascript:window.pwned=4">click</a>',
      '[md link](javascript:window.pwned=5)',
      '<iframe src="https://evil.example"></iframe>',
      '<div onclick="window.pwned=6" style="position:fixed">x</div>',
      '<form action="https://evil.example"><input name=a><button>go</button></form>',
      '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
      '<details open ontoggle="window.pwned=7">d</details>',
      '<style>body{display:none}</style>',
      '<meta http-equiv="refresh" content="0;url=https://evil.example">',
      '<base href="https://evil.example/">',
      '[ok](https://ok.example)',
      '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox) [file](file:///etc/passwd) [cmd](command:workbench.action.quit)',
    ].join('\n\n');
    const container = show(hostile);
    const html = container.innerHTML;
    assert.equal(
      container.querySelectorAll('script, iframe, svg, form, input, button, style, meta, base, math').length,
      0,
      html,
    );
    for (const element of container.querySelectorAll('*')) {
      for (const attribute of Array.from(element.attributes)) {
        assert.doesNotMatch(attribute.name, /^on/i, `event handler kept: ${element.outerHTML}`);
        assert.doesNotMatch(attribute.value, /javascript:/i, `script URL kept: ${element.outerHTML}`);
      }
    }
    assert.equal(container.querySelector('[style]'), null);
    assert.equal(container.querySelector('[target]'), null);
    assert.equal(container.querySelector('[ping]'), null);
    assert.equal(container.querySelector('a[href="https://ok.example"]')?.textContent, 'ok');
    assert.match(container.textContent ?? '', /<script>window\.pwned = 1<\/script>/, 'raw HTML is shown as text');
    assert.match(container.textContent ?? '', /<img src=x onerror="window\.pwned = 2">/);
    for (const link of container.querySelectorAll('a'))
      if (link.textContent !== 'ok') assert.equal(link.getAttribute('href'), null);
    for (const element of container.querySelectorAll('details, div')) (element as HTMLElement).click();
    assert.equal(window.pwned, undefined);
  });

  it('blocks remote images (tracking beacons) but keeps inline data images', () => {
    const { show } = setup();
    const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const container = show(
      `![beacon](https://evil.example/track.png?user=1)\n\n![relative](//evil.example/x.gif)\n\n![pixel](data:image/png;base64,${pixel})\n\n![svg](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)`,
    );
    const images = Array.from(container.querySelectorAll('img'));
    assert.equal(images.length, 4);
    const [beacon, protocolRelative, inline, svg] = images;
    assert.equal(beacon.getAttribute('src'), null);
    assert.equal(beacon.getAttribute('data-blocked'), 'remote');
    assert.match(beacon.getAttribute('alt')!, /image not loaded: beacon/);
    assert.equal(protocolRelative.getAttribute('src'), null);
    assert.equal(inline.getAttribute('src'), `data:image/png;base64,${pixel}`);
    assert.equal(svg.getAttribute('src'), null, 'SVG data images can carry script');
  });

  it('highlights fenced code by language, keeping the code text exact', () => {
    const { show } = setup();
    const code = 'const greet = (name: string) => `hi ${name}`; // <b>not bold</b>';
    const container = show(`\`\`\`typescript\n${code}\n\`\`\`\n\n\`\`\`unknown-lang\nplain <i>text</i>\n\`\`\``);
    const [highlighted, plain] = Array.from(container.querySelectorAll('pre > code'));
    assert.equal(highlighted.textContent, `${code}\n`);
    assert.ok(highlighted.classList.contains('hljs'));
    assert.ok(highlighted.querySelector('.hljs-keyword'), highlighted.innerHTML);
    assert.equal(highlighted.querySelector('b'), null);
    assert.equal(plain.textContent, 'plain <i>text</i>\n');
    assert.equal(plain.querySelector('i'), null);
  });
});
