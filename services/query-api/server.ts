import { listenHttp, type RunningHttpServer } from '../platform/index.ts';
import type { QueryApi } from './app.ts';

export type RunningQueryApi = RunningHttpServer;

export function listenQueryApi(api: QueryApi, port: number, host = '0.0.0.0'): Promise<RunningQueryApi> {
  // Subscriptions' event streams never end by themselves: end them, so their connections go idle.
  return listenHttp(api.yoga, port, host, { beforeDrain: () => api.endSubscriptions() });
}
