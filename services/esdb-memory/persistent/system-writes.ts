// The events the subsystem writes for itself (configuration, checkpoints, parked links and the
// metadata of those streams), and how it reads the last one back.
import { randomUUID } from 'node:crypto';
import type { EventStore, ProposedEvent } from '../event-store.ts';
import { decodeRecordedEvent } from '../recorded-event.ts';
import { METADATA_EVENT_TYPE, metastreamOf } from '../stream-metadata.ts';

/** The server serializes with Newtonsoft: camelCase, indented, defaults left out. */
export const serverJson = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 2), 'utf8');

export const proposedEvent = (
  type: string,
  data: Uint8Array,
  options: { json?: boolean; metadata?: Uint8Array } = {},
): ProposedEvent => ({
  id: randomUUID(),
  type,
  contentType: options.json === false ? 'application/octet-stream' : 'application/json',
  data,
  metadata: options.metadata ?? new Uint8Array(0),
});

/** Stream metadata as the server writes it for its own streams (`$maxCount`, `$tb`, `$acl`). */
export const writeStreamMetadata = async (store: EventStore, stream: string, metadata: Record<string, unknown>): Promise<void> => {
  await store.append(metastreamOf(stream), [proposedEvent(METADATA_EVENT_TYPE, serverJson(metadata))], { kind: 'any' });
};

/** The data of the last readable event of a stream, if the stream can be read. */
export const lastEventData = (store: EventStore, stream: string): { type: string; data: Uint8Array } | undefined => {
  const view = store.streamView(stream);
  if (view.kind !== 'found') return undefined;
  const record = decodeRecordedEvent(store.bytesAt(view.events[view.last]!));
  return { type: record.type, data: record.data };
};

/** Soft-deletes one of the subsystem's streams if it exists, as the server does on group deletion. */
export const deleteIfPresent = async (store: EventStore, stream: string): Promise<void> => {
  if (store.streamView(stream).kind === 'found') await store.deleteStream(stream, { kind: 'any' });
};

export const ADMINS_ONLY_ACL = { $r: '$admins', $w: '$admins', $d: '$admins', $mr: '$admins', $mw: '$admins' };
