import { z } from 'zod';

/** One address in a connection string: a node (esdb://) or a gossip seed / DNS name (esdb+discover://). */
export interface EsdbHost {
  readonly host: string;
  readonly port: number;
}

export interface EsdbConnection {
  /** esdb+discover://: the hosts are asked for the cluster's members (Gossip) and the client picks by nodePreference. */
  readonly discover: boolean;
  readonly hosts: readonly EsdbHost[];
  /** Everything after the hosts: `?tls=false&nodePreference=leader`, or ''. */
  readonly options: string;
}

/** The client's default port when a host names none. */
const DEFAULT_PORT = 2113;
const CONNECTION_STRING = /^(esdb|esdb\+discover):\/\/(?:[^@/?]*@)?([^/?]+)\/?(\?.*)?$/;
const HOST = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

/**
 * The parts of an EventStoreDB connection string, in the forms the official client takes:
 * `esdb://host:port[,host:port…][?options]` (nodes; several are gossip seeds: the client asks each in
 * turn for the cluster's members) and `esdb+discover://name:port[?options]` (a DNS name or seed to gossip with). Answers
 * undefined for anything else. The client itself parses the string to connect; this is for the code
 * that needs the addresses (probes, test proxies, configuration checks).
 */
export function parseEsdbConnectionString(connectionString: string): EsdbConnection | undefined {
  const match = CONNECTION_STRING.exec(connectionString.trim());
  if (match === null) return undefined;
  const hosts: EsdbHost[] = [];
  for (const address of match[2]!.split(',')) {
    const hostMatch = HOST.exec(address.trim());
    const port = Number(hostMatch?.[2] ?? DEFAULT_PORT);
    if (hostMatch === null || port < 1 || port > 65_535) return undefined;
    hosts.push({ host: hostMatch[1]!, port });
  }
  return { discover: match[1] === 'esdb+discover', hosts, options: match[3] ?? '' };
}

/** The same connection string with other hosts (e.g. a test proxy's), scheme and options kept. */
export function withEsdbHosts(connection: EsdbConnection, hosts: readonly EsdbHost[]): string {
  const scheme = connection.discover ? 'esdb+discover' : 'esdb';
  return `${scheme}://${hosts.map(({ host, port }) => `${host}:${port}`).join(',')}${connection.options}`;
}

export const defaultEsdbConnectionString = 'esdb://127.0.0.1:2113?tls=false';

const FORMS = 'expected esdb://host:port[,host:port…][?options] or esdb+discover://name:port[?options], e.g. esdb+discover://eventstore:2113?tls=false&nodePreference=leader';

/**
 * ESDB_CONNECTION_STRING as every service takes it: a single node, several nodes (gossip seeds), or a
 * DNS name to discover the cluster from; esdb+discover:// with several hosts is taken too (see clientConnectionString).
 */
export const esdbConnectionStringSchema = z.string().superRefine((value, context) => {
  if (parseEsdbConnectionString(value) === undefined) context.addIssue({ code: 'custom', message: FORMS });
});

/**
 * The string handed to the official client. `esdb+discover://a,b,c` is the documented way to name a cluster's
 * gossip seeds, but the Node client (6.x) gossips with the first host only and drops the rest; the same
 * hosts as `esdb://a,b,c` make it gossip with each seed in turn, which is what the string asks for.
 */
export function clientConnectionString(connectionString: string): string {
  const connection = parseEsdbConnectionString(connectionString);
  if (connection === undefined || !connection.discover || connection.hosts.length < 2) return connectionString;
  return withEsdbHosts({ ...connection, discover: false }, connection.hosts);
}
