// Streams.Delete (soft: the stream reads as not found and may be written again) and
// Streams.Tombstone (hard: `$streamDeleted`, the stream is gone for good).
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { EventStore, ExpectedRevision, WriteOutcome } from '../event-store.ts';
import { shared, streams } from '../proto.ts';
import { MalformedRequest, streamDeleted, toServiceError, wrongExpectedVersion } from './errors.ts';
import { expectedRevisionOf, expectedVersionNumber, streamNameOf } from './request-fields.ts';

type DeleteReq = InstanceType<typeof streams.DeleteReq>;
type TombstoneReq = InstanceType<typeof streams.TombstoneReq>;
type DeleteResp = InstanceType<typeof streams.DeleteResp>;
type TombstoneResp = InstanceType<typeof streams.TombstoneResp>;

interface Target {
  streamName: string;
  expected: ExpectedRevision;
}

const targetOf = (request: DeleteReq | TombstoneReq): Target => {
  const options = request.getOptions();
  if (!options) throw new MalformedRequest('The delete request carries no options.');
  return {
    streamName: streamNameOf(options),
    expected: expectedRevisionOf(options, { present: options.hasRevision(), value: options.getRevision() }),
  };
};

/**
 * One delete-like RPC: run the write, then answer with its position or the real server's error.
 * Both RPCs name a failure "Delete" in the message, tombstones too, as the real server does.
 */
const deleteHandler =
  <Req extends DeleteReq | TombstoneReq, Resp>(
    write: (target: Target) => Promise<WriteOutcome>,
    build: (position: number | undefined) => Resp,
  ) =>
  (call: ServerUnaryCall<Req, Resp>, callback: sendUnaryData<Resp>): void => {
    const answer = (target: Target, outcome: WriteOutcome) => {
      switch (outcome.status) {
        case 'stream-deleted':
          return callback(streamDeleted(target.streamName));
        case 'wrong-expected-version':
          // Delete reports the stream's version as a number, -1 when there is none (not empty like Append's).
          return callback(
            wrongExpectedVersion('Delete', target.streamName, expectedVersionNumber(target.expected), outcome.currentRevision ?? -1),
          );
        case 'success':
          return callback(null, build(outcome.position));
      }
    };
    try {
      const target = targetOf(call.request);
      write(target).then(
        (outcome) => answer(target, outcome),
        (error: unknown) => callback(toServiceError(error)),
      );
    } catch (error) {
      callback(toServiceError(error));
    }
  };

export const createDeleteHandlers = (store: EventStore) => ({
  delete: deleteHandler<DeleteReq, DeleteResp>(
    (target) => store.deleteStream(target.streamName, target.expected),
    (position) => {
      const resp = new streams.DeleteResp();
      if (position === undefined) return resp.setNoPosition(new shared.Empty());
      const p = new streams.DeleteResp.Position();
      p.setCommitPosition(String(position)).setPreparePosition(String(position));
      return resp.setPosition(p);
    },
  ),
  tombstone: deleteHandler<TombstoneReq, TombstoneResp>(
    (target) => store.tombstoneStream(target.streamName, target.expected),
    (position) => {
      const resp = new streams.TombstoneResp();
      if (position === undefined) return resp;
      const p = new streams.TombstoneResp.Position();
      p.setCommitPosition(String(position)).setPreparePosition(String(position));
      return resp.setPosition(p);
    },
  ),
});
