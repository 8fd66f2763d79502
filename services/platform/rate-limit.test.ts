import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('lets a burst through, then one per refill interval, per client', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 3, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([0, 0, 0, 500]);
    expect(limiter.take('b')).toBe(0);
    now = 499;
    expect(limiter.take('a')).toBeGreaterThan(0);
    now = 1_000;
    expect(limiter.take('a')).toBe(0);
  });

  it('forgets the least recently seen clients past its bound, which then start with a full bucket', () => {
    const limiter = new RateLimiter(1, 1, () => 0, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('c')).toBeGreaterThan(0);
  });
});
