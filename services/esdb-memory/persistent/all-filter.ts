// The filter of a `$all` group, kept as the server keeps it in its configuration
// (EventFilter.EventFilterDto: context, type, data), plus the default `$all` rules it always
// applies: system streams pass, except the epoch stream and `$all` groups' own checkpoint and
// parked streams.
import type { EventStore } from '../event-store.ts';
import { MalformedRequest } from '../grpc/errors.ts';
import type { persistent } from '../proto.ts';

type FilterOptions = InstanceType<typeof persistent.CreateReq.AllOptions.FilterOptions>;

export interface AllFilterDto {
  context: 'StreamId' | 'EventType';
  type: 'Prefix' | 'Regex';
  data: string[];
}

export type IndexFilter = (store: EventStore, index: number) => boolean;

export const allFilterDtoOf = (options: FilterOptions): AllFilterDto => {
  const onStream = options.hasStreamIdentifier();
  const expression = onStream ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) throw new MalformedRequest('A filter needs a stream-name or event-type expression.');
  const context = onStream ? 'StreamId' : 'EventType';
  const regex = expression.getRegex();
  if (regex) return { context, type: 'Regex', data: [regex] };
  return { context, type: 'Prefix', data: expression.getPrefixList() };
};

const ALL_GROUP_STREAM_PREFIX = '$persistentsubscription-$all::';

const allowedOnAll = (streamName: string): boolean => {
  if (!streamName.startsWith('$')) return true;
  if (streamName === '$epoch-information') return false;
  if (streamName.startsWith(ALL_GROUP_STREAM_PREFIX)) {
    return !streamName.endsWith('-checkpoint') && !streamName.endsWith('-parked');
  }
  return true;
};

export const indexFilterOf = (dto: AllFilterDto | undefined): IndexFilter => {
  if (!dto) return (store, index) => allowedOnAll(store.streamNameAt(index));
  let test: (value: string) => boolean;
  if (dto.type === 'Regex') {
    let regex: RegExp;
    try {
      regex = new RegExp(dto.data[0] ?? '');
    } catch {
      throw new MalformedRequest(`'${dto.data[0] ?? ''}' is not a valid regular expression.`);
    }
    test = (value) => regex.test(value);
  } else {
    const prefixes = dto.data;
    test = (value) => prefixes.some((prefix) => value.startsWith(prefix));
  }
  return dto.context === 'StreamId'
    ? (store, index) => {
        const stream = store.streamNameAt(index);
        return test(stream) && allowedOnAll(stream);
      }
    : (store, index) => test(store.typeAt(index)) && allowedOnAll(store.streamNameAt(index));
};
