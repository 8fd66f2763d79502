import type { RedisClient } from './redis-client.ts';

/**
 * The Redis Cluster hash slot of a key (cluster spec: CRC16-CCITT/XMODEM of the key, or of its hash tag,
 * modulo 16384). Computed here, in every mode, so that a call whose keys span two slots is refused on a
 * single Redis too, long before it meets a cluster and a CROSSSLOT error in production.
 */
export const HASH_SLOTS = 16_384;

const crcTable = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

/** One byte into a CRC16-CCITT (XMODEM) sum. */
const crcStep = (crc: number, byte: number): number => ((crc << 8) & 0xffff) ^ crcTable[((crc >> 8) ^ byte) & 0xff]!;

/**
 * The part of the key that is hashed: the first non-empty `{…}`, else the whole key (as the spec says).
 * Found in the string rather than its UTF-8 bytes: `{` and `}` never occur inside a multi-byte character,
 * so the part is the same either way.
 */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

const asciiOnly = /^[ -~]*$/;

export function hashSlot(key: string): number {
  const part = hashedPart(key);
  let crc = 0;
  // Keys are printable ASCII in practice: their character codes are their bytes, no buffer to allocate.
  if (asciiOnly.test(part)) for (let at = 0; at < part.length; at++) crc = crcStep(crc, part.charCodeAt(at));
  else for (const byte of Buffer.from(part)) crc = crcStep(crc, byte);
  return crc % HASH_SLOTS;
}

export class CrossSlotError extends Error {
  constructor(what: string, keys: readonly string[]) {
    const slots = keys.map((key) => `${key} (slot ${hashSlot(key)})`).join(', ');
    super(`${what} would touch keys of several hash slots, which Redis Cluster refuses (CROSSSLOT): ${slots}`);
    this.name = 'CrossSlotError';
  }
}

/** Throws a CrossSlotError naming the keys unless they all hash to one slot. */
export function assertOneSlot(what: string, keys: readonly string[]): void {
  if (keys.length < 2) return;
  const slot = hashSlot(keys[0]!);
  if (keys.some((key) => hashSlot(key) !== slot)) throw new CrossSlotError(what, keys);
}

/**
 * A pipeline (commands sent as one round trip) over keys of one slot: a cluster client sends all of it
 * to the node of its first key, so a key of another slot would fail there (MOVED) or, on the same node,
 * work only by luck. Reads across aggregates belong in separate commands, which the client routes.
 */
export function oneSlotPipeline(redis: RedisClient, what: string, keys: readonly string[]) {
  assertOneSlot(what, keys);
  return redis.multi();
}
