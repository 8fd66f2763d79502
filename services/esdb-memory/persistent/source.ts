// What a group reads, and how its positions look: a stream (positions are revisions, written
// "5") or `$all` (positions are log positions, written "C:<commit>/P:<prepare>"). Both kinds of
// position are plain numbers here; -1 means "the end" for a start and "nothing" otherwise.
import type { EventStore } from '../event-store.ts';
import { indexFilterOf, type AllFilterDto, type IndexFilter } from './all-filter.ts';

export const ALL_STREAM = '$all';

export interface ScannedRecord {
  /** Global index of the record in the store. */
  index: number;
  position: number;
}

export interface SubscriptionSource {
  readonly name: string;
  readonly isAll: boolean;
  readonly filter: AllFilterDto | undefined;
  format(position: number): string;
  parse(text: string): number | undefined;
  /** The cursor (next record to look at) for a start position; -1 starts at the current end. */
  cursorForStart(start: number): number;
  /** The cursor just after a checkpointed position. */
  cursorAfter(position: number): number;
  /**
   * Visits records from `cursor` until `room` matching ones were taken or the source ends.
   * `skipped` counts records passed over by the filter. Returns the new cursor.
   */
  scan(cursor: number, room: number, take: (record: ScannedRecord) => void, skipped: (position: number) => void): number;
  /** True when the cursor is at the current end of the source. */
  atEnd(cursor: number): boolean;
}

export const streamSource = (store: EventStore, name: string): SubscriptionSource => ({
  name,
  isAll: false,
  filter: undefined,
  format: (position) => String(position),
  parse: (text) => (/^-?\d+$/.test(text) ? Number(text) : undefined),
  cursorForStart: (start) => (start >= 0 ? start : (store.lastRevisionOf(name) ?? -1) + 1),
  cursorAfter: (position) => position + 1,
  scan(cursor, room, take) {
    const view = store.streamView(name);
    if (view.kind !== 'found') return cursor;
    let revision = Math.max(cursor, view.first);
    for (; revision <= view.last && room > 0; revision++, room--) take({ index: view.events[revision]!, position: revision });
    return revision;
  },
  atEnd(cursor) {
    const last = store.lastRevisionOf(name);
    return last === undefined || cursor > last;
  },
});

const ALL_POSITION = /^C:(-?\d+)\/P:(-?\d+)$/;

export const allSource = (store: EventStore, filter: AllFilterDto | undefined): SubscriptionSource => {
  const allowed: IndexFilter = indexFilterOf(filter);
  return {
    name: ALL_STREAM,
    isAll: true,
    filter,
    format: (position) => `C:${position}/P:${position}`,
    parse: (text) => {
      const match = ALL_POSITION.exec(text);
      return match ? Number(match[1]) : undefined;
    },
    cursorForStart: (start) => (start >= 0 ? store.indexAtOrAfter(start) : store.visibleCount),
    cursorAfter(position) {
      const index = store.indexAtOrAfter(position);
      return index < store.visibleCount && store.positionAt(index) === position ? index + 1 : index;
    },
    scan(cursor, room, take, skipped) {
      const end = store.visibleCount;
      let index = cursor;
      for (; index < end && room > 0; index++) {
        if (allowed(store, index)) {
          take({ index, position: store.positionAt(index) });
          room--;
        } else skipped(store.positionAt(index));
      }
      return index;
    },
    atEnd: (cursor) => cursor >= store.visibleCount,
  };
};
