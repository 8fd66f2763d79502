// One consumer process of the projector benchmark. It loads everything, says "loaded", and only joins
// the group when the parent says "go", so start-up time is not measured. Modes:
//   projector  the real worker (services/projector)
//   noop       the same kind of subscription, acking each event as it arrives
//   naive      one event at a time: plan, apply script, global refresh, ack, each awaited in turn
// It reports { count } every 20 ms and { rss } (peak) when asked to stop.
// Arguments: <mode> <esdb connection string> <redis url> <projection name> <stream prefix> <buffer size>
// The group's consumer strategy comes from PROJECTOR_CONSUMER_STRATEGY, read as the projector reads it.
import { createLogger, createRedisClient, parseEnv, type RedisTarget } from '../../services/platform/index.ts';
import {
  createProjectorMetrics, defineAccountsProjection, ensureSubscriptionGroup, groupNameOf, projectorEnvSchema, ProjectorWorker, runApplyBatch,
} from '../../services/projector/index.ts';
import { EventStoreDBClient } from '@eventstore/db-client';
import { Registry } from 'prom-client';

const [mode, esdbUrl, redisTargetJson, name, streamPrefix, buffer] = process.argv.slice(2) as [string, string, string, string, string, string];
const redisTarget = JSON.parse(redisTargetJson) as RedisTarget;
const projection = defineAccountsProjection({ name, streamPrefix });
const { PROJECTOR_CONSUMER_STRATEGY } = parseEnv(projectorEnvSchema.pick({ PROJECTOR_CONSUMER_STRATEGY: true }));
const groupSettings = { consumerStrategyName: PROJECTOR_CONSUMER_STRATEGY };
const log = createLogger('bench-child');
log.level = 'warn';
const report = (message: object) => process.send!(message);
let peakRss = 0;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100).unref();

let stop: () => Promise<void> = async () => {};

async function go(): Promise<void> {
  if (mode === 'projector') {
    const worker = new ProjectorWorker({
      esdbConnectionString: esdbUrl, redisTarget, projection, log, metrics: createProjectorMetrics(new Registry()),
      bufferSize: Number(buffer), progressIntervalMs: 0, groupSettings,
    });
    await worker.start();
    stop = () => worker.stop();
    return;
  }
  const esdb = EventStoreDBClient.connectionString(esdbUrl);
  await ensureSubscriptionGroup(esdb, projection, groupSettings);
  const subscription = esdb.subscribeToPersistentSubscriptionToAll(groupNameOf(projection), { bufferSize: Number(buffer) });
  let unreported = 0;
  const counted = () => void unreported++;
  setInterval(() => {
    if (unreported === 0) return;
    report({ count: unreported });
    unreported = 0;
  }, 20).unref();
  if (mode === 'noop') {
    subscription.on('data', (event) => {
      subscription.ack(event).catch(() => undefined);
      counted();
    });
  } else {
    const redis = createRedisClient(redisTarget, log);
    await redis.connect();
    const channel = `rm:${name}:v1:applied`;
    for await (const resolved of subscription) {
      const event = resolved.event!;
      const plan = await projection.plan({
        eventId: event.id, streamName: event.streamId, revision: event.revision, type: event.type,
        data: event.data, metadata: event.metadata, created: event.created,
      }, redis);
      const applied = await runApplyBatch(redis, [{ plan, revision: event.revision }], { channel, stream: event.streamId }, projection.snapshotFields);
      await projection.refreshGlobals(redis, [{ aggregateId: plan.aggregateId, revision: applied.storedRevision, fields: applied.snapshot }]);
      await subscription.ack(resolved);
      counted();
    }
  }
  stop = async () => {
    await subscription.unsubscribe();
    await esdb.dispose();
  };
}

process.on('message', (command: string) => {
  if (command === 'go') void go().catch((error: unknown) => report({ error: String(error) }));
  else
    void stop().then(() => {
      report({ rss: Math.max(peakRss, process.memoryUsage().rss) });
      process.exit(0);
    });
});
// A parent that dies without saying "stop" (a test run that timed out) must not leave this worker behind.
process.on('disconnect', () => process.exit(1));
report({ loaded: true });
