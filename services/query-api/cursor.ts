import type { KeysetPosition } from './keyset-page.ts';

/**
 * Cursors are opaque to clients but carry the position itself (score and member), not an offset, so a
 * cursor stays valid while the list changes. The kind stops a cursor of one list being used on another.
 */
export function encodeCursor(kind: string, position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([kind, position.score, position.member])).toString('base64url');
}

export function decodeCursor(kind: string, cursor: string): KeysetPosition | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 3) return undefined;
    const [cursorKind, score, member] = decoded as unknown[];
    if (cursorKind !== kind || typeof score !== 'string' || typeof member !== 'string') return undefined;
    if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(score)) return undefined;
    return { score, member };
  } catch {
    return undefined;
  }
}
