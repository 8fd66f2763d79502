// One consumer of the persistent-subscription benchmark, in its own process (as each projector
// worker is). It subscribes to a group and holds what it receives until the parent says "go"
// (so every consumer starts at once, whatever its start-up time), then acks every event, reports
// its count every few milliseconds, and unsubscribes when the parent says "stop".
// Arguments: <connection string> <stream name or $all> <group> <buffer size>
import { EventStoreDBClient, type PersistentSubscriptionBase, type ResolvedEvent } from '@eventstore/db-client';

const [connectionString, source, group, bufferSize] = process.argv.slice(2) as [string, string, string, string];
const REPORT_EVERY_MS = 5;

const client = EventStoreDBClient.connectionString(connectionString);
const subscription: PersistentSubscriptionBase<ResolvedEvent> =
  source === '$all'
    ? client.subscribeToPersistentSubscriptionToAll(group, { bufferSize: Number(bufferSize) })
    : client.subscribeToPersistentSubscriptionToStream(source, group, { bufferSize: Number(bufferSize) });

const report = (message: object) => process.send!(message);
let held: ResolvedEvent[] | undefined = [];
let unreported = 0;
const ack = (event: ResolvedEvent) => {
  subscription.ack(event).catch((error: unknown) => report({ error: String(error) }));
  unreported++;
};
setInterval(() => {
  if (unreported === 0) return;
  report({ received: unreported });
  unreported = 0;
}, REPORT_EVERY_MS);

subscription.on('data', (event: ResolvedEvent) => (held ? held.push(event) : ack(event)));
subscription.on('error', (error: unknown) => report({ error: String(error) }));
subscription.once('confirmation', () => report({ ready: true }));

process.on('message', async (command: string) => {
  if (command === 'go') {
    const waiting = held ?? [];
    held = undefined;
    waiting.forEach(ack);
    return;
  }
  await subscription.unsubscribe();
  await client.dispose();
  process.exit(0);
});
