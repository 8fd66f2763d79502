import { describeRedisTarget } from '../../services/platform/index.ts';
import type { StackAddresses } from './stack.ts';

/** The one block a developer reads after `npm run dev`: where everything answers. */
export function banner(addresses: StackAddresses): string {
  const { eventStore, redis, commandApi, queryApi, projector, tokens } = addresses;
  const opsEndpoints = (base: string): string => `health ${base}/health · ready ${base}/ready · metrics ${base}/metrics`;
  const lines = [
    '',
    'Ledgerline is running. Press Ctrl-C to stop.',
    '',
    `  Command API   ${commandApi}/graphql   (GraphiQL in a browser)`,
    `                ${opsEndpoints(commandApi)}`,
    `  Query API     ${queryApi}/graphql   (GraphiQL in a browser)`,
    `                ${opsEndpoints(queryApi)}`,
    `  Projector     ${opsEndpoints(projector)}`,
    `  EventStoreDB  ${eventStore.connectionString}   ${eventStore.embeddedDataDir === undefined ? '(ESDB_CONNECTION_STRING)' : `(embedded, data in ${eventStore.embeddedDataDir})`}`,
    `  Redis         ${describeRedisTarget(redis.target)}   ${redis.localDataDir !== undefined ? `(local redis-server, data in ${redis.localDataDir})` : redis.target.kind === 'node' ? '(REDIS_URL)' : '(REDIS_CLUSTER_NODES)'}`,
    '',
    '  Bearer tokens (12 h; send as Authorization: Bearer <token>):',
    ...Object.entries(tokens).map(([role, token]) => `    ${role.padEnd(8)} ${token}`),
    '',
    '  Demo data: COMMAND_API_TOKEN=<teller token> npm run seed    Operations: npm run ops -- help    More projector workers: npm run projector',
    '',
  ];
  return `${lines.join('\n')}\n`;
}
