import { describe, expect, it } from 'vitest';
import { createUpcasterChain } from './upcasting.ts';

describe('upcaster chain', () => {
  const chain = createUpcasterChain<'Thing'>(
    { Thing: 3 },
    {
      'Thing@v1': (data) => ({ ...data, steps: ['v1→v2'] }),
      'Thing@v2': (data) => ({ ...data, steps: [...(data.steps as string[]), 'v2→v3'] }),
    },
  );

  it('runs every step from the stored version to the current one, in order', () => {
    expect(chain.upcast('Thing', 1, { id: 'x' })).toEqual({ id: 'x', steps: ['v1→v2', 'v2→v3'] });
    expect(chain.upcast('Thing', 2, { id: 'x', steps: [] })).toEqual({ id: 'x', steps: ['v2→v3'] });
  });

  it('leaves data at the current version untouched', () => {
    expect(chain.upcast('Thing', 3, { id: 'x' })).toEqual({ id: 'x' });
  });

  it('refuses to build when a step in the chain is missing', () => {
    expect(() => createUpcasterChain<'Thing'>({ Thing: 3 }, { 'Thing@v1': (data) => data })).toThrow(/Thing v2 → v3/);
  });
});
