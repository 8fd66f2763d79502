import { v5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { nameBasedUuid } from './name-based-uuid.ts';

const NAMESPACE = '0b9e4f0e-5d0c-4c55-8f3a-6f2b6a1d7c42';

describe('nameBasedUuid', () => {
  it('matches the uuid package (and RFC 9562) for names of any kind', () => {
    const names = ['', 'a', 'cmd-1/0', 'ünïcödé ✓ 𝄞', 'x'.repeat(10_000), ...Array.from({ length: 200 }, (_, index) => `${crypto.randomUUID()}/${index}`)];
    for (const name of names) expect(nameBasedUuid(name, NAMESPACE)).toBe(v5(name, NAMESPACE));
    expect(nameBasedUuid('www.example.com', v5.DNS)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('takes an upper-case namespace as the same namespace, and refuses one that is not a UUID', () => {
    expect(nameBasedUuid('n', NAMESPACE.toUpperCase())).toBe(v5('n', NAMESPACE));
    expect(() => nameBasedUuid('n', 'not-a-uuid')).toThrow('not a UUID namespace: not-a-uuid');
  });
});
