import { describe, expect, it } from 'vitest';
import { assertOneSlot, CrossSlotError, hashSlot } from './hash-slot.ts';

describe('hashSlot', () => {
  // Values from the Redis Cluster specification and from CLUSTER KEYSLOT on a real server.
  it.each([
    ['foo', 12182],
    ['bar', 5061],
    ['123456789', 12739],
    ['', 0],
    ['{user1000}.following', 3443],
    ['rm:accounts:v1:{account:42}:summary', 2116],
    ['foo{}{bar}', 8363],
    ['foo{{bar}}zap', 4015],
    ['foo{bar}{zap}', 5061],
    ['café', 5735],
    ['x{é}y', 10180],
  ])('slot of %j is %i', (key, slot) => {
    expect(hashSlot(key)).toBe(slot);
  });

  it('hashes only the first non-empty {…} tag', () => {
    expect(hashSlot('{user1000}.following')).toBe(hashSlot('{user1000}.followers'));
    expect(hashSlot('foo{}{bar}')).not.toBe(hashSlot('bar'));
    expect(hashSlot('foo{{bar}}zap')).toBe(hashSlot('{bar'));
    expect(hashSlot('foo{bar}{zap}')).toBe(hashSlot('bar'));
  });
});

describe('assertOneSlot', () => {
  it('accepts keys that share a hash tag, and refuses keys of two slots, naming them', () => {
    expect(() => assertOneSlot('a script', ['{a}:1', '{a}:2'])).not.toThrow();
    expect(() => assertOneSlot('a script', ['foo', 'bar'])).toThrow(CrossSlotError);
    expect(() => assertOneSlot('a script', ['foo', 'bar'])).toThrow('a script would touch keys of several hash slots, which Redis Cluster refuses (CROSSSLOT): foo (slot 12182), bar (slot 5061)');
  });
});
