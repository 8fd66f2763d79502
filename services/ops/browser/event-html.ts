import type { EventView } from '../stream-reader.ts';
import { formatJson, href, html, type SafeHtml } from './html.ts';

export const streamHref = (stream: string, from?: number | string): string => href('/stream', { name: stream, from });
export const eventHref = (event: Pick<EventView, 'stream' | 'revision'>): string => href('/event', { stream: event.stream, revision: event.revision });
export const traceHref = (event: Pick<EventView, 'stream' | 'revision'>): string => href('/trace', { stream: event.stream, revision: event.revision });

export const timeHtml = (at: string): SafeHtml => html`<time datetime="${at}">${at}</time>`;

/** One event in full: number, type, time, data and metadata as indented JSON. */
export function renderEvent(event: EventView, options: { current?: boolean } = {}): SafeHtml {
  return html`<article class="event${options.current ? ' current' : ''}" id="event-${event.revision}" data-revision="${event.revision}">
<h3><a href="${eventHref(event)}">#${event.revision} ${event.type}</a></h3>
<p>${timeHtml(event.created)} · in <a href="${streamHref(event.stream)}">${event.stream}</a> · id ${event.eventId} · <a href="${traceHref(event)}">Trace</a></p>
<h4>Data</h4><pre class="data">${formatJson(event.data)}</pre>
<h4>Metadata</h4><pre class="metadata">${formatJson(event.metadata)}</pre>
</article>`;
}

/** A one-line reference to an event, for lists. */
export const eventLine = (event: EventView): SafeHtml =>
  html`<a href="${eventHref(event)}">#${event.revision} ${event.type}</a> in <a href="${streamHref(event.stream)}">${event.stream}</a> at ${timeHtml(event.created)}`;
