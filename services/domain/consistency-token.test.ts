import { describe, expect, it } from 'vitest';
import { decodeConsistencyToken, encodeConsistencyToken } from './consistency-token.ts';

describe('consistency token', () => {
  it('round-trips a stream and revision', () => {
    const point = { streamName: 'account-6f1c2f43-8a55-4c61-9a62-2f4a3f0b7d10', revision: 42n };
    expect(decodeConsistencyToken(encodeConsistencyToken(point))).toEqual(point);
  });

  it.each(['', 'account-x', '@3', 'account-x@-1', 'account-x@1.5'])('refuses %j', (token) => {
    expect(decodeConsistencyToken(token)).toBeUndefined();
  });
});
