// A group's checkpoint stream, `$persistentsubscription-<stream>::<group>-checkpoint`:
// `$SubscriptionCheckpoint` events whose data is the position as a JSON string ("\"5\"",
// "\"C:1234/P:1234\""), the stream capped at two events by its metadata. One write at a time:
// a checkpoint asked for while one is being written is dropped, as the server does.
import type { EventStore } from '../event-store.ts';
import { deleteIfPresent, lastEventData, proposedEvent, writeStreamMetadata } from './system-writes.ts';

const CHECKPOINT_TYPES = new Set(['$SubscriptionCheckpoint', 'SubscriptionCheckpoint']);

export const checkpointStreamOf = (groupKey: string): string => `$persistentsubscription-${groupKey}-checkpoint`;

export class CheckpointStream {
  private writing = false;

  constructor(
    private readonly store: EventStore,
    readonly name: string,
  ) {}

  /** The last checkpoint's position text, if there is one. */
  read(): string | undefined {
    const last = lastEventData(this.store, this.name);
    if (!last || !CHECKPOINT_TYPES.has(last.type)) return undefined;
    try {
      const parsed: unknown = JSON.parse(Buffer.from(last.data).toString('utf8'));
      return typeof parsed === 'string' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  write(position: string): void {
    if (this.writing) return;
    this.writing = true;
    void this.append(position).finally(() => {
      this.writing = false;
    });
  }

  delete(): Promise<void> {
    return deleteIfPresent(this.store, this.name);
  }

  private async append(position: string): Promise<void> {
    if (this.store.streamView(this.name).kind !== 'found') {
      await writeStreamMetadata(this.store, this.name, {
        $maxCount: 2,
        $acl: { $r: '$admins', $w: '$admins', $d: '$admins', $mr: '$all', $mw: '$admins' },
      });
    }
    const data = Buffer.from(JSON.stringify(position), 'utf8');
    await this.store.append(this.name, [proposedEvent('$SubscriptionCheckpoint', data)], { kind: 'any' });
  }
}
