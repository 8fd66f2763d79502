// Decoding the pieces every request shares, rejecting what the protocol does not allow.
import type { ExpectedRevision } from '../event-store.ts';
import type { UUID } from '../proto.ts';
import { MalformedRequest } from './errors.ts';

interface HasStreamIdentifier {
  getStreamIdentifier(): { getStreamName_asU8(): Uint8Array } | undefined;
}

export const streamNameOf = (options: HasStreamIdentifier | undefined): string => {
  const identifier = options?.getStreamIdentifier();
  if (!identifier) throw new MalformedRequest('The stream identifier is missing.');
  const name = Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
  if (name.length === 0) throw new MalformedRequest('The stream name is empty.');
  return name;
};

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuidOf = (uuid: UUID | undefined): string => {
  if (!uuid) throw new MalformedRequest('The event id is missing.');
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const bytes = Buffer.alloc(16);
    bytes.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
    bytes.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  const text = uuid.getString();
  if (!UUID_TEXT.test(text)) throw new MalformedRequest(`'${text}' is not a valid event id.`);
  if (text === '00000000-0000-0000-0000-000000000000') throw new MalformedRequest('Empty eventId provided.');
  return text.toLowerCase();
};

/** A uint64 carried as a decimal string; revisions beyond 2^53 cannot exist in this store. */
export const uint64Of = (text: string, what: string): number => {
  if (!/^\d+$/.test(text)) throw new MalformedRequest(`'${text}' is not a valid ${what}.`);
  const value = BigInt(text);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
};

interface ExpectedRevisionOptions {
  hasAny(): boolean;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}

export const expectedRevisionOf = (
  options: ExpectedRevisionOptions,
  exact: { present: boolean; value: string },
): ExpectedRevision => {
  if (exact.present) return { kind: 'exact', revision: uint64Of(exact.value, 'stream revision') };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  if (options.hasAny()) return { kind: 'any' };
  throw new MalformedRequest('The expected stream revision is missing.');
};

/** Expected revision as the server's int64 ExpectedVersion (-2 any, -1 no stream, -4 stream exists). */
export const expectedVersionNumber = (expected: ExpectedRevision): bigint => {
  switch (expected.kind) {
    case 'any':
      return -2n;
    case 'no_stream':
      return -1n;
    case 'stream_exists':
      return -4n;
    case 'exact':
      return BigInt(expected.revision);
  }
};
