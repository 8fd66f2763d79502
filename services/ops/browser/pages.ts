import type { CategoryListing } from './category-streams.ts';
import { renderEvent, streamHref, timeHtml, traceHref } from './event-html.ts';
import type { EventView } from '../stream-reader.ts';
import { href, html, type SafeHtml } from './html.ts';
import { KNOWN_CATEGORIES } from './layout.ts';

export function homePage(): SafeHtml {
  return html`<p>Read any stream backwards (newest first), open an event, and trace a request across streams.</p>
<h2>Categories</h2><ul>${KNOWN_CATEGORIES.map((category) => html`<li><a href="${href('/streams', { category })}">${category}</a></li>`)}</ul>
<form action="/streams" method="get"><label>Other category <input name="category" required></label> <button>List</button></form>`;
}

export function categoryPage(category: string, listing: CategoryListing): SafeHtml {
  const rows = listing.streams.map(
    (activity) => html`<tr><td><a href="${streamHref(activity.stream)}">${activity.stream}</a></td>
<td>#${activity.lastRevision} ${activity.lastType}</td><td>${timeHtml(activity.lastAt)}</td></tr>`,
  );
  return html`<p class="note">Most recently active first (at most ${listing.streamLimit}), from ${listing.source}.</p>
${rows.length === 0
    ? html`<p>No ${category} streams found.</p>`
    : html`<table id="streams"><tr><th>Stream</th><th>Last event</th><th>At</th></tr>${rows}</table>`}`;
}

export interface StreamPageView {
  readonly stream: string;
  readonly events: readonly EventView[];
  /** Where this page started (undefined: the end of the stream). */
  readonly from: string | undefined;
  /** Where the next (older) page starts; null when there are no older events. */
  readonly older: string | null;
  readonly aside: SafeHtml | undefined;
}

export function streamPage({ stream, events, from, older, aside }: StreamPageView): SafeHtml {
  const pager = html`<nav class="pager">
${from === undefined ? '' : html`<a href="${streamHref(stream)}" rel="first">Newest</a>`}
${older === null ? html`<span>No older events</span>` : html`<a href="${streamHref(stream, older)}" rel="next">Older events</a>`}</nav>`;
  const section = html`<section>
<form action="/stream" method="get"><input type="hidden" name="name" value="${stream}">
<label>Jump to event number <input name="from" inputmode="numeric" pattern="[0-9]+" required></label> <button>Go</button></form>
<p class="note">Newest first${from === undefined ? '' : html`, from event #${from}`}.</p>
${events.length === 0 ? html`<p>No events at or before ${from ?? 'the end'}.</p>` : events.map((event) => renderEvent(event))}
${pager}</section>`;
  return aside === undefined ? section : html`<div class="columns">${section}${aside}</div>`;
}

export function eventPage(event: EventView): SafeHtml {
  return html`<p>In <a href="${streamHref(event.stream, event.revision)}">${event.stream}</a> ·
<a href="${traceHref(event)}">Trace this event</a></p>${renderEvent(event, { current: true })}`;
}

export const messagePage = (message: string): SafeHtml => html`<p class="error">${message}</p>`;
