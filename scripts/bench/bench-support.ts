// What the benchmarks of the embedded server share: starting it as a separate process (so client
// and server each get a core), and accounting wall time and both processes' CPU time to a phase.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Figure } from './figures.ts';

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a process in µs, from /proc/<pid>/stat (fields 14 and 15). */
export const processCpuMicros = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
};

/**
 * Time a process's threads spent runnable but waiting for a CPU, in µs (/proc/<pid>/schedstat, field 2).
 * On a shared machine this is what other load adds to every latency the process measures or causes.
 */
export const runQueueWaitMicros = (pid: number): number =>
  Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1_000;

export const clientCpuMicros = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

export interface PhaseResult {
  measure: string;
  target: string;
  eventsPerSecond: number;
  serverMicrosPerEvent: number;
  clientMicrosPerEvent: number;
}

/** Runs one phase and accounts wall time and both processes' CPU time to the events it moved. */
export async function phase(
  serverPid: number,
  measure: string,
  target: string,
  run: () => Promise<number>,
): Promise<PhaseResult> {
  const serverBefore = processCpuMicros(serverPid);
  const clientBefore = clientCpuMicros();
  const started = performance.now();
  const events = await run();
  const seconds = (performance.now() - started) / 1000;
  return {
    measure,
    target,
    eventsPerSecond: events / seconds,
    serverMicrosPerEvent: (processCpuMicros(serverPid) - serverBefore) / events,
    clientMicrosPerEvent: (clientCpuMicros() - clientBefore) / events,
  };
}

/** Starts services/esdb-memory in memory on `port`; `nodeArgs` go to node (e.g. --cpu-prof). */
export const startServer = async (port: number, nodeArgs: string[] = []): Promise<ChildProcess> => {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', 'services/esdb-memory/main.ts', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(child.stdout!, 'data');
  return child;
};

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * One figure per phase, against the ceiling one process's CPU cost per event sets (1e6 / µs per event):
 * the client's with `clientBound` (one client process cannot go faster), else the server's.
 */
export const phaseFigures = (results: PhaseResult[], { clientBound }: { clientBound: boolean }): Figure[] =>
  results.map((r) => {
    const micros = clientBound ? r.clientMicrosPerEvent : r.serverMicrosPerEvent;
    return {
      name: r.measure,
      value: r.eventsPerSecond,
      unit: 'events/s',
      better: 'higher',
      baseline: { name: `${clientBound ? 'client' : 'server'}-CPU-bound ceiling`, value: 1e6 / micros },
      note: `target ${r.target}; server ${r.serverMicrosPerEvent.toFixed(1)} µs/event`,
    };
  });
