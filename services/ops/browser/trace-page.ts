import { eventHref, eventLine } from './event-html.ts';
import { formatJson, html, type SafeHtml } from './html.ts';
import type { EventView } from '../stream-reader.ts';
import { metadataText } from './store-reads.ts';
import type { Trace } from './trace.ts';

const causeText = (step: Trace['steps'][number]): SafeHtml => {
  if (step.cause !== undefined) return html`caused by <a href="${eventHref(step.cause)}">#${step.cause.revision} ${step.cause.type}</a>`;
  const causation = metadataText(step.event, '$causationId');
  return causation !== undefined ? html`caused by ${causation} (a command or an event outside this chain)` : html`no $causationId`;
};

/** The chain as an indented list, the traced event marked; each step's data folds out. */
export function tracePage(origin: EventView, trace: Trace): SafeHtml {
  const steps = trace.steps.map(
    (step) => html`<li class="step${step.event.eventId === origin.eventId ? ' current' : ''}" data-stream="${step.event.stream}" data-revision="${step.event.revision}"
style="margin-left: ${step.depth * 2}rem">${step.event.eventId === origin.eventId ? html`<strong>▶ ${eventLine(step.event)}</strong>` : eventLine(step.event)}
· ${causeText(step)}
<details><summary>data</summary><pre>${formatJson(step.event.data)}</pre></details></li>`,
  );
  return html`<p>Correlation: <code>${trace.correlationId ?? '(none)'}</code> · ${trace.steps.length} event(s), causes before effects, each branch in commit order.</p>
<p class="note">Found through ${trace.source}.</p>
<ol class="trace" id="trace">${steps}</ol>`;
}
