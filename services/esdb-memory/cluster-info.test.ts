// ServerFeatures.GetSupportedMethods and Gossip.Read: what the client asks before anything else.
import { createRequire } from 'node:module';
import { EventStoreDBClient } from '@eventstore/db-client';
import { credentials, makeGenericClientConstructor, Metadata, type Client } from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEsdbConnectionString } from '../platform/index.ts';
import { esdbConnectionString, uniqueStreamName } from '../../test/harness.ts';
import { collect, testEvents } from './fidelity-support.ts';

const require = createRequire(import.meta.url);
const featuresPb = require('@eventstore/db-client/generated/serverfeatures_pb.js') as typeof import('@eventstore/db-client/generated/serverfeatures_pb.js');
const gossipPb = require('@eventstore/db-client/generated/gossip_pb.js') as typeof import('@eventstore/db-client/generated/gossip_pb.js');

// The first node of the run's connection string (the embedded server has one).
const { host: hostname, port } = parseEsdbConnectionString(esdbConnectionString())!.hosts[0]!;
const RawClient = makeGenericClientConstructor({}, 'raw');
const raw: Client = new RawClient(`${hostname}:${port}`, credentials.createInsecure());
const discoveringClient = EventStoreDBClient.connectionString(`esdb+discover://${hostname}:${port}?tls=false`);
afterAll(async () => {
  raw.close();
  await discoveringClient.dispose();
});

const call = <T>(path: string, decode: (bytes: Uint8Array) => T) =>
  new Promise<T>((resolve, reject) =>
    raw.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => decode(b), Buffer.alloc(0), new Metadata(), {}, (error, value) =>
      error ? reject(error) : resolve(value!),
    ),
  );

describe('ServerFeatures.GetSupportedMethods', () => {
  it('lists the streams methods with the features a 24.x server advertises', async () => {
    const supported = await call('/event_store.client.server_features.ServerFeatures/GetSupportedMethods', (b) =>
      featuresPb.SupportedMethods.deserializeBinary(b),
    );
    expect(supported.getEventStoreServerVersion()).toMatch(/^\d+\.\d+\.\d+$/);
    const methods = new Map(
      supported.getMethodsList().map((m) => [`${m.getServiceName()}/${m.getMethodName()}`, m.getFeaturesList()]),
    );
    expect(methods.get('event_store.client.streams.streams/read')).toEqual(['position', 'events']);
    expect(methods.get('event_store.client.streams.streams/batchappend')).toEqual(['deadline_duration']);
    for (const method of ['append', 'delete', 'tombstone']) expect(methods.get(`event_store.client.streams.streams/${method}`)).toEqual([]);
    expect(methods.has('event_store.client.gossip.gossip/read')).toBe(true);
    expect(methods.has('event_store.client.server_features.serverfeatures/getsupportedmethods')).toBe(true);
  });
});

describe('Gossip.Read', () => {
  it('describes one alive member in the leader state at the address the client dialled', async () => {
    const info = await call('/event_store.client.gossip.Gossip/Read', (b) => gossipPb.ClusterInfo.deserializeBinary(b));
    const leaders = info.getMembersList().filter((m) => m.getState() === gossipPb.MemberInfo.VNodeState.LEADER);
    expect(leaders).toHaveLength(1);
    expect(leaders[0]!.getIsAlive()).toBe(true);
    expect(leaders[0]!.getHttpEndPoint()!.getPort()).toBe(Number(port));
  });

  it('a client with an esdb+discover:// connection string finds the leader through gossip and works', async () => {
    const stream = uniqueStreamName('discover');
    const result = await discoveringClient.appendToStream(stream, testEvents(2));
    expect(result.nextExpectedRevision).toBe(1n);
    expect(await collect(discoveringClient.readStream(stream))).toHaveLength(2);
  });
});
