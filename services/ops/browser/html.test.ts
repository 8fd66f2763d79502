import { describe, expect, it } from 'vitest';
import { href, html } from './html.ts';

describe('html templates', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const value = `<script>alert("x")</script>' onmouseover='x' &amp;`;
    expect(html`<p title="${value}">${value}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#39; &amp;amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#39; &amp;amp;</p>',
    );
  });

  it('keeps nested templates as markup, joins lists, and leaves out null, undefined and false', () => {
    const items = ['<a>', 'b'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.text).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>0');
  });

  it('builds links whose parameters cannot break out of the query', () => {
    expect(html`<a href="${href('/stream', { name: 'a&b="c"', from: 3n, skip: undefined })}">`.text).toBe('<a href="/stream?name=a%26b%3D%22c%22&amp;from=3">');
  });
});
