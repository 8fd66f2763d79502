// Turns Create and Update requests into a group definition, with the server's checks on the
// start position (PersistentSubscriptionService.ValidateStartFrom) and its refusal wording.
import type { EventStore } from '../event-store.ts';
import { MalformedRequest } from '../grpc/errors.ts';
import type { persistent } from '../proto.ts';
import { allFilterDtoOf, type AllFilterDto } from './all-filter.ts';
import type { GroupDefinition } from './group.ts';
import { settingsOf } from './settings.ts';
import { allSource, ALL_STREAM, streamSource } from './source.ts';

type CreateOptions = InstanceType<typeof persistent.CreateReq.Options>;
type UpdateOptions = InstanceType<typeof persistent.UpdateReq.Options>;

/** StreamRevision.End (u64 max) is -1 to the server. */
const U64_MAX = '18446744073709551615';

const revisionOf = (text: string): number => (text === U64_MAX ? -1 : Number(BigInt.asIntN(64, BigInt(text))));

const nameOf = (identifier: { getStreamName_asU8(): Uint8Array } | undefined): string =>
  identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';

export type DecodedDefinition =
  | { kind: 'ok'; definition: GroupDefinition }
  | { kind: 'refused'; streamName: string; reason: string };

interface AllStart {
  hasPosition(): boolean;
  getPosition(): { getCommitPosition(): string; getPreparePosition(): string } | undefined;
  hasStart(): boolean;
}

const allStartOf = (all: AllStart): { commit: number; prepare: number } => {
  if (all.hasPosition()) {
    const position = all.getPosition()!;
    return {
      commit: Number(BigInt.asIntN(64, BigInt(position.getCommitPosition()))),
      prepare: Number(BigInt.asIntN(64, BigInt(position.getPreparePosition()))),
    };
  }
  return all.hasStart() ? { commit: 0, prepare: 0 } : { commit: -1, prepare: -1 };
};

const allStartProblem = (store: EventStore, { commit, prepare }: { commit: number; prepare: number }): string | undefined => {
  if (prepare > commit) return 'Invalid Start From position: prepare position must be less than or equal to the commit position.';
  if (commit > store.lastPosition) {
    return 'Invalid Start From position: commit position must be less than or equal to the last commit position in the transaction file.';
  }
  if ((prepare <= -1 || commit <= -1) && !(prepare === -1 && commit === -1)) {
    return 'Invalid Start From position: prepare and commit positions must be greater than or equal to 0 or both equal to -1.';
  }
  return undefined;
};

/**
 * Decodes the group a Create or Update request describes. A `$all` update keeps the filter the
 * group was created with (`existingFilter`), as the server does.
 */
export const decodeDefinition = (
  store: EventStore,
  options: CreateOptions | UpdateOptions,
  existingFilter?: (groupName: string) => AllFilterDto | undefined,
): DecodedDefinition => {
  const groupName = options.getGroupName();
  const settingsMessage = options.getSettings();
  if (!settingsMessage) throw new MalformedRequest('The request carries no settings.');
  const settings = settingsOf(settingsMessage);
  if (options.hasAll()) {
    const all = options.getAll()!;
    const start = allStartOf(all);
    const problem = allStartProblem(store, start);
    if (problem) return { kind: 'refused', streamName: ALL_STREAM, reason: problem };
    const filter =
      'hasFilter' in all && all.hasFilter() ? allFilterDtoOf(all.getFilter()!) : existingFilter?.(groupName);
    return {
      kind: 'ok',
      definition: {
        source: allSource(store, filter),
        groupName,
        startFrom: { text: `C:${start.commit}/P:${start.prepare}`, position: start.commit },
        settings,
      },
    };
  }
  let streamName: string;
  let revision: number;
  if (options.hasStream()) {
    const stream = options.getStream()!;
    streamName = nameOf(stream.getStreamIdentifier());
    revision = stream.hasRevision() ? revisionOf(stream.getRevision()) : stream.hasStart() ? 0 : -1;
  } else {
    // The request form older clients (and this one) use: the identifier and a revision in the settings.
    streamName = nameOf(options.getStreamIdentifier());
    revision = revisionOf(settingsMessage.getRevision() || '0');
  }
  if (streamName === '') return { kind: 'refused', streamName, reason: 'Bad stream name.' };
  if (streamName === ALL_STREAM) {
    return {
      kind: 'refused',
      streamName,
      reason: 'Persistent subscriptions to $all are only supported over gRPC through gRPC clients',
    };
  }
  if (revision < -1) {
    return { kind: 'refused', streamName, reason: 'Invalid Start From position: event number must be greater than or equal to -1.' };
  }
  return {
    kind: 'ok',
    definition: { source: streamSource(store, streamName), groupName, startFrom: { text: String(revision), position: revision }, settings },
  };
};
