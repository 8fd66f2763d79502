// How one stored event looks on the wire: the `RecordedEvent` message that both the streams
// and the persistent-subscriptions protocols embed (their field numbers are identical).
import { ProtobufWriter, encodeMessage } from './protobuf-writer.ts';
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

const mapEntry = (key: string, value: string): Buffer =>
  encodeMessage((w) => w.stringField(1, key).stringField(2, value));

export const encodeRecordedEvent = (r: RecordFields): Buffer => {
  const w = new ProtobufWriter();
  w.messageField(1, encodeMessage((id) => id.stringField(2, r.id)));
  w.messageField(2, encodeMessage((sid) => sid.stringField(3, r.streamName)));
  w.uint64Field(3, r.revision);
  w.uint64Field(4, r.position);
  w.uint64Field(5, r.position);
  w.messageField(6, mapEntry('type', r.type));
  w.messageField(6, mapEntry('content-type', r.contentType));
  w.messageField(6, mapEntry('created', String(Math.round(r.createdMs) * TICKS_PER_MS)));
  w.bytesField(7, r.metadata);
  w.bytesField(8, r.data);
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
