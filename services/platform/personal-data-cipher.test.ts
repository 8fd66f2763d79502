import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openerFor, sealerFor } from './personal-data-cipher.ts';

describe('personal data cipher', () => {
  const key = randomBytes(32);

  it('seals with a fresh nonce each time and opens with the same key and account', () => {
    const seal = sealerFor(key, 'acc-1');
    const [a, b] = [seal('Zoë Ångström'), seal('Zoë Ångström')];
    expect(a.ct).not.toBe(b.ct);
    expect(openerFor(key, 'acc-1')(a)).toBe('Zoë Ångström');
  });

  it('reads as erased without a key', () => {
    expect(openerFor(undefined, 'acc-1')(sealerFor(key, 'acc-1')('Ada'))).toBeUndefined();
  });

  it('refuses a value moved to another account, tampered with, or opened with another key', () => {
    const sealed = sealerFor(key, 'acc-1')('Ada');
    expect(() => openerFor(key, 'acc-2')(sealed)).toThrow();
    expect(() => openerFor(key, 'acc-1')({ ...sealed, ct: Buffer.from('Eve').toString('base64') })).toThrow();
    expect(() => openerFor(randomBytes(32), 'acc-1')(sealed)).toThrow();
  });
});
