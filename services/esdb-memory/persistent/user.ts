// Who is calling, for the names the server records ("updatedBy", a connection's username).
// This server does not authenticate: the login of basic credentials is taken at its word.
import type { Metadata } from '@grpc/grpc-js';

export const userOf = (metadata: Metadata): string | undefined => {
  const header = metadata.get('authorization')[0];
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const login = colon === -1 ? decoded : decoded.slice(0, colon);
  return login || undefined;
};
