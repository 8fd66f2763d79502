import { createHash } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const namespaceBytes = new Map<string, Buffer>();

/**
 * RFC 9562 version 5 (SHA-1, name-based) UUID of `name` in `namespace`, as the `uuid` package's v5
 * computes it, with node's own SHA-1 and no per-call parsing of the namespace: every deposit derives
 * its event ids this way, and the package's version cost about 1.5% of the command API's CPU.
 */
export function nameBasedUuid(name: string, namespace: string): string {
  let prefix = namespaceBytes.get(namespace);
  if (prefix === undefined) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(namespace)) throw new Error(`not a UUID namespace: ${namespace}`);
    prefix = Buffer.from(namespace.replaceAll('-', ''), 'hex');
    namespaceBytes.set(namespace, prefix);
  }
  const hash = createHash('sha1').update(prefix).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC variant
  let text = '';
  for (let index = 0; index < 16; index += 1) {
    if (index === 4 || index === 6 || index === 8 || index === 10) text += '-';
    text += HEX[hash[index]!];
  }
  return text;
}
