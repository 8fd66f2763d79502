// Errors exactly as EventStoreDB sends them: a gRPC status plus an `exception` trailer (and
// detail trailers) from which @eventstore/db-client picks its typed error class.
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

export const rpcError = (code: status, details: string, trailers: Record<string, string> = {}): ServiceError => {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
};

export const streamDeleted = (streamName: string): ServiceError =>
  rpcError(status.FAILED_PRECONDITION, `Event stream '${streamName}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': streamName,
  });

export const maxAppendSizeExceeded = (maxAppendSize: number): ServiceError =>
  rpcError(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(maxAppendSize),
  });

export const requiredMetadataPropertyMissing = (property: string): ServiceError =>
  rpcError(status.INVALID_ARGUMENT, `Required Metadata Property '${property}' is missing`, {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': 'type,content-type',
  });

export const wrongExpectedVersion = (
  operation: string,
  streamName: string,
  expectedVersion: bigint,
  actualVersion: number | undefined,
): ServiceError =>
  rpcError(
    status.FAILED_PRECONDITION,
    `${operation} failed due to WrongExpectedVersion. Stream: ${streamName}, Expected version: ${expectedVersion}, Actual version: ${actualVersion ?? ''}`,
    {
      exception: 'wrong-expected-version',
      'stream-name': streamName,
      'expected-version': String(expectedVersion),
      'actual-version': actualVersion === undefined ? '' : String(actualVersion),
    },
  );

export const invalidArgument = (details: string): ServiceError => rpcError(status.INVALID_ARGUMENT, details);

export const deadlineExceeded = (): ServiceError => rpcError(status.DEADLINE_EXCEEDED, 'Deadline Exceeded');

export const unimplemented = (what: string): ServiceError =>
  rpcError(status.UNIMPLEMENTED, `${what} is not implemented by this server.`);

/** Anything thrown that is not already a gRPC error becomes INVALID_ARGUMENT or INTERNAL, never a crash. */
export const toServiceError = (error: unknown): ServiceError => {
  if (typeof error === 'object' && error !== null && 'code' in error && 'metadata' in error) return error as ServiceError;
  if (error instanceof MalformedRequest) return invalidArgument(error.message);
  return rpcError(status.INTERNAL, 'Internal server error.');
};

/** Thrown while decoding a request the protocol does not allow. */
export class MalformedRequest extends Error {}
