import { href, html, SafeHtml } from './html.ts';

/** The categories the home page and the navigation offer; any other can be typed in. */
export const KNOWN_CATEGORIES = ['account', 'transfer'] as const;

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1d1d1f; }
header { background: #1f3a5f; color: #fff; padding: .6rem 1rem; display: flex; gap: 1.5rem; align-items: center; }
header a { color: #fff; }
main { padding: 1rem; max-width: 80rem; }
.columns { display: flex; gap: 1.5rem; align-items: flex-start; }
.columns > section { flex: 1; min-width: 0; }
aside { width: 20rem; border: 1px solid #ccd; padding: .5rem 1rem; background: #f6f8fb; }
article.event { border: 1px solid #ccd; margin: .6rem 0; padding: .4rem .8rem; }
article.event.current { border: 2px solid #c60; }
pre { background: #f4f4f4; padding: .4rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; } td, th { padding: .2rem .6rem; text-align: left; border-bottom: 1px solid #dde; }
.note { color: #555; font-style: italic; }
.error { color: #a00; }
.trace li { margin: .3rem 0; }
nav.pager { display: flex; gap: 1rem; margin: .8rem 0; }
`;

/** The whole document around a page's content. */
export function page(title: string, content: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · Ledgerline stream browser</title>
<style>${new SafeHtml(STYLE)}</style></head>
<body><header><strong><a href="/">Ledgerline streams</a></strong>
${KNOWN_CATEGORIES.map((category) => html`<a href="${href('/streams', { category })}">${category}</a>`)}
<form action="/stream" method="get"><input name="name" placeholder="stream name" aria-label="stream name" required> <button>Open</button></form>
</header>
<main><h1>${title}</h1>
${content}</main></body></html>`.text;
}
