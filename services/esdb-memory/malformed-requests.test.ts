// Requests the protocol does not allow, sent with raw gRPC: each gets INVALID_ARGUMENT (or the typed
// error the real server documents) and the server keeps serving the next request.
import { createRequire } from 'node:module';
import { credentials, makeGenericClientConstructor, Metadata, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { RequiredMetadataPropertyMissingError, convertToCommandError } from '@eventstore/db-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseEsdbConnectionString } from '../platform/index.ts';
import { esdbConnectionString, newEsdbClient, uniqueStreamName } from '../../test/harness.ts';
import { collect, rejectionOf, testEvents } from './fidelity-support.ts';

const require = createRequire(import.meta.url);
const streamsPb = require('@eventstore/db-client/generated/streams_pb.js') as typeof import('@eventstore/db-client/generated/streams_pb.js');
const sharedPb = require('@eventstore/db-client/generated/shared_pb.js') as typeof import('@eventstore/db-client/generated/shared_pb.js');

const STREAMS = '/event_store.client.streams.Streams';
const GARBAGE = Buffer.from([0x0a, 0x50, 0x01, 0x02, 0xff]);

const client = newEsdbClient();
// The first node of the run's connection string (the embedded server has one).
const { host: hostname, port } = parseEsdbConnectionString(esdbConnectionString())!.hosts[0]!;
const RawClient = makeGenericClientConstructor({}, 'raw');
const raw: Client = new RawClient(`${hostname}:${port}`, credentials.createInsecure());
afterAll(() => raw.close());

const bytes = (value: Buffer): Buffer => value;
const encoded = (message: { serializeBinary(): Uint8Array }): Buffer => Buffer.from(message.serializeBinary());

const unary = (method: string, body: Buffer) =>
  new Promise<ServiceError | undefined>((resolve) =>
    raw.makeUnaryRequest(`${STREAMS}/${method}`, bytes, bytes, body, new Metadata(), {}, (error) => resolve(error ?? undefined)),
  );

const read = (body: Buffer) =>
  new Promise<ServiceError | undefined>((resolve) => {
    const call = raw.makeServerStreamRequest(`${STREAMS}/Read`, bytes, bytes, body, new Metadata(), {});
    call.on('data', () => undefined);
    call.on('error', (error: ServiceError) => resolve(error));
    call.on('end', () => resolve(undefined));
  });

const append = (messages: Buffer[]) =>
  new Promise<ServiceError | undefined>((resolve) => {
    const call = raw.makeClientStreamRequest(`${STREAMS}/Append`, bytes, bytes, new Metadata(), {}, (error) =>
      resolve(error ?? undefined),
    );
    for (const message of messages) call.write(message);
    call.end();
  });

const batchAppend = (message: Buffer) =>
  new Promise<ServiceError | undefined>((resolve) => {
    const call = raw.makeBidiStreamRequest(`${STREAMS}/BatchAppend`, bytes, bytes, new Metadata(), {});
    call.on('data', () => undefined);
    call.on('error', (error: ServiceError) => resolve(error));
    call.on('end', () => resolve(undefined));
    call.write(message);
    call.end();
  });

const appendOptions = (stream: string) => {
  const options = new streamsPb.AppendReq.Options()
    .setStreamIdentifier(new sharedPb.StreamIdentifier().setStreamName(Buffer.from(stream)))
    .setAny(new sharedPb.Empty());
  return encoded(new streamsPb.AppendReq().setOptions(options));
};

const proposed = (id: string, metadata: Record<string, string>) => {
  const message = new streamsPb.AppendReq.ProposedMessage().setId(new sharedPb.UUID().setString(id)).setData(Buffer.from('{}'));
  for (const [key, value] of Object.entries(metadata)) message.getMetadataMap().set(key, value);
  return encoded(new streamsPb.AppendReq().setProposedMessage(message));
};

afterEach(async () => {
  // Whatever the previous request was, the server still serves the next one.
  const stream = uniqueStreamName('after-malformed');
  await client.appendToStream(stream, testEvents(1));
  expect(await collect(client.readStream(stream))).toHaveLength(1);
});

describe('malformed requests', () => {
  it('a Read whose bytes are not a ReadReq fails with INVALID_ARGUMENT', async () => {
    expect(await read(GARBAGE)).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('a Read without options fails with INVALID_ARGUMENT', async () => {
    expect(await read(Buffer.alloc(0))).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('a Delete whose bytes are not a DeleteReq fails with INVALID_ARGUMENT', async () => {
    expect(await unary('Delete', GARBAGE)).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(await unary('Tombstone', GARBAGE)).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('an Append whose first message is garbage fails with INVALID_ARGUMENT', async () => {
    expect(await append([GARBAGE])).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('an Append that starts with an event instead of its options fails with INVALID_ARGUMENT and writes nothing', async () => {
    expect(await append([proposed(crypto.randomUUID(), { type: 'T', 'content-type': 'application/json' })])).toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
  });

  it('an Append with an event id that is not a UUID fails with INVALID_ARGUMENT and writes nothing', async () => {
    const stream = uniqueStreamName('malformed-id');
    const error = await append([appendOptions(stream), proposed('not-a-uuid', { type: 'T', 'content-type': 'application/json' })]);
    expect(error).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(await rejectionOf(collect(client.readStream(stream)))).toMatchObject({ type: 'stream-not-found' });
  });

  it('an Append whose event has no type fails with the missing-required-metadata-property error', async () => {
    const stream = uniqueStreamName('malformed-type');
    const error = await append([appendOptions(stream), proposed(crypto.randomUUID(), { 'content-type': 'application/json' })]);
    expect(error).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(error!.metadata.get('exception')).toEqual(['missing-required-metadata-property']);
    expect(convertToCommandError(error!)).toBeInstanceOf(RequiredMetadataPropertyMissingError);
  });

  it('a BatchAppend message that is garbage ends the call with INVALID_ARGUMENT', async () => {
    expect(await batchAppend(GARBAGE)).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('a Read of $all with an invalid filter regex fails with INVALID_ARGUMENT', async () => {
    const filter = new streamsPb.ReadReq.Options.FilterOptions()
      .setStreamIdentifier(new streamsPb.ReadReq.Options.FilterOptions.Expression().setRegex('(unclosed'))
      .setCount(new sharedPb.Empty())
      .setCheckpointintervalmultiplier(1);
    const options = new streamsPb.ReadReq.Options()
      .setAll(new streamsPb.ReadReq.Options.AllOptions().setStart(new sharedPb.Empty()))
      .setSubscription(new streamsPb.ReadReq.Options.SubscriptionOptions())
      .setFilter(filter)
      .setUuidOption(new streamsPb.ReadReq.Options.UUIDOption().setString(new sharedPb.Empty()));
    expect(await read(encoded(new streamsPb.ReadReq().setOptions(options)))).toMatchObject({ code: status.INVALID_ARGUMENT });
  });
});
