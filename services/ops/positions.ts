import type { Position } from '@eventstore/db-client';

/** `$all` positions as the server prints them: `C:<commit>/P:<prepare>`. */
export const formatPosition = (position: Position): string => `C:${position.commit}/P:${position.prepare}`;

const DIGITS = /^\d+$/;

/** `C:<commit>/P:<prepare>`, or a bare commit number (prepare = commit, as for single-event commits). */
export function parsePosition(text: string): Position | undefined {
  if (DIGITS.test(text)) return { commit: BigInt(text), prepare: BigInt(text) };
  const match = /^C:(\d+)\/P:(\d+)$/i.exec(text);
  if (!match) return undefined;
  const commit = BigInt(match[1]!);
  const prepare = BigInt(match[2]!);
  return prepare <= commit ? { commit, prepare } : undefined;
}

// The server keeps revisions as signed 64-bit numbers; a bigger one would fail inside the client instead.
const MAX_REVISION = 2n ** 63n - 1n;

/** A stream revision: a non-negative integer the server can hold. */
export const parseRevision = (text: string): bigint | undefined =>
  DIGITS.test(text) && BigInt(text) <= MAX_REVISION ? BigInt(text) : undefined;
