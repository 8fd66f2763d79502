// Stream metadata lives as `$metadata` events in the metastream `$$<stream>`; the last one wins.
// The keys the server itself honours are `$maxCount`, `$maxAge` (seconds) and `$tb` (truncate before).

/** EventNumber.DeletedStream: `$tb` set to this marks a soft-deleted stream. */
export const DELETED_STREAM_TEXT = '9223372036854775807';
export const DELETED_STREAM = 9223372036854775807n;
/** Metastreams keep only their latest event, as on the real server. */
export const METASTREAM_MAX_COUNT = 1;
export const METADATA_EVENT_TYPE = '$metadata';

export interface StreamMetadata {
  maxCount: number | undefined;
  maxAgeSeconds: number | undefined;
  truncateBefore: number | undefined;
  softDeleted: boolean;
}

export const NO_METADATA: StreamMetadata = {
  maxCount: undefined,
  maxAgeSeconds: undefined,
  truncateBefore: undefined,
  softDeleted: false,
};

const positiveInteger = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;

export const parseStreamMetadata = (data: Uint8Array): StreamMetadata => {
  const text = Buffer.from(data).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return NO_METADATA;
  }
  if (typeof parsed !== 'object' || parsed === null) return NO_METADATA;
  const fields = parsed as Record<string, unknown>;
  const truncateBefore = positiveInteger(fields['$tb']);
  const softDeleted = truncateBefore !== undefined && truncateBefore >= Number.MAX_SAFE_INTEGER;
  return {
    maxCount: positiveInteger(fields['$maxCount']),
    maxAgeSeconds: positiveInteger(fields['$maxAge']),
    truncateBefore: softDeleted ? undefined : truncateBefore,
    softDeleted,
  };
};

/**
 * The raw metadata JSON with `$tb` replaced. The value is spliced in as text because
 * DeletedStream (2^63-1) does not survive a round trip through a JavaScript number.
 */
export const withTruncateBefore = (raw: Uint8Array | undefined, truncateBeforeText: string): Buffer => {
  let fields: Record<string, unknown> = {};
  if (raw && raw.length > 0) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(raw).toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null) fields = { ...(parsed as Record<string, unknown>) };
    } catch {
      fields = {};
    }
  }
  delete fields['$tb'];
  const rest = JSON.stringify(fields).slice(1, -1);
  return Buffer.from(`{"$tb":${truncateBeforeText}${rest ? `,${rest}` : ''}}`, 'utf8');
};

export const isMetastream = (name: string): boolean => name.startsWith('$$');
export const metastreamOf = (name: string): string => `$$${name}`;
export const originalStreamOf = (metastream: string): string => metastream.slice(2);
