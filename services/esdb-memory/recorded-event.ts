// How one stored event looks on the wire: the `RecordedEvent` message that both the streams
// and the persistent-subscriptions protocols embed (their field numbers are identical).
import { lengthDelimitedSize, SizedWriter, varintSize } from './protobuf-writer.ts';
import { streams } from './proto.ts';

/** .NET ticks (100 ns) per millisecond: the server reports `created` in ticks since the Unix epoch. */
const TICKS_PER_MS = 10_000;

export interface RecordFields {
  id: string;
  streamName: string;
  revision: number | bigint;
  position: number;
  type: string;
  contentType: string;
  createdMs: number;
  data: Uint8Array;
  metadata: Uint8Array;
}

const TYPE_KEY = 'type';
const CONTENT_TYPE_KEY = 'content-type';
const CREATED_KEY = 'created';

/** A `map<string, string>` entry is a message { 1: key, 2: value }. */
const mapEntrySize = (key: string, valueBytes: number): number =>
  lengthDelimitedSize(key.length) + lengthDelimitedSize(valueBytes);

const writeMapEntry = (w: SizedWriter, key: string, value: string, valueBytes: number): void => {
  w.header(6, mapEntrySize(key, valueBytes)).stringField(1, key, key.length).stringField(2, value, valueBytes);
};

/** Encodes into one buffer sized up front: this runs once per appended event. */
export const encodeRecordedEvent = (r: RecordFields): Buffer => {
  const created = String(Math.round(r.createdMs) * TICKS_PER_MS);
  const idBytes = Buffer.byteLength(r.id, 'utf8');
  const nameBytes = Buffer.byteLength(r.streamName, 'utf8');
  const typeBytes = Buffer.byteLength(r.type, 'utf8');
  const contentTypeBytes = Buffer.byteLength(r.contentType, 'utf8');
  const idMessage = lengthDelimitedSize(idBytes);
  const streamMessage = lengthDelimitedSize(nameBytes);
  const typeEntry = mapEntrySize(TYPE_KEY, typeBytes);
  const contentTypeEntry = mapEntrySize(CONTENT_TYPE_KEY, contentTypeBytes);
  const createdEntry = mapEntrySize(CREATED_KEY, created.length);
  const size =
    lengthDelimitedSize(idMessage) +
    lengthDelimitedSize(streamMessage) +
    1 + varintSize(r.revision) +
    2 * (1 + varintSize(r.position)) +
    lengthDelimitedSize(typeEntry) +
    lengthDelimitedSize(contentTypeEntry) +
    lengthDelimitedSize(createdEntry) +
    lengthDelimitedSize(r.metadata.length) +
    lengthDelimitedSize(r.data.length);

  const w = new SizedWriter(size);
  w.header(1, idMessage).stringField(2, r.id, idBytes);
  w.header(2, streamMessage).stringField(3, r.streamName, nameBytes);
  w.uint64Field(3, r.revision).uint64Field(4, r.position).uint64Field(5, r.position);
  writeMapEntry(w, TYPE_KEY, r.type, typeBytes);
  writeMapEntry(w, CONTENT_TYPE_KEY, r.contentType, contentTypeBytes);
  writeMapEntry(w, CREATED_KEY, created, created.length);
  w.bytesField(7, r.metadata).bytesField(8, r.data);
  return w.finish();
};

/** Decodes stored bytes back into fields; used when recovering from disk, not on hot paths. */
export const decodeRecordedEvent = (bytes: Uint8Array): RecordFields => {
  const msg = streams.ReadResp.ReadEvent.RecordedEvent.deserializeBinary(bytes);
  const meta = msg.getMetadataMap();
  const revisionText = msg.getStreamRevision();
  const revision = BigInt(revisionText) > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(revisionText) : Number(revisionText);
  return {
    id: msg.getId()!.getString(),
    streamName: Buffer.from(msg.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8'),
    revision,
    position: Number(msg.getCommitPosition()),
    type: meta.get('type') ?? '',
    contentType: meta.get('content-type') ?? 'application/octet-stream',
    createdMs: Number(BigInt(meta.get('created') ?? '0') / BigInt(TICKS_PER_MS)),
    data: msg.getData_asU8(),
    metadata: msg.getCustomMetadata_asU8(),
  };
};

/** The event id sits first in every record we encode: field 1 { field 2: 36-char string }. */
export const eventIdOf = (bytes: Buffer): string => bytes.toString('latin1', 4, 40);
