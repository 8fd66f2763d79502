// ReadResp messages for reads and catch-up subscriptions, encoded by hand: the event bytes
// are stored already encoded, so a read is mostly a copy. Field numbers from streams.proto.
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../event-store.ts';
import { LINK_EVENT_TYPE } from '../event-store.ts';
import { encodeMessage, lengthDelimitedSize, SizedWriter, varintSize } from '../protobuf-writer.ts';

const EMPTY = new Uint8Array(0);

export const confirmationResp = (subscriptionId = randomUUID()): Buffer =>
  encodeMessage((w) => w.messageField(2, encodeMessage((c) => c.stringField(1, subscriptionId))));

export const checkpointResp = (position: number): Buffer =>
  encodeMessage((w) =>
    w.messageField(3, encodeMessage((c) => c.uint64Field(1, position).uint64Field(2, position))),
  );

export const streamNotFoundResp = (streamName: string): Buffer =>
  encodeMessage((w) =>
    w.messageField(
      4,
      encodeMessage((nf) => nf.messageField(1, encodeMessage((id) => id.stringField(3, streamName)))),
    ),
  );

export const caughtUpResp = (): Buffer => encodeMessage((w) => w.messageField(8, EMPTY));

/** Where a link event (`$>`, data "revision@stream") points, if that event still exists. */
export const resolveLink = (store: EventStore, index: number): number | undefined => {
  const text = store.bytesAt(index);
  const data = decodeData(text);
  const at = data.indexOf('@');
  if (at <= 0) return undefined;
  const revision = Number(data.slice(0, at));
  if (!Number.isInteger(revision)) return undefined;
  return store.indexOf(data.slice(at + 1), revision);
};

/** The data field (8) is the last one we encode, so its bytes run to the end of the record. */
const decodeData = (record: Buffer): string => {
  // Walk the record's fields to find field 8 rather than trusting its place.
  let offset = 0;
  while (offset < record.length) {
    const { value: tag, next } = readVarint(record, offset);
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    offset = next;
    if (wireType === 0) {
      offset = readVarint(record, offset).next;
      continue;
    }
    const { value: length, next: start } = readVarint(record, offset);
    if (field === 8) return record.toString('utf8', start, start + length);
    offset = start + length;
  }
  return '';
};

const readVarint = (bytes: Buffer, offset: number): { value: number; next: number } => {
  let value = 0;
  let scale = 1;
  let i = offset;
  for (;;) {
    const byte = bytes[i++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return { value, next: i };
    scale *= 128;
  }
};

export interface ReadEventOptions {
  resolveLinks: boolean;
  /** Reads of `$all` and subscriptions carry the commit position; stream reads do not. */
  withCommitPosition: boolean;
  /** Persistent subscriptions add the delivery's retry count (field 5). */
  retryCount?: number;
}

/** What a ReadEvent message holds: the event (or a link's target), the link itself, position, retry count. */
interface ReadEventParts {
  event: Buffer | undefined;
  link: Buffer | undefined;
  commitPosition: number | undefined;
  retryCount: number | undefined;
}

const readEventParts = (store: EventStore, index: number, options: ReadEventOptions): ReadEventParts => {
  const isLink = options.resolveLinks && store.typeAt(index) === LINK_EVENT_TYPE;
  const target = isLink ? resolveLink(store, index) : index;
  return {
    event: target === undefined ? undefined : store.bytesAt(target),
    link: isLink ? store.bytesAt(index) : undefined,
    commitPosition: options.withCommitPosition ? store.positionAt(index) : undefined,
    retryCount: options.retryCount,
  };
};

const readEventSize = (parts: ReadEventParts): number =>
  (parts.event ? lengthDelimitedSize(parts.event.length) : 0) +
  (parts.link ? lengthDelimitedSize(parts.link.length) : 0) +
  (parts.commitPosition === undefined ? lengthDelimitedSize(0) : 1 + varintSize(parts.commitPosition)) +
  (parts.retryCount === undefined ? 0 : 1 + varintSize(parts.retryCount));

const writeReadEvent = (w: SizedWriter, parts: ReadEventParts): void => {
  if (parts.event) w.bytesField(1, parts.event);
  if (parts.link) w.bytesField(2, parts.link);
  if (parts.commitPosition === undefined) w.header(4, 0);
  else w.uint64Field(3, parts.commitPosition);
  if (parts.retryCount !== undefined) w.uint64Field(5, parts.retryCount);
};

/**
 * ReadResp { event: ReadEvent { event, link, commit_position | no_position, retry_count } } for the
 * event at a global index, written straight into one buffer: this runs once per event per reader.
 * Persistent subscriptions' ReadResp has the same shape and uses it too.
 */
export const eventResp = (store: EventStore, index: number, options: ReadEventOptions): Buffer => {
  const parts = readEventParts(store, index, options);
  const size = readEventSize(parts);
  const w = new SizedWriter(lengthDelimitedSize(size));
  w.header(1, size);
  writeReadEvent(w, parts);
  return w.finish();
};
