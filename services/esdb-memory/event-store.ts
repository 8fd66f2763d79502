// The embedded server's storage engine: one global ordered log (what `$all` reads) and a
// per-stream index of it. Appends are checked against expected revisions and deduplicated
// by event id the way EventStoreDB does; with a DurableLog attached, events become visible
// to readers only once they are on disk, so nobody ever reads an event a crash could lose.
import { randomUUID } from 'node:crypto';
import { ByteArena, float64Column, uint32Column } from './columns.ts';
import type { DurableLog } from './durable-log.ts';
import { decodeRecordedEvent, encodeRecordedEvent, eventIdOf, type RecordFields } from './recorded-event.ts';
import {
  DELETED_STREAM,
  DELETED_STREAM_TEXT,
  isMetastream,
  METADATA_EVENT_TYPE,
  metastreamOf,
  METASTREAM_MAX_COUNT,
  NO_METADATA,
  originalStreamOf,
  parseStreamMetadata,
  type StreamMetadata,
  withTruncateBefore,
} from './stream-metadata.ts';

export const TOMBSTONE_EVENT_TYPE = '$streamDeleted';
export const LINK_EVENT_TYPE = '$>';

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

export type ExpectedRevision =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'exact'; revision: number };

export type WriteOutcome =
  | { status: 'success'; lastRevision: number; position: number | undefined }
  | { status: 'wrong-expected-version'; currentRevision: number | undefined }
  | { status: 'stream-deleted' };

interface StreamState {
  readonly index: number;
  readonly name: string;
  /** Global indices of this stream's events; an event's revision is its place in this list. */
  readonly events: number[];
  /** Global index of the `$streamDeleted` tombstone, or -1. */
  tombstone: number;
  metadata: StreamMetadata;
}

/** Event ids remembered for idempotent appends with expected revision "any". */
const RECENT_EVENT_IDS = 200_000;
/** Gaps between positions, so they look and behave like log byte offsets. */
const RECORD_OVERHEAD = 64;
const FIRST_POSITION = 0;

export class EventStore {
  private readonly arena = new ByteArena();
  private readonly streamOf = uint32Column();
  private readonly revisionOf = float64Column();
  private readonly positionOf = float64Column();
  private readonly createdMsOf = float64Column();
  private readonly typeOf = uint32Column();
  private readonly chunkOf = uint32Column();
  private readonly offsetOf = uint32Column();
  private readonly lengthOf = uint32Column();
  private readonly types: string[] = [];
  private readonly typeIndex = new Map<string, number>();
  private readonly streams: StreamState[] = [];
  private readonly streamIndex = new Map<string, StreamState>();
  private readonly recentIds = new Map<string, number>();
  private readonly recentIdRing: Array<string | undefined> = [];
  private recentIdsWritten = 0;
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;
  private written = 0;
  private visible = 0;
  private nextPosition = FIRST_POSITION;

  constructor(private readonly durableLog?: DurableLog) {}

  /** Rebuilds the indexes from records recovered from disk (no writes, no notifications). */
  recover(records: Iterable<Uint8Array>): void {
    for (const bytes of records) this.ingest(decodeRecordedEvent(bytes), Buffer.from(bytes));
    this.visible = this.written;
  }

  /** Number of events readers may see (all of them in memory mode; only fsynced ones with --db). */
  get visibleCount(): number {
    return this.visible;
  }

  get isEmpty(): boolean {
    return this.written === 0;
  }

  /** Called (batched, asynchronously) whenever new events become visible. */
  onVisible(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- reading one event by global index -------------------------------------------------

  bytesAt(index: number): Buffer {
    return this.arena.view(this.chunkOf.get(index), this.offsetOf.get(index), this.lengthOf.get(index));
  }

  positionAt(index: number): number {
    return this.positionOf.get(index);
  }

  revisionAt(index: number): number {
    return this.revisionOf.get(index);
  }

  typeAt(index: number): string {
    return this.types[this.typeOf.get(index)]!;
  }

  streamNameAt(index: number): string {
    return this.streams[this.streamOf.get(index)]!.name;
  }

  createdMsAt(index: number): number {
    return this.createdMsOf.get(index);
  }

  eventIdAt(index: number): string {
    return eventIdOf(this.bytesAt(index));
  }

  /** First global index whose position is >= `position` (binary search; positions only grow). */
  indexAtOrAfter(position: number): number {
    let low = 0;
    let high = this.visible;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.positionOf.get(mid) < position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The last visible position, the end of `$all`. */
  get lastPosition(): number {
    return this.visible === 0 ? 0 : this.positionOf.get(this.visible - 1);
  }

  // ---- reading streams ---------------------------------------------------------------------

  /** What a stream read sees: why it cannot be read, or which revisions are visible. */
  streamView(name: string, nowMs = Date.now()): StreamView {
    const stream = this.streamIndex.get(name);
    if (this.isTombstoned(name, this.visible)) return { kind: 'deleted' };
    if (!stream) return { kind: 'not-found' };
    const events = this.visibleEvents(stream);
    const metadata = isMetastream(name) ? this.metastreamMetadata() : stream.metadata;
    if (events.length === 0 || metadata.softDeleted) return { kind: 'not-found' };
    const last = events.length - 1;
    let first = 0;
    if (metadata.truncateBefore !== undefined) first = Math.max(first, metadata.truncateBefore);
    if (metadata.maxCount !== undefined) first = Math.max(first, last - metadata.maxCount + 1);
    if (metadata.maxAgeSeconds !== undefined) {
      const oldestAllowed = nowMs - metadata.maxAgeSeconds * 1000;
      while (first <= last && this.createdMsOf.get(events[first]!) < oldestAllowed) first++;
    }
    return { kind: 'found', events, first, last };
  }

  /** Global index of `revision` in `name`, if that event exists and is visible (for resolving links). */
  indexOf(name: string, revision: number): number | undefined {
    const view = this.streamView(name);
    if (view.kind !== 'found' || revision < view.first || revision > view.last) return undefined;
    return view.events[revision];
  }

  lastRevisionOf(name: string): number | undefined {
    const stream = this.streamIndex.get(name);
    if (!stream || stream.events.length === 0) return undefined;
    return stream.events.length - 1;
  }

  private visibleEvents(stream: StreamState): number[] {
    const events = stream.events;
    if (events.length === 0 || events[events.length - 1]! < this.visible) return events;
    let end = events.length;
    while (end > 0 && events[end - 1]! >= this.visible) end--;
    return events.slice(0, end);
  }

  private metastreamMetadata(): StreamMetadata {
    return { ...NO_METADATA, maxCount: METASTREAM_MAX_COUNT };
  }

  // ---- writing -----------------------------------------------------------------------------

  append(streamName: string, events: ProposedEvent[], expected: ExpectedRevision): Promise<WriteOutcome> {
    const stream = this.streamIndex.get(streamName);
    const check = this.checkCommit(streamName, stream, events, expected);
    if (check.status !== 'write') return this.onceWrittenDurably(check.outcome);
    const wasSoftDeleted = stream?.metadata.softDeleted ?? false;
    const originalWasSoftDeleted = isMetastream(streamName) && this.streamIndex.get(originalStreamOf(streamName))?.metadata.softDeleted === true;
    const firstRevision = this.lastRevisionOfState(stream) + 1;
    const nowMs = Date.now();
    const records: Buffer[] = [];
    for (let i = 0; i < events.length; i++) {
      // Listed field by field: spreading the caller's object (of whatever shape) is a slow path in V8.
      const { id, type, contentType, data, metadata } = events[i]!;
      records.push(this.write({ id, type, contentType, data, metadata, streamName, revision: firstRevision + i, createdMs: nowMs }));
    }
    if (events.length > 0 && wasSoftDeleted) records.push(...this.softUndelete(streamName, firstRevision, nowMs));
    if (events.length > 0 && originalWasSoftDeleted) records.push(...this.undeleteFromMetastream(streamName, nowMs));
    // Not re-read after the writes: a metadata write may add a `$tb` fix-up that the caller never asked for.
    const lastRevision = firstRevision + events.length - 1;
    const position = events.length > 0 ? this.positionOf.get(this.written - 1 - (records.length - events.length)) : undefined;
    return this.commit(records, { status: 'success', lastRevision, position });
  }

  /** Soft delete: the stream reads as not found, and can be written to again later. */
  deleteStream(streamName: string, expected: ExpectedRevision): Promise<WriteOutcome> {
    const stream = this.streamIndex.get(streamName);
    // Since EventStoreDB 21.10 a stream that never existed (no events, no metadata) cannot be soft-deleted.
    if (!this.everCreated(stream)) return Promise.resolve({ status: 'wrong-expected-version', currentRevision: undefined });
    const check = this.checkCommit(streamName, stream, [], expected);
    if (check.status !== 'write') return Promise.resolve(check.outcome);
    const raw = this.latestRawMetadata(streamName);
    const record = this.writeMetadata(streamName, withTruncateBefore(raw, DELETED_STREAM_TEXT), Date.now());
    return this.commit([record], {
      status: 'success',
      lastRevision: this.lastRevisionOfState(stream),
      position: this.positionOf.get(this.written - 1),
    });
  }

  /** Hard delete: a `$streamDeleted` tombstone; the stream can never be read or written again. */
  tombstoneStream(streamName: string, expected: ExpectedRevision): Promise<WriteOutcome> {
    const stream = this.streamIndex.get(streamName);
    const check = this.checkCommit(streamName, stream, [], expected);
    if (check.status !== 'write') return Promise.resolve(check.outcome);
    const record = this.write({
      id: randomUUID(),
      streamName,
      revision: DELETED_STREAM,
      type: TOMBSTONE_EVENT_TYPE,
      contentType: 'application/octet-stream',
      createdMs: Date.now(),
      data: new Uint8Array(0),
      metadata: new Uint8Array(0),
    });
    return this.commit([record], {
      status: 'success',
      lastRevision: this.lastRevisionOfState(stream),
      position: this.positionOf.get(this.written - 1),
    });
  }

  private lastRevisionOfState(stream: StreamState | undefined): number {
    return stream ? stream.events.length - 1 : -1;
  }

  /** Tombstoned by a record below `limit`; a metastream shares its original stream's tombstone. */
  private isTombstoned(name: string, limit: number): boolean {
    const tombstone = this.streamIndex.get(isMetastream(name) ? originalStreamOf(name) : name)?.tombstone ?? -1;
    return tombstone >= 0 && tombstone < limit;
  }

  /**
   * A retry acknowledged as idempotent vouches for events that may still be on their way to disk;
   * it is answered only once everything written so far is durable.
   */
  private onceWrittenDurably(outcome: WriteOutcome): Promise<WriteOutcome> {
    if (outcome.status !== 'success' || !this.durableLog || this.visible === this.written) return Promise.resolve(outcome);
    return this.durableLog.append([]).then(() => outcome);
  }

  /** A stream "exists" for stream_exists and soft delete once it has events or metadata. */
  private everCreated(stream: StreamState | undefined): boolean {
    if (!stream) return false;
    return stream.events.length > 0 || (this.streamIndex.get(metastreamOf(stream.name))?.events.length ?? 0) > 0;
  }

  /**
   * EventStoreDB's commit check: does the expected revision allow this write, or is it a retry of
   * events already written at that place (then it succeeds again without writing anything)?
   */
  private checkCommit(
    streamName: string,
    stream: StreamState | undefined,
    events: ProposedEvent[],
    expected: ExpectedRevision,
  ): { status: 'write' } | { status: 'done'; outcome: WriteOutcome } {
    if (this.isTombstoned(streamName, this.written)) return { status: 'done', outcome: { status: 'stream-deleted' } };
    const current = this.lastRevisionOfState(stream);
    const softDeleted = stream?.metadata.softDeleted ?? false;
    const wrong: WriteOutcome = {
      status: 'wrong-expected-version',
      currentRevision: current < 0 ? undefined : current,
    };
    const done = (outcome: WriteOutcome) => ({ status: 'done' as const, outcome });
    const idempotentFrom = (revision: number) => {
      const match = this.matchExisting(stream, revision, events);
      if (match === 'all') return done(this.idempotentOutcome(stream!, revision + events.length - 1));
      return match === 'some' ? done(wrong) : undefined;
    };
    switch (expected.kind) {
      case 'stream_exists':
        if (softDeleted) return done({ status: 'stream-deleted' });
        if (!this.everCreated(stream)) return done(wrong);
        return this.checkRetryWithAny(stream, events, wrong);
      case 'any':
        return this.checkRetryWithAny(stream, events, wrong);
      case 'no_stream':
        if (current < 0 || softDeleted) return { status: 'write' };
        return idempotentFrom(0) ?? done(wrong);
      case 'exact':
        if (expected.revision === current) return { status: 'write' };
        if (expected.revision < current) return idempotentFrom(expected.revision + 1) ?? done(wrong);
        return done(wrong);
    }
  }

  /**
   * EventStoreDB's idempotency check for expected revision "any": every event id is looked up among
   * recently written events. The first one unknown (or in another stream) → a new write; all known in
   * this stream → a retry, acknowledged with the last one's revision; only some known → wrong expected version.
   */
  private checkRetryWithAny(
    stream: StreamState | undefined,
    events: ProposedEvent[],
    wrong: WriteOutcome,
  ): { status: 'write' } | { status: 'done'; outcome: WriteOutcome } {
    if (!stream || events.length === 0) return { status: 'write' };
    let last = -1;
    for (let i = 0; i < events.length; i++) {
      const index = this.recentIds.get(events[i]!.id);
      if (index === undefined || this.streamOf.get(index) !== stream.index) {
        return i === 0 ? { status: 'write' } : { status: 'done', outcome: wrong };
      }
      last = index;
    }
    return {
      status: 'done',
      outcome: { status: 'success', lastRevision: this.revisionOf.get(last), position: this.positionOf.get(last) },
    };
  }

  private matchExisting(stream: StreamState | undefined, from: number, events: ProposedEvent[]): 'all' | 'some' | 'none' {
    if (!stream || events.length === 0) return 'none';
    let matched = 0;
    for (let i = 0; i < events.length; i++) {
      const index = stream.events[from + i];
      if (index === undefined || this.eventIdAt(index) !== events[i]!.id) break;
      matched++;
    }
    if (matched === events.length) return 'all';
    return matched > 0 ? 'some' : 'none';
  }

  private idempotentOutcome(stream: StreamState, lastRevision: number): WriteOutcome {
    return { status: 'success', lastRevision, position: this.positionOf.get(stream.events[lastRevision]!) };
  }

  private latestRawMetadata(streamName: string): Uint8Array | undefined {
    const meta = this.streamIndex.get(metastreamOf(streamName));
    const last = meta?.events[meta.events.length - 1];
    return last === undefined ? undefined : decodeRecordedEvent(this.bytesAt(last)).data;
  }

  private writeMetadata(streamName: string, data: Buffer, createdMs: number): Buffer {
    const metastream = metastreamOf(streamName);
    return this.write({
      id: randomUUID(),
      streamName: metastream,
      revision: this.lastRevisionOfState(this.streamIndex.get(metastream)) + 1,
      type: METADATA_EVENT_TYPE,
      contentType: 'application/json',
      createdMs,
      data,
      metadata: new Uint8Array(0),
    });
  }

  /** Writing to a soft-deleted stream recreates it: `$tb` moves to the first new revision. */
  private softUndelete(streamName: string, recreateFrom: number, createdMs: number): Buffer[] {
    const raw = this.latestRawMetadata(streamName);
    return [this.writeMetadata(streamName, withTruncateBefore(raw, String(recreateFrom)), createdMs)];
  }

  /** New metadata for a soft-deleted stream undeletes it too, keeping what was there hidden. */
  private undeleteFromMetastream(metastream: string, createdMs: number): Buffer[] {
    const original = this.streamIndex.get(originalStreamOf(metastream));
    if (!original || original.metadata.softDeleted) return [];
    const raw = this.latestRawMetadata(original.name);
    const recreateFrom = String(original.events.length);
    return [this.writeMetadata(original.name, withTruncateBefore(raw, recreateFrom), createdMs)];
  }

  /** Encodes, indexes and stores one event; returns its bytes for the durable log. */
  private write(fields: Omit<RecordFields, 'position'>): Buffer {
    const record: RecordFields = { ...fields, position: this.nextPosition };
    const bytes = encodeRecordedEvent(record);
    this.ingest(record, bytes);
    return bytes;
  }

  private ingest(fields: RecordFields, bytes: Buffer): void {
    const index = this.written++;
    const stream = this.streamFor(fields.streamName);
    const location = this.arena.add(bytes);
    this.streamOf.set(index, stream.index);
    this.positionOf.set(index, fields.position);
    this.createdMsOf.set(index, fields.createdMs);
    this.typeOf.set(index, this.internType(fields.type));
    this.chunkOf.set(index, location.chunk);
    this.offsetOf.set(index, location.offset);
    this.lengthOf.set(index, bytes.length);
    this.nextPosition = fields.position + bytes.length + RECORD_OVERHEAD;
    if (fields.revision === DELETED_STREAM || fields.type === TOMBSTONE_EVENT_TYPE) {
      stream.tombstone = index;
      this.revisionOf.set(index, Number.MAX_SAFE_INTEGER);
      return;
    }
    this.revisionOf.set(index, Number(fields.revision));
    stream.events.push(index);
    this.rememberId(fields.id, index);
    if (isMetastream(fields.streamName) && fields.type === METADATA_EVENT_TYPE) {
      this.streamFor(originalStreamOf(fields.streamName)).metadata = parseStreamMetadata(fields.data);
    }
  }

  /** Keeps the first event written with an id, as EventStoreDB's committed-events cache does. */
  private rememberId(id: string, index: number): void {
    if (this.recentIds.has(id)) return;
    // A ring of the remembered ids in insertion order says which one to forget. Asking the Map for
    // its oldest key instead costs a scan over every slot deleted since the Map last rehashed.
    const slot = this.recentIdsWritten++ % RECENT_EVENT_IDS;
    const forgotten = this.recentIdRing[slot];
    if (forgotten !== undefined) this.recentIds.delete(forgotten);
    this.recentIdRing[slot] = id;
    this.recentIds.set(id, index);
  }

  private streamFor(name: string): StreamState {
    let stream = this.streamIndex.get(name);
    if (!stream) {
      stream = { index: this.streams.length, name, events: [], tombstone: -1, metadata: NO_METADATA };
      this.streams.push(stream);
      this.streamIndex.set(name, stream);
    }
    return stream;
  }

  private internType(type: string): number {
    let index = this.typeIndex.get(type);
    if (index === undefined) {
      index = this.types.length;
      this.types.push(type);
      this.typeIndex.set(type, index);
    }
    return index;
  }

  /** Makes written records visible: at once in memory mode, after fsync with a durable log. */
  private async commit(records: Buffer[], outcome: WriteOutcome): Promise<WriteOutcome> {
    const upTo = this.written;
    if (this.durableLog && records.length > 0) await this.durableLog.append(records);
    if (upTo > this.visible) {
      this.visible = upTo;
      this.scheduleNotify();
    }
    return outcome;
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    });
  }
}

export type StreamView =
  | { kind: 'not-found' }
  | { kind: 'deleted' }
  /** `events[revision]` is the global index; revisions `first..last` are visible. */
  | { kind: 'found'; events: readonly number[]; first: number; last: number };
