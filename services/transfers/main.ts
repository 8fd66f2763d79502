import { createLogger, createMetricsRegistry, stopOnSignals } from '../platform/index.ts';
import { startOpsServer } from '../projector/index.ts';
import { readTransfersEnv } from './env.ts';
import { createTransferMetrics } from './metrics.ts';
import { TransferProcessManager } from './process-manager.ts';

const log = createLogger('transfers');

async function main(): Promise<void> {
  const env = readTransfersEnv();
  const registry = createMetricsRegistry('transfers');
  const manager = new TransferProcessManager({
    esdbConnectionString: env.ESDB_CONNECTION_STRING, log, metrics: createTransferMetrics(registry), bufferSize: env.TRANSFERS_BUFFER_SIZE,
  });
  const ops = await startOpsServer({ registry, isReady: () => manager.ready }, env.TRANSFERS_PORT, env.TRANSFERS_HOST);
  await manager.start();
  log.info({ port: ops.port, eventStore: env.ESDB_CONNECTION_STRING, group: manager.group }, 'transfers process manager running');

  stopOnSignals(log, async () => {
    // Let the transfers in progress reach a final status (and be acked) before leaving the group.
    await manager.stop();
    await ops.close();
  });
}

await main();
