import { describe, expect, it } from 'vitest';
import { startRedisServer } from './redis-server.ts';
import { createClient } from 'redis';

describe('startRedisServer', () => {
  it('starts a Redis that answers commands and is gone after stop', async () => {
    const server = await startRedisServer();
    const client = createClient({ url: server.url });
    await client.connect();
    await client.set('greeting', 'hello');
    expect(await client.get('greeting')).toBe('hello');
    client.destroy();

    await server.stop();

    const late = createClient({ url: server.url, socket: { reconnectStrategy: false } });
    late.on('error', () => {});
    await expect(late.connect()).rejects.toThrow();
  });
});
