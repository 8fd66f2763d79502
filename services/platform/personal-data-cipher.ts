import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Open, Seal } from '../domain/index.ts';

/**
 * AES-256-GCM with the account id as additional authenticated data, so a sealed name copied into
 * another account's event fails to open instead of showing up there.
 */
export function sealerFor(key: Buffer, accountId: string): Seal {
  return (plaintext) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(accountId));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { alg: 'A256GCM', iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
  };
}

/** Opens with the key, or reads as erased when there is none; a tampered value throws. */
export function openerFor(key: Buffer | undefined, accountId: string): Open {
  return (sealed) => {
    if (key === undefined) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'))
      .setAAD(Buffer.from(accountId))
      .setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
  };
}
