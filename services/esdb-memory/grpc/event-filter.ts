// Server-side filters for `$all` reads and subscriptions: on stream name or event type,
// by prefixes or by a regular expression.
import type { EventStore } from '../event-store.ts';
import type { ReadReq } from '../proto.ts';
import { MalformedRequest } from './errors.ts';

type FilterOptions = NonNullable<ReturnType<NonNullable<ReturnType<ReadReq['getOptions']>>['getFilter']>>;

export interface EventFilter {
  matches(store: EventStore, index: number): boolean;
  /** Send a checkpoint after this many events were searched (window × multiplier). */
  checkpointInterval: number;
}

/** The server's page size, used as search window when the client asks for `count`. */
const DEFAULT_SEARCH_WINDOW = 32;

export const eventFilterOf = (options: FilterOptions): EventFilter => {
  const onStreamName = options.hasStreamIdentifier();
  const expression = onStreamName ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) throw new MalformedRequest('A filter needs a stream-name or event-type expression.');
  const prefixes = expression.getPrefixList();
  const regexText = expression.getRegex();
  let test: (value: string) => boolean;
  if (prefixes.length > 0) test = (value) => prefixes.some((p) => value.startsWith(p));
  else if (regexText) {
    let regex: RegExp;
    try {
      regex = new RegExp(regexText);
    } catch {
      throw new MalformedRequest(`'${regexText}' is not a valid regular expression.`);
    }
    test = (value) => regex.test(value);
  } else throw new MalformedRequest('A filter expression needs prefixes or a regex.');
  const window = options.hasMax() && options.getMax() > 0 ? options.getMax() : DEFAULT_SEARCH_WINDOW;
  const multiplier = Math.max(1, options.getCheckpointintervalmultiplier());
  return {
    matches: onStreamName
      ? (store, index) => test(store.streamNameAt(index))
      : (store, index) => test(store.typeAt(index)),
    checkpointInterval: window * multiplier,
  };
};
