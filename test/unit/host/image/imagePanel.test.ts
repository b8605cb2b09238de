import assert from 'node:assert/strict';
import { imagePanelHtml, parseImagePanelMessage } from '../../../../src/host/image/imagePanelHtml';
import { imageQualityChoices, imageSizeChoices } from '../../../../src/host/image/imageOptions';

const view = {
  imageDataUrl: 'data:image/png;base64,iVBORw0KGgo=',
  prompt: 'a <script>alert(1)</script> fox',
  revisedPrompt: 'A fox "quoted" & <b>bold</b>',
  generator: 'DALL·E',
};

describe('host image panel', () => {
  it('has a strict CSP: nothing but the nonce script and style, images from data: URLs', () => {
    const html = imagePanelHtml(view, 'NONCE123', 'vscode-resource:');
    assert.match(
      html,
      /content="default-src 'none'; img-src data: vscode-resource:; style-src 'nonce-NONCE123'; script-src 'nonce-NONCE123';"/,
    );
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="NONCE123">/);
    assert.match(html, /<style nonce="NONCE123">/);
  });

  it('escapes the prompt and the revised prompt', () => {
    const html = imagePanelHtml(view, 'n', 'c');
    assert.ok(!html.includes('<script>alert'));
    assert.ok(html.includes('a &lt;script&gt;alert(1)&lt;/script&gt; fox'));
    assert.ok(html.includes('A fox &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;'));
  });

  it('embeds only base64 image data', () => {
    assert.throws(
      () => imagePanelHtml({ ...view, imageDataUrl: 'https://example.com/x.png' }, 'n', 'c'),
      /only shows base64 image data/,
    );
    assert.throws(() => imagePanelHtml({ ...view, imageDataUrl: 'data:image/png;base64,AAA" onerror="x' }, 'n', 'c'));
  });

  it('accepts only its three messages from the webview', () => {
    assert.deepEqual(parseImagePanelMessage({ type: 'save' }), { type: 'save' });
    assert.deepEqual(parseImagePanelMessage({ type: 'regenerate', extra: 1 }), { type: 'regenerate' });
    for (const bad of [null, 'save', { type: 'delete' }, { type: ['save'] }])
      assert.equal(parseImagePanelMessage(bad), undefined);
  });

  it('offers the sizes and qualities each model accepts', () => {
    assert.deepEqual(imageSizeChoices('dall-e-3'), ['1024x1024', '1792x1024', '1024x1792']);
    assert.deepEqual(imageQualityChoices('dall-e-2'), []);
    assert.deepEqual(imageSizeChoices('unknown-model'), []);
  });
});
