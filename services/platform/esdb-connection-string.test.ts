import { describe, expect, it } from 'vitest';
import { clientConnectionString, esdbConnectionStringSchema, parseEsdbConnectionString, withEsdbHosts } from './esdb-connection-string.ts';

describe('EventStoreDB connection strings', () => {
  it('reads one node, several nodes and gossip discovery, with the default port where none is given', () => {
    expect(parseEsdbConnectionString('esdb://127.0.0.1:2113?tls=false')).toEqual({
      discover: false, hosts: [{ host: '127.0.0.1', port: 2113 }], options: '?tls=false',
    });
    expect(parseEsdbConnectionString('esdb://admin:changeit@a:2111,b,[::1]:2113/?nodePreference=follower')).toEqual({
      discover: false, hosts: [{ host: 'a', port: 2111 }, { host: 'b', port: 2113 }, { host: '[::1]', port: 2113 }], options: '?nodePreference=follower',
    });
    expect(parseEsdbConnectionString('esdb+discover://cluster.internal:2113?tls=false&nodePreference=leader')).toEqual({
      discover: true, hosts: [{ host: 'cluster.internal', port: 2113 }], options: '?tls=false&nodePreference=leader',
    });
  });

  it('refuses what the client would refuse, with a message showing the forms it takes', () => {
    for (const bad of ['http://a:2113', 'esdb://', 'esdb://a:99999', 'esdb://a:,b', 'esdb+discovery://a:2113']) {
      expect(parseEsdbConnectionString(bad), bad).toBeUndefined();
    }
    const parsed = esdbConnectionStringSchema.safeParse('redis://127.0.0.1:6379');
    expect(parsed.error?.issues[0]?.message).toContain('esdb+discover://');
  });

  it('takes esdb+discover:// with several hosts and hands them to the client as gossip seeds, which the client would cut to the first', () => {
    expect(esdbConnectionStringSchema.safeParse('esdb+discover://a:2113,b:2113?tls=false').success).toBe(true);
    expect(clientConnectionString('esdb+discover://a:2113,b:2113?tls=false')).toBe('esdb://a:2113,b:2113?tls=false');
    expect(clientConnectionString('esdb+discover://cluster:2113?tls=false')).toBe('esdb+discover://cluster:2113?tls=false');
    expect(clientConnectionString('esdb://a:2113,b:2113?tls=false')).toBe('esdb://a:2113,b:2113?tls=false');
  });

  it('swaps the hosts and keeps the scheme and options', () => {
    const connection = parseEsdbConnectionString('esdb://a:1,b:2?tls=false')!;
    expect(withEsdbHosts(connection, [{ host: '127.0.0.1', port: 5000 }])).toBe('esdb://127.0.0.1:5000?tls=false');
  });
});
