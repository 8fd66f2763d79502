// A group's parked stream, `$persistentsubscription-<stream>::<group>-parked`: one `$>` link per
// parked event ("<revision>@<stream>", metadata: when, why, the subscription's event number).
// Replaying reads the links from the start of the stream and then truncates it (`$tb`) past
// what was replayed, so the parked count is what is left.
import type { EventStore } from '../event-store.ts';
import { LINK_EVENT_TYPE } from '../event-store.ts';
import { decodeRecordedEvent } from '../recorded-event.ts';
import { eventIndexOf, type SubscriptionMessage } from './message.ts';
import { ADMINS_ONLY_ACL, deleteIfPresent, proposedEvent, serverJson, writeStreamMetadata } from './system-writes.ts';

export const parkedStreamOf = (groupKey: string): string => `$persistentsubscription-${groupKey}-parked`;

export class ParkedMessages {
  constructor(
    private readonly store: EventStore,
    readonly name: string,
  ) {}

  async park(message: SubscriptionMessage, reason: string): Promise<void> {
    const metadata: Record<string, unknown> = { added: new Date().toISOString(), reason };
    const subscriptionEventNumber = this.store.revisionAt(message.index);
    if (subscriptionEventNumber !== 0) metadata['subscriptionEventNumber'] = subscriptionEventNumber;
    const link = proposedEvent(LINK_EVENT_TYPE, Buffer.from(this.linkTo(message), 'utf8'), {
      json: false,
      metadata: serverJson(metadata),
    });
    await this.store.append(this.name, [link], { kind: 'any' });
  }

  /** How many parked events have not been replayed yet. */
  get count(): number {
    const view = this.store.streamView(this.name);
    return view.kind === 'found' ? view.last - view.first + 1 : 0;
  }

  /** Global indices of the parked links to replay (numbers below `stopAt`), and where the replay ends. */
  toReplay(stopAt: number | undefined): { indices: number[]; end: number } | undefined {
    const view = this.store.streamView(this.name);
    if (view.kind !== 'found') return undefined;
    const end = stopAt === undefined ? view.last + 1 : Math.min(stopAt, view.last + 1);
    const indices: number[] = [];
    for (let revision = view.first; revision < end; revision++) indices.push(view.events[revision]!);
    return { indices, end };
  }

  /** Marks links below `end` as replayed: they no longer count and are not replayed again. */
  async markReplayed(end: number): Promise<void> {
    await writeStreamMetadata(this.store, this.name, { $tb: end, $acl: ADMINS_ONLY_ACL });
  }

  delete(): Promise<void> {
    return deleteIfPresent(this.store, this.name);
  }

  /** Points at the event itself; a link that could not be resolved keeps pointing where it pointed. */
  private linkTo(message: SubscriptionMessage): string {
    const index = eventIndexOf(message);
    if (message.resolveLinks && message.resolvedIndex === undefined && this.store.typeAt(index) === LINK_EVENT_TYPE) {
      return Buffer.from(decodeRecordedEvent(this.store.bytesAt(index)).data).toString('utf8');
    }
    return `${this.store.revisionAt(index)}@${this.store.streamNameAt(index)}`;
  }
}
