// The source messages a group has read but not finished (acked, skipped or parked), ordered
// by sequence, so the lowest one - which decides the checkpoint - is found in O(log n).
// Finished messages are dropped lazily when they reach the top.
import type { SubscriptionMessage } from './message.ts';

export class PendingHeap {
  private readonly items: SubscriptionMessage[] = [];

  add(message: SubscriptionMessage): void {
    const items = this.items;
    items.push(message);
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (items[parent]!.sequence! <= message.sequence!) break;
      items[at] = items[parent]!;
      at = parent;
    }
    items[at] = message;
  }

  /** The unfinished message with the lowest sequence. */
  lowest(): SubscriptionMessage | undefined {
    while (this.items.length > 0 && this.items[0]!.done) this.pop();
    return this.items[0];
  }

  clear(): void {
    this.items.length = 0;
  }

  private pop(): void {
    const items = this.items;
    const last = items.pop()!;
    if (items.length === 0) return;
    let at = 0;
    const size = items.length;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && items[right]!.sequence! < items[left]!.sequence! ? right : left;
      if (items[child]!.sequence! >= last.sequence!) break;
      items[at] = items[child]!;
      at = child;
    }
    items[at] = last;
  }
}
