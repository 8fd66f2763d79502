// Where a projector benchmark phase's time goes: CPU µs per event of the consumer processes, the
// store's process and redis-server (from /proc), and Redis's own per-command accounting (INFO
// commandstats: calls and µs inside each command, scripts included), so the gap between the no-op
// consumer and the projector can be explained term by term.
import type { RedisClient } from '../../services/platform/index.ts';
import { processCpuMicros, processSystemMicros } from './bench-support.ts';

export interface PhaseCost {
  /** CPU µs per event, summed over the consumer processes, and the part of it spent in the kernel. */
  readonly consumers: number;
  readonly consumersSystem: number;
  readonly store: number;
  readonly redis: number;
  /** Per command Redis ran in the phase (EVALSHA includes the commands its script called): calls and µs per event. */
  readonly commands: readonly { readonly command: string; readonly callsPerEvent: number; readonly microsPerEvent: number }[];
}

const redisPidOf = async (redis: RedisClient): Promise<number> => Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);

function commandStats(info: string): { command: string; calls: number; usec: number }[] {
  return [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)].map(([, command, calls, usec]) => ({
    command: command!, calls: Number(calls), usec: Number(usec),
  }));
}

/** Starts measuring; the answer ends the measurement for `events` events. */
export async function meterPhase(redis: RedisClient, storePid: number, consumerPids: () => readonly number[]): Promise<(events: number) => Promise<PhaseCost>> {
  const redisPid = await redisPidOf(redis);
  await redis.configResetStat();
  const cpuOf = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + processCpuMicros(pid), 0);
  const pids = consumerPids();
  const systemOf = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + processSystemMicros(pid), 0);
  const before = { consumers: cpuOf(pids), system: systemOf(pids), store: processCpuMicros(storePid), redis: processCpuMicros(redisPid) };
  return async (events) => {
    const after = { consumers: cpuOf(pids), system: systemOf(pids), store: processCpuMicros(storePid), redis: processCpuMicros(redisPid) };
    const commands = commandStats(await redis.info('commandstats'))
      .filter(({ command }) => command !== 'info' && command !== 'config|resetstat')
      .map(({ command, calls, usec }) => ({ command, callsPerEvent: calls / events, microsPerEvent: usec / events }));
    return {
      consumers: (after.consumers - before.consumers) / events,
      consumersSystem: (after.system - before.system) / events,
      store: (after.store - before.store) / events,
      redis: (after.redis - before.redis) / events,
      commands,
    };
  };
}

export const describeCost = (measure: string, cost: PhaseCost): string =>
  `${measure}: CPU µs/event consumers ${cost.consumers.toFixed(1)} (kernel ${cost.consumersSystem.toFixed(1)}), store ${cost.store.toFixed(1)}, redis-server ${cost.redis.toFixed(1)}\n` +
  cost.commands
    .filter(({ callsPerEvent }) => callsPerEvent >= 0.001)
    .map(({ command, callsPerEvent, microsPerEvent }) => `    ${command.padEnd(12)} ${callsPerEvent.toFixed(3)} calls/event  ${microsPerEvent.toFixed(1)} µs/event\n`)
    .join('');
