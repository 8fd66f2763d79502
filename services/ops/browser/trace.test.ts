import { describe, expect, it } from 'vitest';
import type { EventView } from '../stream-reader.ts';
import { causationOrder } from './trace.ts';

const event = (id: string, causedBy: string): EventView => ({
  stream: `s-${id}`, revision: 0, position: null, eventId: id, type: `T${id}`, created: new Date(0).toISOString(), data: {},
  metadata: { $correlationId: 'c', $causationId: causedBy },
});
const shown = (events: EventView[]) => causationOrder(events).map((step) => `${'  '.repeat(step.depth)}${step.event.eventId}<${step.cause?.eventId ?? '-'}`);

describe('causation order of a trace', () => {
  it('puts each effect right under its cause, a cause before its effects, siblings in commit order', () => {
    // Commit order interleaves two branches of one request: b and d were both caused by a.
    const events = [event('a', 'cmd'), event('b', 'a'), event('d', 'a'), event('c', 'b'), event('e', 'd')];
    expect(shown(events)).toEqual(['a<-', '  b<a', '    c<b', '  d<a', '    e<d']);
  });

  it('starts a new root for each event caused by something outside the chain', () => {
    expect(shown([event('a', 'cmd-1'), event('b', 'cmd-2'), event('c', 'a')])).toEqual(['a<-', '  c<a', 'b<-']);
  });

  it('still shows every event of a causation cycle, once each', () => {
    expect(shown([event('a', 'b'), event('b', 'a'), event('c', 'c')])).toEqual(['c<-', 'a<b', '  b<a']);
  });
});
