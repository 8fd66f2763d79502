import { listenHttp, type RunningHttpServer } from '../platform/index.ts';
import type { CommandApi } from './app.ts';

export type RunningCommandApi = RunningHttpServer;

export function listenCommandApi(yoga: CommandApi, port: number, host = '0.0.0.0'): Promise<RunningCommandApi> {
  return listenHttp(yoga, port, host);
}
