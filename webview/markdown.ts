// Model output -> safe DOM. Model text is hostile input: it is parsed by `marked`, then everything the panel does
// not need is removed by DOMPurify before it touches the page. The CSP (no inline script, images only from the
// extension or data:) is the second line of defence, not the first.
import createDOMPurify, { type DOMPurify } from 'dompurify';
import hljs from 'highlight.js/lib/common';
import { Marked } from 'marked';

/** Images in replies render only when inline (data:) raster images; a remote URL would be a tracking beacon. */
const INLINE_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*$/;
/** Links must be web or mail addresses; the host opens them outside the webview. */
const SAFE_LINK = /^(?:https?:|mailto:)/i;

export interface MarkdownRenderer {
  /** Sanitized DOM for a piece of Markdown, with code blocks highlighted. */
  render(markdown: string): DocumentFragment;
}

/** `window` is the webview's (or a test's DOM window): DOMPurify needs one to parse with. */
export function createMarkdownRenderer(window: Window & typeof globalThis): MarkdownRenderer {
  const purify = createDOMPurify(window);
  configurePurify(purify);
  // Raw HTML in model output is shown as the text it is, never parsed as markup; DOMPurify still checks the rest.
  const marked = new Marked({
    gfm: true,
    breaks: false,
    async: false,
    renderer: { html: ({ text }) => escapeHtml(text) },
  });
  return {
    render(markdown: string): DocumentFragment {
      const html = marked.parse(markdown, { async: false });
      const fragment = purify.sanitize(html, {
        RETURN_DOM_FRAGMENT: true,
        USE_PROFILES: { html: true },
        FORBID_TAGS: [
          'style',
          'form',
          'input',
          'button',
          'textarea',
          'select',
          'option',
          'iframe',
          'frame',
          'object',
          'embed',
          'video',
          'audio',
          'source',
          'track',
          'picture',
          'link',
          'meta',
          'base',
          'dialog',
          'template',
        ],
        FORBID_ATTR: [
          'style',
          'srcset',
          'target',
          'formaction',
          'action',
          'ping',
          'background',
          'poster',
          'xlink:href',
        ],
        ALLOW_DATA_ATTR: false,
      });
      highlightCode(fragment, purify);
      return fragment;
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function configurePurify(purify: DOMPurify): void {
  purify.addHook('afterSanitizeAttributes', (node) => {
    const element = node as Element;
    if (element.tagName === 'A') {
      const href = element.getAttribute('href') ?? '';
      if (SAFE_LINK.test(href)) {
        element.setAttribute('rel', 'noopener noreferrer');
        element.setAttribute('title', href);
      } else {
        element.removeAttribute('href');
      }
    } else if (element.tagName === 'IMG') {
      const src = element.getAttribute('src') ?? '';
      if (!INLINE_IMAGE.test(src)) {
        element.removeAttribute('src');
        element.setAttribute('data-blocked', 'remote');
        element.setAttribute('alt', `[image not loaded: ${element.getAttribute('alt') || 'remote image'}]`);
      }
    }
  });
}

/** Highlights each fenced block; highlight.js escapes the code it returns, and the result is sanitized again anyway. */
function highlightCode(fragment: DocumentFragment, purify: DOMPurify): void {
  for (const code of Array.from(fragment.querySelectorAll('pre > code'))) {
    const language = /(?:^|\s)language-([\w+#-]+)/.exec(code.className)?.[1];
    const text = code.textContent ?? '';
    const result =
      language && hljs.getLanguage(language) ? hljs.highlight(text, { language, ignoreIllegals: true }) : undefined;
    if (!result) continue;
    code.innerHTML = purify.sanitize(result.value, { ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'] });
    code.classList.add('hljs');
  }
}
