import { z } from 'zod';

/** Where a service's Redis is: one node (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisTarget =
  | { readonly kind: 'node'; readonly url: string }
  | { readonly kind: 'cluster'; readonly nodes: readonly RedisNodeAddress[] };

export interface RedisNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** Used when neither variable is set, as before clusters were supported: a Redis on this machine. */
const defaultUrl = 'redis://127.0.0.1:6379';

const clusterNodesSchema = z.string().transform((text, context): RedisNodeAddress[] => {
  const nodes: RedisNodeAddress[] = [];
  for (const entry of text.split(',').map((part) => part.trim())) {
    const match = /^([^\s:/]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > 65_535) {
      context.addIssue({ code: 'custom', message: `expected host:port,host:port,… (some nodes of the cluster), got '${entry}'` });
      return z.NEVER;
    }
    nodes.push({ host: match[1]!.replace(/^\[|\]$/g, ''), port });
  }
  return nodes;
});

/** The Redis variables: every service that uses Redis spreads these into its env schema. */
export const redisEnvShape = {
  /** One Redis node. */
  REDIS_URL: z.string().startsWith('redis').optional(),
  /** A Redis Cluster: some of its nodes, `host:port,host:port,…`; the client discovers the others. */
  REDIS_CLUSTER_NODES: clusterNodesSchema.optional(),
};

type RedisEnv = { REDIS_URL?: string | undefined; REDIS_CLUSTER_NODES?: RedisNodeAddress[] | undefined };

/**
 * Refinement for a schema with redisEnvShape: one target, not two that could disagree. Applied where the
 * environment is parsed, not to the exported schema, which stays a plain object (`.pick()` refuses refined ones).
 */
export const oneRedisTarget: [(env: RedisEnv) => boolean, { message: string; path: string[] }] = [
  (env) => env.REDIS_URL === undefined || env.REDIS_CLUSTER_NODES === undefined,
  { message: 'set REDIS_URL (one node) or REDIS_CLUSTER_NODES (a cluster), not both', path: ['REDIS_CLUSTER_NODES'] },
];

/** The target a parsed environment names; neither variable means a Redis on this machine. */
export function redisTargetOf(env: RedisEnv): RedisTarget {
  if (env.REDIS_CLUSTER_NODES !== undefined) return { kind: 'cluster', nodes: env.REDIS_CLUSTER_NODES };
  return { kind: 'node', url: env.REDIS_URL ?? defaultUrl };
}

/** The environment that names `target`, for a child process. */
export function redisEnvOf(target: RedisTarget): { REDIS_URL: string } | { REDIS_CLUSTER_NODES: string } {
  return target.kind === 'node' ? { REDIS_URL: target.url } : { REDIS_CLUSTER_NODES: target.nodes.map(addressOf).join(',') };
}

/** For logs and banners: the URL, or `cluster host:port,…`. */
export function describeRedisTarget(target: RedisTarget): string {
  return target.kind === 'node' ? target.url : `cluster ${target.nodes.map(addressOf).join(',')}`;
}

const addressOf = ({ host, port }: RedisNodeAddress): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
