// What a fresh EventStoreDB node has already written before any client connects: its epoch,
// the default users and the settings stream. `$all` readers and filters must cope with them.
import { randomUUID } from 'node:crypto';
import type { EventStore } from './event-store.ts';

const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');

const systemEvent = (type: string, data: unknown) => ({
  id: randomUUID(),
  type,
  contentType: 'application/json',
  data: json(data),
  metadata: new Uint8Array(0),
});

export const writeSystemEvents = async (store: EventStore): Promise<void> => {
  const any = { kind: 'any' } as const;
  await store.append('$epoch-information', [
    systemEvent('$epoch-information', { epochNumber: 0, epochPosition: 0, epochId: randomUUID(), leaderInstanceId: randomUUID() }),
  ], any);
  for (const login of ['admin', 'ops']) {
    await store.append(`$user-${login}`, [
      systemEvent('$user', { loginName: login, fullName: login === 'admin' ? 'Event Store Administrator' : 'Event Store Operations', groups: [`$${login}s`] }),
    ], any);
    await store.append('$users', [systemEvent('$UserCreated', login)], any);
  }
  await store.append('$settings', [
    systemEvent('$settings', { $userStreamAcl: { $r: '$all', $w: '$all', $d: '$all', $mr: '$all', $mw: '$all' } }),
  ], any);
};
