// ReadResp messages for reads and catch-up subscriptions, encoded by hand: the event bytes
// are stored already encoded, so a read is mostly a copy. Field numbers from streams.proto.
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../event-store.ts';
import { LINK_EVENT_TYPE } from '../event-store.ts';
import { encodeMessage, ProtobufWriter } from '../protobuf-writer.ts';

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

/** The ReadEvent message (event, link, position) for the event at a global index. */
export const encodeReadEvent = (store: EventStore, index: number, options: ReadEventOptions): Buffer => {
  const w = new ProtobufWriter();
  const isLink = options.resolveLinks && store.typeAt(index) === LINK_EVENT_TYPE;
  if (isLink) {
    const target = resolveLink(store, index);
    if (target !== undefined) w.messageField(1, store.bytesAt(target));
    w.messageField(2, store.bytesAt(index));
  } else {
    w.messageField(1, store.bytesAt(index));
  }
  if (options.withCommitPosition) w.uint64Field(3, store.positionAt(index));
  else w.messageField(4, EMPTY);
  if (options.retryCount !== undefined) w.uint64Field(5, options.retryCount);
  return w.finish();
};

export const eventResp = (store: EventStore, index: number, options: ReadEventOptions): Buffer =>
  encodeMessage((w) => w.messageField(1, encodeReadEvent(store, index, options)));
