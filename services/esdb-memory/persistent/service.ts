// The persistent-subscriptions subsystem (the server's PersistentSubscriptionService): the groups
// by key "<stream>::<group>", their definitions saved to the configuration stream, a clock tick
// for timeouts and time-based checkpoints, and new events handed to every group.
import type { EventStore } from '../event-store.ts';
import { loadConfig, saveConfig } from './config.ts';
import { SubscriptionGroup, type GroupDefinition } from './group.ts';

/** The server ticks once a second; ticking faster only makes timeouts and checkpoints more punctual. */
const TICK_MS = 100;

export type ChangeOutcome = 'done' | 'exists' | 'does-not-exist';

const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const groupKeyOf = (stream: string, groupName: string): string => `${stream}::${groupName}`;

export class PersistentSubscriptionService {
  private groups = new Map<string, SubscriptionGroup>();
  /** Streams that ever had a group: the server answers "not found" for the others when listing. */
  private readonly topics = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly store: EventStore) {}

  start(): void {
    for (const definition of loadConfig(this.store)) this.addGroup(definition);
    this.unsubscribe = this.store.onVisible(() => {
      for (const group of this.groups.values()) group.onAppended();
    });
    this.timer = setInterval(() => {
      const now = Date.now();
      for (const group of this.groups.values()) group.tick(now);
    }, TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
    for (const group of this.groups.values()) group.close();
  }

  /** Drops every consumer and rebuilds all groups from the stored configuration. */
  restart(): void {
    for (const group of this.groups.values()) group.close();
    this.groups = new Map();
    for (const definition of loadConfig(this.store)) this.addGroup(definition);
  }

  get(stream: string, groupName: string): SubscriptionGroup | undefined {
    return this.groups.get(groupKeyOf(stream, groupName));
  }

  has(stream: string, groupName: string): boolean {
    return this.groups.has(groupKeyOf(stream, groupName));
  }

  /** Groups on one stream (undefined if the stream never had any), or all groups. */
  list(stream?: string): SubscriptionGroup[] | undefined {
    if (stream !== undefined && !this.topics.has(stream)) return undefined;
    const groups = [...this.groups.values()];
    if (stream === undefined) return groups.sort((a, b) => ordinal(a.definition.source.name, b.definition.source.name));
    return groups.filter((group) => group.definition.source.name === stream);
  }

  async create(definition: GroupDefinition, user: string | undefined): Promise<ChangeOutcome> {
    if (this.has(definition.source.name, definition.groupName)) return 'exists';
    this.addGroup(definition);
    await this.save(user);
    return 'done';
  }

  async update(definition: GroupDefinition, user: string | undefined): Promise<ChangeOutcome> {
    const key = groupKeyOf(definition.source.name, definition.groupName);
    const old = this.groups.get(key);
    if (!old) return 'does-not-exist';
    old.close();
    this.addGroup(definition);
    await this.save(user);
    return 'done';
  }

  async delete(stream: string, groupName: string, user: string | undefined): Promise<ChangeOutcome> {
    const key = groupKeyOf(stream, groupName);
    const group = this.groups.get(key);
    if (!group) return 'does-not-exist';
    group.close();
    this.groups.delete(key);
    await Promise.all([group.checkpoints.delete(), group.parked.delete()]);
    await this.save(user);
    return 'done';
  }

  private addGroup(definition: GroupDefinition): void {
    const group = new SubscriptionGroup(this.store, definition);
    this.groups.set(group.key, group);
    this.topics.add(definition.source.name);
  }

  private save(user: string | undefined): Promise<void> {
    return saveConfig(this.store, [...this.groups.values()].map((group) => group.definition), user);
  }
}
