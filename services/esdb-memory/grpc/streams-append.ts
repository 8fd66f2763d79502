// Streams.Append (client streaming) and Streams.BatchAppend (bidirectional, what the client
// uses when the server advertises it). Both end in EventStore.append.
import type { sendUnaryData, ServerDuplexStream, ServerReadableStream } from '@grpc/grpc-js';
import type { EventStore, ExpectedRevision, ProposedEvent, WriteOutcome } from '../event-store.ts';
import { anyPb, rpcStatus, shared, streams, type AppendReq, type BatchAppendReq } from '../proto.ts';
import {
  maxAppendSizeExceeded,
  MalformedRequest,
  requiredMetadataPropertyMissing,
  streamDeleted,
  toServiceError,
} from './errors.ts';
import { expectedRevisionOf, streamNameOf, uuidOf } from './request-fields.ts';

type AppendResp = InstanceType<typeof streams.AppendResp>;
type BatchAppendResp = InstanceType<typeof streams.BatchAppendResp>;

interface ProposedMessage {
  getId(): InstanceType<typeof shared.UUID> | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

/** Event.SizeOnDisk on the real server: data + metadata + 2 bytes per type character. */
const sizeOnDisk = (e: ProposedEvent): number => e.data.length + e.metadata.length + e.type.length * 2;

const toProposedEvent = (message: ProposedMessage): ProposedEvent => {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  if (type === undefined) throw requiredMetadataPropertyMissing('type');
  const contentType = metadata.get('content-type');
  if (contentType === undefined) throw requiredMetadataPropertyMissing('content-type');
  if (type.length === 0) throw new MalformedRequest('Empty eventType provided.');
  return {
    id: uuidOf(message.getId()),
    type,
    contentType,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
};

export const createAppendHandlers = (store: EventStore, maxAppendSize: number) => {
  const append = (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void => {
    let target: { streamName: string; expected: ExpectedRevision; options: NonNullable<ReturnType<AppendReq['getOptions']>> } | undefined;
    const events: ProposedEvent[] = [];
    let size = 0;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      callback(toServiceError(error));
    };
    call.on('data', (request: AppendReq) => {
      if (failed) return;
      try {
        if (!target) {
          const options = request.getOptions();
          if (!options) throw new MalformedRequest('The first append message must carry the options.');
          target = {
            streamName: streamNameOf(options),
            expected: expectedRevisionOf(options, { present: options.hasRevision(), value: options.getRevision() }),
            options,
          };
          return;
        }
        const message = request.getProposedMessage();
        if (!message) throw new MalformedRequest('Expected a proposed message.');
        const event = toProposedEvent(message);
        size += sizeOnDisk(event);
        if (size > maxAppendSize) throw maxAppendSizeExceeded(maxAppendSize);
        events.push(event);
      } catch (error) {
        fail(error);
      }
    });
    call.on('error', () => {
      failed = true;
    });
    call.on('end', () => {
      if (failed) return;
      if (!target) return fail(new MalformedRequest('The append carried no options.'));
      const { streamName, expected } = target;
      store.append(streamName, events, expected).then(
        (outcome) => {
          if (outcome.status === 'stream-deleted') return fail(streamDeleted(streamName));
          callback(null, toAppendResp(outcome, expected));
        },
        (error: unknown) => fail(error),
      );
    });
  };

  const batchAppend = (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void => {
    const pending = new Map<string, { streamName: string; expected: ExpectedRevision; events: ProposedEvent[]; size: number }>();
    const respond = (resp: BatchAppendResp) => {
      if (!call.writableEnded && !call.destroyed) call.write(resp);
    };
    call.on('data', (request: BatchAppendReq) => {
      const correlationId = request.getCorrelationId();
      const key = correlationId ? correlationKey(correlationId) : '';
      let streamName = '';
      try {
        const options = request.getOptions();
        if (options) {
          streamName = streamNameOf(options);
          const deadline = options.getDeadline();
          if (deadline && deadline.toDate().getTime() <= Date.now()) {
            respond(batchError(correlationId, streamName, timeoutStatus()));
            return;
          }
          const expected = expectedRevisionOf(options, {
            present: options.hasStreamPosition(),
            value: options.getStreamPosition(),
          });
          if (!pending.has(key)) pending.set(key, { streamName, expected, events: [], size: 0 });
        }
        const write = pending.get(key);
        if (!write) return;
        streamName = write.streamName;
        for (const message of request.getProposedMessagesList()) {
          const event = toProposedEvent(message);
          write.size += sizeOnDisk(event);
          write.events.push(event);
        }
        if (write.size > maxAppendSize) {
          pending.delete(key);
          respond(batchError(correlationId, streamName, maxAppendSizeStatus(maxAppendSize)));
          return;
        }
        if (!request.getIsFinal()) return;
        pending.delete(key);
        store.append(write.streamName, write.events, write.expected).then(
          (outcome) => respond(toBatchAppendResp(outcome, write.expected, correlationId, write.streamName)),
          (error: unknown) => respond(batchError(correlationId, write.streamName, badRequest(String(error)))),
        );
      } catch (error) {
        pending.delete(key);
        respond(batchError(correlationId, streamName, badRequest(toServiceError(error).details)));
      }
    });
    call.on('end', () => call.end());
    call.on('error', () => pending.clear());
  };

  return { append, batchAppend };
};

const correlationKey = (uuid: InstanceType<typeof shared.UUID>): string =>
  uuid.hasStructured()
    ? `${uuid.getStructured()!.getMostSignificantBits()}:${uuid.getStructured()!.getLeastSignificantBits()}`
    : uuid.getString();

const toAppendResp = (outcome: WriteOutcome, expected: ExpectedRevision): AppendResp => {
  const resp = new streams.AppendResp();
  if (outcome.status === 'success') {
    const success = new streams.AppendResp.Success();
    if (outcome.lastRevision < 0) success.setNoStream(new shared.Empty());
    else success.setCurrentRevision(String(outcome.lastRevision));
    if (outcome.position === undefined) success.setNoPosition(new shared.Empty());
    else {
      const position = new streams.AppendResp.Position();
      position.setCommitPosition(String(outcome.position));
      position.setPreparePosition(String(outcome.position));
      success.setPosition(position);
    }
    return resp.setSuccess(success);
  }
  if (outcome.status !== 'wrong-expected-version') throw new Error(`unexpected outcome ${outcome.status}`);
  const wrong = new streams.AppendResp.WrongExpectedVersion();
  if (outcome.currentRevision === undefined) wrong.setCurrentNoStream(new shared.Empty());
  else wrong.setCurrentRevision(String(outcome.currentRevision));
  switch (expected.kind) {
    case 'any':
      wrong.setExpectedAny(new shared.Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new shared.Empty());
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(new shared.Empty());
      break;
    case 'exact':
      wrong.setExpectedRevision(String(expected.revision));
      break;
  }
  return resp.setWrongExpectedVersion(wrong);
};

// google.rpc.Status values inside BatchAppendResp.error, with the typed detail the client unpacks.
type RpcStatus = InstanceType<typeof rpcStatus.Status>;

const statusWithDetail = (code: number, message: string, typeName: string, detail: { serializeBinary(): Uint8Array }): RpcStatus => {
  const any = new anyPb.Any();
  any.pack(detail.serializeBinary(), typeName);
  return new rpcStatus.Status().setCode(code).setMessage(message).setDetails(any);
};

const GRPC_FAILED_PRECONDITION = 9;
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_DEADLINE_EXCEEDED = 4;

const timeoutStatus = (): RpcStatus =>
  statusWithDetail(GRPC_DEADLINE_EXCEEDED, 'Timeout', 'event_store.client.Timeout', new shared.Timeout());

const maxAppendSizeStatus = (max: number): RpcStatus =>
  statusWithDetail(
    GRPC_INVALID_ARGUMENT,
    `Maximum Append Size of ${max} Exceeded.`,
    'event_store.client.MaximumAppendSizeExceeded',
    new shared.MaximumAppendSizeExceeded().setMaxappendsize(max),
  );

const badRequest = (message: string): RpcStatus =>
  statusWithDetail(GRPC_INVALID_ARGUMENT, message, 'event_store.client.BadRequest', new shared.BadRequest().setMessage(message));

const wrongExpectedVersionStatus = (currentRevision: number | undefined, expected: ExpectedRevision): RpcStatus => {
  const detail = new shared.WrongExpectedVersion();
  if (currentRevision === undefined) detail.setCurrentNoStream(new shared.Empty());
  else detail.setCurrentStreamRevision(String(currentRevision));
  switch (expected.kind) {
    case 'any':
      detail.setExpectedAny(new shared.Empty());
      break;
    case 'stream_exists':
      detail.setExpectedStreamExists(new shared.Empty());
      break;
    case 'no_stream':
      detail.setExpectedNoStream(new shared.Empty());
      break;
    case 'exact':
      detail.setExpectedStreamPosition(String(expected.revision));
      break;
  }
  return statusWithDetail(GRPC_FAILED_PRECONDITION, 'Wrong expected version.', 'event_store.client.WrongExpectedVersion', detail);
};

const streamDeletedStatus = (streamName: string): RpcStatus => {
  const identifier = new shared.StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8'));
  return statusWithDetail(
    GRPC_FAILED_PRECONDITION,
    `Event stream '${streamName}' is deleted.`,
    'event_store.client.StreamDeleted',
    new shared.StreamDeleted().setStreamIdentifier(identifier),
  );
};

const batchBase = (correlationId: InstanceType<typeof shared.UUID> | undefined, streamName: string): BatchAppendResp => {
  const resp = new streams.BatchAppendResp();
  if (correlationId) resp.setCorrelationId(correlationId);
  return resp.setStreamIdentifier(new shared.StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8')));
};

const batchError = (
  correlationId: InstanceType<typeof shared.UUID> | undefined,
  streamName: string,
  error: RpcStatus,
): BatchAppendResp => batchBase(correlationId, streamName).setError(error);

const toBatchAppendResp = (
  outcome: WriteOutcome,
  expected: ExpectedRevision,
  correlationId: InstanceType<typeof shared.UUID> | undefined,
  streamName: string,
): BatchAppendResp => {
  switch (outcome.status) {
    case 'stream-deleted':
      return batchError(correlationId, streamName, streamDeletedStatus(streamName));
    case 'wrong-expected-version':
      return batchError(correlationId, streamName, wrongExpectedVersionStatus(outcome.currentRevision, expected));
    case 'success': {
      const success = new streams.BatchAppendResp.Success();
      if (outcome.lastRevision < 0) success.setNoStream(new shared.Empty());
      else success.setCurrentRevision(String(outcome.lastRevision));
      if (outcome.position === undefined) success.setNoPosition(new shared.Empty());
      else {
        const position = new shared.AllStreamPosition();
        position.setCommitPosition(String(outcome.position));
        position.setPreparePosition(String(outcome.position));
        success.setPosition(position);
      }
      return batchBase(correlationId, streamName).setSuccess(success);
    }
  }
};
